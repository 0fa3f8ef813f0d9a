"""A shop's stock: which items it sells and how many of each it has."""
from inventory.models import Item, OutOfStockError, UnknownItemError


class Store:
    def __init__(self):
        self._items = {}
        self._stock = {}

    def add_item(self, item: Item, quantity: int = 0) -> None:
        if quantity < 0:
            raise ValueError("quantity must not be negative, got %d" % quantity)
        known = self._items.get(item.sku)
        if known is not None and known != item:
            raise ValueError("sku %r is already used by %r" % (item.sku, known))
        self._items[item.sku] = item
        self._stock[item.sku] = self._stock.get(item.sku, 0) + quantity

    def _check(self, sku):
        if sku not in self._items:
            raise UnknownItemError(sku)

    def restock(self, sku: str, quantity: int) -> None:
        if quantity < 1:
            raise ValueError("quantity must be at least 1, got %d" % quantity)
        self._check(sku)
        self._stock[sku] += quantity

    def remove(self, sku: str, quantity: int) -> None:
        if quantity < 1:
            raise ValueError("quantity must be at least 1, got %d" % quantity)
        self._check(sku)
        available = self._stock[sku]
        if quantity > available:
            raise OutOfStockError(sku, quantity, available)
        self._stock[sku] = available - quantity

    def quantity(self, sku: str) -> int:
        self._check(sku)
        return self._stock[sku]

    def total_value(self) -> int:
        return sum(self._items[sku].price_cents * count for sku, count in self._stock.items())

    def low_stock(self, threshold: int) -> list:
        return sorted(sku for sku, count in self._stock.items() if count < threshold)

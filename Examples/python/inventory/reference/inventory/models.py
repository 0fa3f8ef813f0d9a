"""The values the inventory store keeps: items and the errors it raises."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """An item for sale; prices are whole cents."""

    sku: str
    name: str
    price_cents: int

    def __post_init__(self):
        if not self.sku:
            raise ValueError("an item needs a non-empty sku")
        if self.price_cents < 0:
            raise ValueError("price_cents must not be negative, got %d" % self.price_cents)


class UnknownItemError(KeyError):
    """A SKU the store does not know."""


class OutOfStockError(Exception):
    """More units were asked for than are in stock."""

    def __init__(self, sku, requested, available):
        super().__init__("%s: requested %d, only %d in stock" % (sku, requested, available))
        self.sku = sku
        self.requested = requested
        self.available = available

import dataclasses

import pytest

from inventory.models import Item, OutOfStockError, UnknownItemError
from inventory.store import Store


def make_store():
    store = Store()
    store.add_item(Item("APL", "Apple", 50), 10)
    store.add_item(Item("BAN", "Banana", 25), 4)
    store.add_item(Item("CHR", "Cherry", 400))
    return store


def test_item_is_an_immutable_validated_value():
    item = Item("APL", "Apple", 50)
    assert item == Item("APL", "Apple", 50)
    assert hash(item) == hash(Item("APL", "Apple", 50))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.price_cents = 10
    with pytest.raises(ValueError):
        Item("", "Nameless", 10)
    with pytest.raises(ValueError):
        Item("NEG", "Negative", -1)
    assert Item("FREE", "Sample", 0).price_cents == 0


def test_add_restock_and_quantity():
    store = make_store()
    assert store.quantity("APL") == 10
    assert store.quantity("CHR") == 0
    store.restock("CHR", 3)
    store.add_item(Item("APL", "Apple", 50), 5)
    assert store.quantity("CHR") == 3
    assert store.quantity("APL") == 15


def test_conflicting_item_and_bad_quantities_are_rejected():
    store = make_store()
    with pytest.raises(ValueError):
        store.add_item(Item("APL", "Green apple", 60), 1)
    assert store.quantity("APL") == 10
    with pytest.raises(ValueError):
        store.add_item(Item("DAT", "Date", 90), -2)
    with pytest.raises(ValueError):
        store.restock("APL", 0)
    with pytest.raises(ValueError):
        store.remove("APL", 0)
    assert store.quantity("APL") == 10


def test_remove_and_out_of_stock():
    store = make_store()
    store.remove("BAN", 3)
    assert store.quantity("BAN") == 1
    with pytest.raises(OutOfStockError) as raised:
        store.remove("BAN", 2)
    assert (raised.value.sku, raised.value.requested, raised.value.available) == ("BAN", 2, 1)
    assert store.quantity("BAN") == 1
    store.remove("BAN", 1)
    assert store.quantity("BAN") == 0


def test_unknown_sku():
    store = make_store()
    for action in (lambda: store.quantity("ZZZ"), lambda: store.restock("ZZZ", 1), lambda: store.remove("ZZZ", 1)):
        with pytest.raises(UnknownItemError):
            action()
    assert issubclass(UnknownItemError, KeyError)


def test_total_value_in_cents():
    store = make_store()
    assert store.total_value() == 10 * 50 + 4 * 25
    store.restock("CHR", 2)
    assert store.total_value() == 10 * 50 + 4 * 25 + 2 * 400
    assert Store().total_value() == 0


def test_low_stock_is_strict_and_sorted():
    store = make_store()
    assert store.low_stock(5) == ["BAN", "CHR"]
    assert store.low_stock(4) == ["CHR"]
    assert store.low_stock(0) == []
    assert store.low_stock(100) == ["APL", "BAN", "CHR"]

"""Stock changes through the ledger: adjust, receive, count, safety stock, transfers, and the ledger check."""

import pytest
from sqlalchemy import update

from flexhub.bootstrap import Hub
from flexhub.catalog.errors import UnknownSku
from flexhub.inventory.commands import AdjustStock
from flexhub.inventory.errors import (
    InsufficientStock,
    InvalidPool,
    InvalidQuantity,
    LocationExists,
    NegativeStock,
    UnknownLocation,
    UnknownTransfer,
)
from flexhub.inventory.model import StockLevel
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.messages import Actor
from flexhub.testing.builders import (
    adjust,
    cancel_order,
    count,
    create_bundle,
    create_location,
    create_shop,
    create_sku,
    import_order,
    line,
    receive,
    receive_transfer,
    set_safety_stock,
    transfer,
)
from flexhub.testing.snapshots import audit, ledger, ledger_differences, level, snapshot


@pytest.fixture
def admin(hub: Hub) -> Actor:
    """Acme with TEE-RED-M in WH-CENTRAL (none on hand yet), a store STORE-SH, and the web channel."""
    actor = create_shop(hub, stock=0)
    create_location(hub, actor, "STORE-SH", kind="store")
    return actor


def figures(hub: Hub, admin: Actor, location: str = "WH-CENTRAL", pool: str = "spot") -> tuple[int, ...]:
    """(on hand, reserved, safety, in transit, available) of TEE-RED-M at a location."""
    lv = level(hub, admin, "TEE-RED-M", location, pool)
    return lv["on_hand"], lv["reserved"], lv["safety"], lv["in_transit"], lv["available"]


def refused(hub: Hub, error: type, action) -> None:
    """`action` fails with `error` and changes nothing: stock, ledger, reservations, orders, outbox, audit."""
    before = snapshot(hub)
    with pytest.raises(error):
        action()
    assert snapshot(hub) == before


def test_receiving_stock_adds_to_on_hand_through_the_ledger(hub: Hub, admin: Actor) -> None:
    view = receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    assert (view.on_hand, view.available) == (10, 10)
    assert figures(hub, admin) == (10, 0, 0, 0, 10)
    [row] = ledger(hub)
    assert (row.kind, row.on_hand_delta, row.reserved_delta, row.actor, row.reason) == (
        "receive", 10, 0, admin.name, "receive")


def test_an_adjustment_moves_on_hand_either_way(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", -3, reason="damaged in storage")
    adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1, reason="found behind a shelf")
    assert figures(hub, admin) == (8, 0, 0, 0, 8)
    assert [(r.kind, r.on_hand_delta, r.reason) for r in ledger(hub)] == [
        ("receive", 10, "receive"), ("adjust", -3, "damaged in storage"), ("adjust", 1, "found behind a shelf")]
    assert [a.action for a in audit(hub)][-3:] == ["stock.receive", "stock.adjust", "stock.adjust"]


def test_stock_below_zero_is_refused(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 5)
    refused(hub, NegativeStock, lambda: adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", -6))
    refused(hub, NegativeStock, lambda: adjust(hub, admin, "TEE-RED-M", "STORE-SH", -1))
    assert figures(hub, admin) == (5, 0, 0, 0, 5)


@pytest.mark.parametrize(("kind", "delta", "error"), [
    ("adjust", 0, InvalidQuantity),
    ("receive", -1, InvalidQuantity),
    ("return", -1, InvalidQuantity),
    ("ship", 1, ValidationFailed),
])
def test_malformed_adjustments_are_refused(hub: Hub, admin: Actor, kind: str, delta: int, error: type) -> None:
    command = AdjustStock(actor=admin, sku="TEE-RED-M", location="WH-CENTRAL", quantity_delta=delta,
                          reason="x", kind=kind)
    refused(hub, error, lambda: hub.handle(command))


@pytest.mark.parametrize(("sku", "location", "pool", "error"), [
    ("MUG-WHITE", "WH-CENTRAL", "spot", UnknownSku),
    ("TEE-RED-M", "WH-NOWHERE", "spot", UnknownLocation),
    ("TEE-RED-M", "WH-CENTRAL", "reserved", InvalidPool),
    ("TEE-RED-M", "WH-CENTRAL", "consigned:", InvalidPool),
])
def test_stock_of_unknown_things_is_refused(hub: Hub, admin: Actor, sku: str, location: str, pool: str,
                                            error: type) -> None:
    refused(hub, error, lambda: receive(hub, admin, sku, location, 5, pool=pool))


def test_a_bundle_has_no_stock_of_its_own(hub: Hub, admin: Actor) -> None:
    create_bundle(hub, admin, "GIFT-SET", {"TEE-RED-M": 2})
    refused(hub, InvalidPool, lambda: receive(hub, admin, "GIFT-SET", "WH-CENTRAL", 5))


def test_a_location_code_is_unique_within_a_tenant(hub: Hub, admin: Actor) -> None:
    refused(hub, LocationExists, lambda: create_location(hub, admin, "STORE-SH", kind="store"))
    refused(hub, ValidationFailed, lambda: create_location(hub, admin, "MOON-BASE", kind="orbital"))


def test_a_count_sets_on_hand_and_writes_the_difference_to_the_ledger(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    view = count(hub, admin, "TEE-RED-M", "WH-CENTRAL", 7)
    assert view.on_hand == 7
    last = ledger(hub)[-1]
    assert (last.kind, last.on_hand_delta, last.reason) == ("count", -3, "cycle count")
    count(hub, admin, "TEE-RED-M", "WH-CENTRAL", 9)
    assert (ledger(hub)[-1].kind, ledger(hub)[-1].on_hand_delta) == ("count", 2)
    assert figures(hub, admin) == (9, 0, 0, 0, 9)


def test_a_count_that_matches_writes_no_movement_but_is_audited(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    rows = len(ledger(hub))
    count(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    assert len(ledger(hub)) == rows
    assert audit(hub)[-1].action == "stock.count" and audit(hub)[-1].detail["difference"] == 0


def test_a_count_of_a_new_level_creates_it(hub: Hub, admin: Actor) -> None:
    count(hub, admin, "TEE-RED-M", "STORE-SH", 4)
    assert figures(hub, admin, "STORE-SH") == (4, 0, 0, 0, 4)


def test_a_negative_count_is_refused(hub: Hub, admin: Actor) -> None:
    refused(hub, InvalidQuantity, lambda: count(hub, admin, "TEE-RED-M", "WH-CENTRAL", -1))


def test_reserved_units_cannot_be_removed(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 7)
    import_order(hub, admin, lines=[line(quantity=5)])
    assert figures(hub, admin) == (7, 5, 0, 0, 2)
    refused(hub, InsufficientStock, lambda: adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", -3))
    refused(hub, InsufficientStock, lambda: count(hub, admin, "TEE-RED-M", "WH-CENTRAL", 4))
    refused(hub, InsufficientStock, lambda: transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 3}))
    adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", -2)  # the unreserved two may go
    assert figures(hub, admin) == (5, 5, 0, 0, 0)


def test_safety_stock_lowers_available_and_blocks_reservations(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    set_safety_stock(hub, admin, "TEE-RED-M", "WH-CENTRAL", 8)
    assert figures(hub, admin) == (10, 0, 8, 0, 2)
    refused(hub, InsufficientStock, lambda: import_order(hub, admin, lines=[line(quantity=3)], on_shortage="reject"))
    assert import_order(hub, admin, lines=[line(quantity=2)], on_shortage="reject").status == "reserved"
    assert figures(hub, admin) == (10, 2, 8, 0, 0)
    assert audit(hub)[-2].action == "stock.safety"


def test_safety_stock_cannot_be_negative(hub: Hub, admin: Actor) -> None:
    refused(hub, InvalidQuantity, lambda: set_safety_stock(hub, admin, "TEE-RED-M", "WH-CENTRAL", -1))


def test_a_transfer_moves_stock_out_then_in_through_in_transit(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    transfer_id = transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 4})
    assert figures(hub, admin, "WH-CENTRAL") == (6, 0, 0, 0, 6)
    assert figures(hub, admin, "STORE-SH") == (0, 0, 0, 4, 0)  # on its way: not yet sellable there

    assert receive_transfer(hub, admin, transfer_id).state == "received"
    assert figures(hub, admin, "STORE-SH") == (4, 0, 0, 0, 4)
    moves = [(r.kind, r.on_hand_delta, r.in_transit_delta, r.reference) for r in ledger(hub)[1:]]
    assert sorted(moves) == sorted([("transfer_out", -4, 0, transfer_id), ("transfer_out", 0, 4, transfer_id),
                                    ("transfer_in", 4, -4, transfer_id)])


def test_a_transfer_is_received_once(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    transfer_id = transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 4})
    receive_transfer(hub, admin, transfer_id)
    refused(hub, ValidationFailed, lambda: receive_transfer(hub, admin, transfer_id))
    refused(hub, UnknownTransfer, lambda: receive_transfer(hub, admin, "not-a-transfer"))
    assert figures(hub, admin, "STORE-SH") == (4, 0, 0, 0, 4)


def test_a_transfer_of_more_than_is_on_hand_moves_nothing(hub: Hub, admin: Actor) -> None:
    create_sku(hub, admin, "CAP-LOGO")
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    receive(hub, admin, "CAP-LOGO", "WH-CENTRAL", 1)
    refused(hub, NegativeStock,
            lambda: transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 4, "CAP-LOGO": 2}))


@pytest.mark.parametrize(("target", "quantity", "error"), [
    ("WH-CENTRAL", 1, ValidationFailed),  # to itself
    ("STORE-SH", 0, InvalidQuantity),
    ("STORE-NOWHERE", 1, UnknownLocation),
])
def test_malformed_transfers_are_refused(hub: Hub, admin: Actor, target: str, quantity: int, error: type) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    refused(hub, error, lambda: transfer(hub, admin, "WH-CENTRAL", target, {"TEE-RED-M": quantity}))


def test_another_tenant_cannot_receive_a_transfer(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    transfer_id = transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 4})
    stranger = create_shop(hub, "globex", stock=0)
    refused(hub, UnknownTransfer, lambda: receive_transfer(hub, stranger, transfer_id))


def test_the_ledger_rebuilds_every_level_after_all_of_that(hub: Hub, admin: Actor) -> None:
    create_sku(hub, admin, "CAP-LOGO")
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 20)
    receive(hub, admin, "CAP-LOGO", "WH-CENTRAL", 5, pool="presale")
    adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", -2)
    count(hub, admin, "TEE-RED-M", "WH-CENTRAL", 17)
    set_safety_stock(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1)
    order = import_order(hub, admin, lines=[line(quantity=3)])
    receive_transfer(hub, admin, transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 5}))
    transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 2})
    cancel_order(hub, admin, order.order_id)
    assert figures(hub, admin, "WH-CENTRAL") == (10, 0, 1, 0, 9)
    assert figures(hub, admin, "STORE-SH") == (5, 0, 0, 2, 5)
    assert ledger_differences(hub) == []


def test_the_ledger_check_finds_a_tampered_level(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    with hub.uow() as uow:  # someone edits the projection behind the ledger's back
        uow.connection.execute(update(StockLevel).values(on_hand=StockLevel.on_hand + 5))
        uow.commit()
    [difference] = ledger_differences(hub)
    assert difference["ledger"] == {"on_hand": 10, "reserved": 0, "in_transit": 0}
    assert difference["levels"] == {"on_hand": 15, "reserved": 0, "in_transit": 0}
    assert difference["tenant_id"] == str(admin.tenant_id)
    assert ledger_differences(hub, create_shop(hub, "globex", stock=0).tenant_id) == []

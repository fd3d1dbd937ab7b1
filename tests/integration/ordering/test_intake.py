"""Importing orders, per order and combined: reserved once, replayed as the same order, all lines or none."""

from datetime import UTC, datetime

import pytest

from flexhub.bootstrap import Hub
from flexhub.catalog.errors import UnknownSku
from flexhub.inventory.errors import InsufficientStock
from flexhub.kernel.messages import Actor
from flexhub.ordering.errors import InvalidOrder, UnknownChannel
from flexhub.ordering.intake import Imported, NewerVersion, import_batch
from flexhub.testing import aio
from flexhub.testing.builders import (
    create_bundle,
    create_channel,
    create_location,
    create_partner,
    create_shop,
    create_sku,
    import_command,
    import_order,
    line,
    receive,
)
from flexhub.testing.snapshots import ledger, level, order, snapshot

JUNE_1, JUNE_2 = datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 6, 2, tzinfo=UTC)


@pytest.fixture
def admin(any_hub: Hub) -> Actor:
    """Acme: 10 TEE-RED-M in WH-CENTRAL, sold through `web`."""
    return create_shop(any_hub)


def refused(hub: Hub, error: type, action) -> None:
    before = snapshot(hub)
    with pytest.raises(error):
        action()
    assert snapshot(hub) == before


def test_an_imported_order_is_reserved_with_its_reservations_and_ledger_rows(any_hub: Hub, admin: Actor) -> None:
    imported = import_order(any_hub, admin, lines=[line(quantity=2)])
    assert (imported.status, imported.created) == ("reserved", True)
    found = order(any_hub, admin, imported.order_id)
    assert (found["status"], found["external_id"], found["total"], found["version"]) == ("reserved", "A-1001", 19800, 1)
    assert [(r["sku"], r["location"], r["pool"], r["quantity"], r["state"]) for r in found["reservations"]] == [
        ("TEE-RED-M", "WH-CENTRAL", "spot", 2, "active")]
    reserve = ledger(any_hub)[-1]
    assert (reserve.kind, reserve.reserved_delta, reserve.on_hand_delta, reserve.reference) == (
        "reserve", 2, 0, str(imported.order_id))
    assert level(any_hub, admin, "TEE-RED-M")["available"] == 8


def test_a_replayed_order_returns_the_same_order_and_writes_nothing(any_hub: Hub, admin: Actor) -> None:
    first = import_order(any_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_1.isoformat())
    before = snapshot(any_hub)
    again = import_order(any_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_1.isoformat())
    assert (again.order_id, again.status, again.created) == (first.order_id, "reserved", False)
    assert snapshot(any_hub) == before


def test_a_replay_without_a_channel_timestamp_is_still_a_replay(any_hub: Hub, admin: Actor) -> None:
    first = import_order(any_hub, admin)
    before = snapshot(any_hub)
    assert import_order(any_hub, admin, lines=[line(quantity=9)]).order_id == first.order_id
    assert snapshot(any_hub) == before


def test_a_shortage_with_reject_refuses_the_order_and_stores_nothing(any_hub: Hub, admin: Actor) -> None:
    refused(any_hub, InsufficientStock,
            lambda: import_order(any_hub, admin, lines=[line(quantity=11)], on_shortage="reject"))


def test_a_shortage_with_backorder_keeps_the_order_awaiting_stock_without_reserving(any_hub: Hub,
                                                                                    admin: Actor) -> None:
    rows = len(ledger(any_hub))
    imported = import_order(any_hub, admin, lines=[line(quantity=11)])
    found = order(any_hub, admin, imported.order_id)
    assert (found["status"], found["status_reason"]) == ("awaiting_stock", "not enough stock when imported")
    assert found["reservations"] == []
    assert len(ledger(any_hub)) == rows
    assert level(any_hub, admin, "TEE-RED-M")["reserved"] == 0


def test_an_order_cancelled_by_the_channel_before_import_is_stored_cancelled(any_hub: Hub, admin: Actor) -> None:
    imported = import_order(any_hub, admin, cancelled=True)
    assert imported.status == "cancelled"
    assert order(any_hub, admin, imported.order_id)["reservations"] == []


def test_presale_lines_reserve_only_the_presale_pool(any_hub: Hub, admin: Actor) -> None:
    create_channel(any_hub, admin, "live", pools=["spot", "presale"])
    receive(any_hub, admin, "TEE-RED-M", "WH-CENTRAL", 5, pool="presale")
    presale = import_order(any_hub, admin, external_id="P-1", channel="live",
                           lines=[line(quantity=3, presale=True)])
    found = order(any_hub, admin, presale.order_id)
    assert [(r["pool"], r["quantity"]) for r in found["reservations"]] == [("presale", 3)]
    assert found["presale"]
    # Spot has 10, presale 2 left: a presale line for 3 does not fall back to spot.
    refused(any_hub, InsufficientStock, lambda: import_order(
        any_hub, admin, external_id="P-2", channel="live", lines=[line(quantity=3, presale=True)],
        on_shortage="reject"))
    spot_order = import_order(any_hub, admin, external_id="S-1", channel="live", lines=[line(quantity=10)])
    assert [r["pool"] for r in order(any_hub, admin, spot_order.order_id)["reservations"]] == ["spot"]


def test_a_whole_presale_order_draws_every_line_from_presale(any_hub: Hub, admin: Actor) -> None:
    create_channel(any_hub, admin, "live", pools=["spot", "presale"])
    receive(any_hub, admin, "TEE-RED-M", "WH-CENTRAL", 5, pool="presale")
    imported = import_order(any_hub, admin, channel="live", presale=True, lines=[line(quantity=5)])
    assert {r["pool"] for r in order(any_hub, admin, imported.order_id)["reservations"]} == {"presale"}


def test_a_channel_without_presale_cannot_take_presale_stock(any_hub: Hub, admin: Actor) -> None:
    receive(any_hub, admin, "TEE-RED-M", "WH-CENTRAL", 5, pool="presale")
    refused(any_hub, InsufficientStock, lambda: import_order(
        any_hub, admin, lines=[line(quantity=1, presale=True)], on_shortage="reject"))


def test_a_channel_sells_only_from_the_pools_it_names(any_hub: Hub, admin: Actor) -> None:
    reseller = create_partner(any_hub, admin, "r1")
    create_channel(any_hub, admin, "r1-shop", partner="r1", pools=["consigned:r1"])
    # Spot has 10, the reseller's consigned pool nothing: the reseller cannot take spot stock.
    refused(any_hub, InsufficientStock, lambda: import_order(
        any_hub, reseller, channel="r1-shop", lines=[line(quantity=1)], on_shortage="reject"))
    receive(any_hub, admin, "TEE-RED-M", "WH-CENTRAL", 3, pool="consigned:r1")
    imported = import_order(any_hub, reseller, channel="r1-shop", lines=[line(quantity=3)], on_shortage="reject")
    assert [(r["pool"], r["quantity"]) for r in order(any_hub, reseller, imported.order_id)["reservations"]] == [
        ("consigned:r1", 3)]
    # And the brand's own channel cannot take the reseller's consigned stock.
    receive(any_hub, admin, "TEE-RED-M", "WH-CENTRAL", 5, pool="consigned:r1")
    refused(any_hub, InsufficientStock, lambda: import_order(
        any_hub, admin, external_id="A-2", lines=[line(quantity=11)], on_shortage="reject"))


def test_pools_are_drawn_in_the_order_the_channel_names_them(any_hub: Hub, admin: Actor) -> None:
    create_partner(any_hub, admin, "r1")
    create_channel(any_hub, admin, "r1-shop", partner="r1", pools=["consigned:r1", "spot"])
    receive(any_hub, admin, "TEE-RED-M", "WH-CENTRAL", 2, pool="consigned:r1")
    first = import_order(any_hub, admin, external_id="R-1", channel="r1-shop", lines=[line(quantity=2)])
    second = import_order(any_hub, admin, external_id="R-2", channel="r1-shop", lines=[line(quantity=2)])
    assert [r["pool"] for r in order(any_hub, admin, first.order_id)["reservations"]] == ["consigned:r1"]
    assert [r["pool"] for r in order(any_hub, admin, second.order_id)["reservations"]] == ["spot"]


def test_a_reservation_spreads_over_locations_only_when_no_single_one_covers_it(any_hub: Hub,
                                                                               admin: Actor) -> None:
    create_location(any_hub, admin, "WH-SOUTH", kind="regional", priority=200)
    create_location(any_hub, admin, "STORE-SH", kind="store", can_ship=False, priority=1)
    receive(any_hub, admin, "TEE-RED-M", "WH-SOUTH", 4)
    receive(any_hub, admin, "TEE-RED-M", "STORE-SH", 50)  # cannot ship: never reserved for an order
    spread = import_order(any_hub, admin, external_id="A-1", lines=[line(quantity=12)], on_shortage="reject")
    assert sorted((r["location"], r["quantity"]) for r in order(any_hub, admin, spread.order_id)["reservations"]) == [
        ("WH-CENTRAL", 10), ("WH-SOUTH", 2)]
    whole = import_order(any_hub, admin, external_id="A-2", lines=[line(quantity=2)], on_shortage="reject")
    assert [(r["location"], r["quantity"]) for r in order(any_hub, admin, whole.order_id)["reservations"]] == [
        ("WH-SOUTH", 2)]


def test_a_bundle_reserves_its_components_all_or_none(any_hub: Hub, admin: Actor) -> None:
    create_sku(any_hub, admin, "CAP-LOGO")
    create_bundle(any_hub, admin, "GIFT-SET", {"TEE-RED-M": 1, "CAP-LOGO": 2})
    receive(any_hub, admin, "CAP-LOGO", "WH-CENTRAL", 3)
    # Two sets need 2 tees (plenty) and 4 caps (3 on hand): nothing at all is reserved.
    refused(any_hub, InsufficientStock, lambda: import_order(
        any_hub, admin, lines=[line("GIFT-SET", quantity=2)], on_shortage="reject"))
    imported = import_order(any_hub, admin, lines=[line("GIFT-SET", quantity=1)], on_shortage="reject")
    found = order(any_hub, admin, imported.order_id)
    assert sorted((r["sku"], r["quantity"]) for r in found["reservations"]) == [("CAP-LOGO", 2), ("TEE-RED-M", 1)]
    assert [(ln["sku"], ln["quantity"]) for ln in found["lines"]] == [("GIFT-SET", 1)]


def test_all_lines_or_none_across_skus(any_hub: Hub, admin: Actor) -> None:
    create_sku(any_hub, admin, "CAP-LOGO")
    receive(any_hub, admin, "CAP-LOGO", "WH-CENTRAL", 1)
    refused(any_hub, InsufficientStock, lambda: import_order(
        any_hub, admin, lines=[line(quantity=2), line("CAP-LOGO", quantity=2)], on_shortage="reject"))
    backordered = import_order(any_hub, admin, lines=[line(quantity=2), line("CAP-LOGO", quantity=2)])
    assert backordered.status == "awaiting_stock"
    assert level(any_hub, admin, "TEE-RED-M")["reserved"] == 0


def test_an_order_with_an_unknown_sku_is_refused_and_nothing_is_stored(any_hub: Hub, admin: Actor) -> None:
    refused(any_hub, UnknownSku, lambda: import_order(any_hub, admin, lines=[line(), line("MUG-WHITE")]))


def test_an_order_for_an_unknown_channel_is_refused(any_hub: Hub, admin: Actor) -> None:
    refused(any_hub, UnknownChannel, lambda: import_order(any_hub, admin, channel="tmall"))


def test_an_order_whose_discounts_exceed_its_value_is_refused(any_hub: Hub, admin: Actor) -> None:
    refused(any_hub, InvalidOrder, lambda: import_order(
        any_hub, admin, lines=[line(quantity=1, unit_price=1000, discount=800)], order_discount=300))


def test_one_batch_holds_each_order_once_and_a_later_version_in_it_is_an_update(hub: Hub) -> None:
    """What the combiner hands in: the same order three times in one transaction."""
    admin = create_shop(hub)
    commands = [
        import_command(admin, lines=[line(quantity=2)], updated_at=JUNE_1.isoformat(), payment_state="pending"),
        import_command(admin, lines=[line(quantity=2)], updated_at=JUNE_1.isoformat(), payment_state="pending"),
        import_command(admin, lines=[line(quantity=2)], updated_at=JUNE_2.isoformat(), payment_state="paid"),
        import_command(admin, external_id="A-1002", lines=[line(quantity=9)], on_shortage="reject"),
    ]
    with hub.uow() as uow:
        outcomes = import_batch(uow, commands)
        uow.commit()
    first = outcomes[0]
    assert isinstance(first, Imported) and first.created
    assert outcomes[1] == Imported(first.order_id, "reserved", created=False)
    assert outcomes[2] == NewerVersion(first.order_id)  # not dropped: the caller applies it after the batch
    assert isinstance(outcomes[3], InsufficientStock)  # 2 of 10 taken by the first: 9 more do not fit
    assert level(hub, admin, "TEE-RED-M")["reserved"] == 2


def test_a_later_version_through_the_combiner_is_applied(combined_hub: Hub) -> None:
    admin = create_shop(combined_hub)
    import_order(combined_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_1.isoformat())
    updated = import_order(combined_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_2.isoformat(),
                           cancelled=True)
    assert (updated.status, updated.created) == ("cancelled", False)
    assert level(combined_hub, admin, "TEE-RED-M")["reserved"] == 0


def test_coroutines_submit_to_the_writer_and_get_what_the_answer_needs(any_hub: Hub, admin: Actor) -> None:
    commands = [import_command(admin, external_id=f"AS-{n}", lines=[line(quantity=3)], on_shortage="reject")
                for n in range(4)]

    async def submit_all() -> tuple[Imported, list]:
        replay_source = await any_hub.writer.submit(commands[0])
        many = await any_hub.writer.submit_many([commands[0], *commands[1:]])
        return replay_source, many

    first, answers = aio.run(submit_all())
    assert (first.status, first.created) == ("reserved", True)
    assert (answers[0].order_id, answers[0].created) == (first.order_id, False)  # a replay
    assert [type(a) for a in answers[1:]] == [Imported, Imported, InsufficientStock]  # 10 units: 3 + 3 + 3, then none
    assert order(any_hub, admin, answers[2].order_id)["status"] == "reserved"
    assert level(any_hub, admin, "TEE-RED-M")["available"] == 1
    with pytest.raises(InsufficientStock):
        aio.run(any_hub.writer.submit(commands[3]))

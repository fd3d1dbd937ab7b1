"""The demo's closing figures count what can go wrong: units shipped or held past every unit that came in, and
stock the ledger does not explain, as "oversold"; orders a store took that the hub could not fill, apart, as
"awaiting stock". Each is planted here and seen counted, in the figures and in the tables the demo prints; an honest
day counts 0."""

import io
import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from rich.console import Console

from flexhub.bench.oversell import committed_beyond_supply
from flexhub.bootstrap import Hub
from flexhub.demo import summary
from flexhub.demo.planning import Planning
from flexhub.fulfillment import commands as ful
from flexhub.kernel.messages import Actor
from flexhub.routing.commands import RouteOrder
from flexhub.sandbox.buyers import Tally
from flexhub.testing import faults
from flexhub.testing.builders import create_shop, import_order, line, receive
from flexhub.testing.finance import douyin_shop, sell_and_ship
from flexhub.testing.hubs import running_hub

SKU = "TEE-RED-M"


@pytest.fixture
def shop(database_url: str) -> Iterator[tuple[Hub, Actor]]:
    with running_hub(database_url) as hub:
        admin = create_shop(hub, stock=3, sku=SKU)
        yield hub, admin


def planted(hub: Hub, fault) -> None:  # type: ignore[no-untyped-def]
    with hub.engine.begin() as connection:
        fault(connection)


def test_an_honest_day_oversells_nothing(shop) -> None:
    hub, admin = shop
    import_order(hub, admin, external_id="A-1", lines=[line(SKU, 2)])

    assert summary.oversold(hub, admin) == summary.Oversold(beyond_supply=0, ledger_gap=0)


def test_units_held_past_what_came_in_are_oversold(shop) -> None:
    hub, admin = shop
    import_order(hub, admin, external_id="A-1", lines=[line(SKU, 2)])

    planted(hub, lambda c: faults.reserve_around_the_levels(c, admin.tenant_id, SKU, 4))

    assert summary.oversold(hub, admin) == summary.Oversold(beyond_supply=2 + 4 - 3, ledger_gap=0)


def test_units_shipped_past_what_came_in_are_oversold(shop) -> None:
    hub, admin = shop

    planted(hub, lambda c: faults.ship_around_the_levels(c, admin.tenant_id, SKU, 5))

    found = summary.oversold(hub, admin)
    assert found.beyond_supply == 5 - 3
    assert found.ledger_gap == 5  # the level still shows the 3 units the ledger says left
    assert found.units == 7


def test_with_the_check_constraint_lifted_a_level_past_on_hand_is_oversold(shop) -> None:
    hub, admin = shop

    def past_on_hand(connection) -> None:  # type: ignore[no-untyped-def]
        with faults.stock_check_lifted(connection):
            faults.reserve_past_on_hand(connection, admin.tenant_id, SKU, 5)
            assert committed_beyond_supply(connection, admin.tenant_id) == 5 - 3
            connection.rollback()  # the constraint back, on the per-worker PostgreSQL database too

    with hub.engine.connect() as connection:
        past_on_hand(connection)
    assert summary.oversold(hub, admin).units == 0


def test_an_order_a_store_took_that_the_hub_could_not_fill_is_counted_apart(shop) -> None:
    hub, admin = shop
    import_order(hub, admin, external_id="A-1", lines=[line(SKU, 2)])
    late = import_order(hub, admin, external_id="A-2", lines=[line(SKU, 2)])

    figures = summary.order_figures(summary.order_statuses(hub, admin))

    assert late.status == "awaiting_stock"
    assert (figures["received"], figures["accepted"], figures["awaiting_stock"]) == (2, 1, 1)
    assert summary.oversold(hub, admin).units == 0  # kept, not oversold


def test_the_closing_tables_show_what_was_counted(shop) -> None:
    """The figures above reach the tables the demo prints: oversold, awaiting stock in total and per channel."""
    hub, admin = shop
    import_order(hub, admin, external_id="A-1", lines=[line(SKU, 2)])
    import_order(hub, admin, external_id="A-2", lines=[line(SKU, 2)])
    planted(hub, lambda c: faults.reserve_around_the_levels(c, admin.tenant_id, SKU, 4))

    printed = rendered(summary.tables(hub, admin, Tally(), 10.0, SimpleNamespace(shipped=0, collected=0),
                                      Planning(supplier_key="k")))

    assert re.search(r"│ oversold\s+│ 3\s+│", printed)  # held 2 + 4 of the 3 that came in
    assert re.search(r"│ kept, awaiting stock \(sold on the platform first\)\s+│ 1\s+│", printed)
    assert re.search(r"│ accepted \(stock reserved\)\s+│ 1\s+│", printed)
    assert re.search(r"│ web\s+│ 2\s+│ 1\s+│ 1\s+│ 0\s+│", printed)  # orders, accepted, awaiting, cancelled


def test_the_margin_per_channel_counts_the_orders_shipped_only(hub: Hub) -> None:
    """One order shipped (100.00, 10 % fees, an 8.00 rate card: margin 82.0 %), one accepted and not shipped: the
    summary's margin is the shipped order's, the other is shown beside it, outside it; once it ships it is in."""
    admin, _ = douyin_shop(hub)
    receive(hub, admin, SKU, "WH-CENTRAL", 10)
    sell_and_ship(hub, admin, "DY-1", "小雅", [line(SKU, 1, 10000)])
    waiting = import_order(hub, admin, channel="douyin-live", external_id="DY-2", streamer="小雅",
                           lines=[line(SKU, 1, 5000)], placed_at="2025-03-02T09:00:00+08:00")

    assert summary.margins(hub, admin) == [summary.Margin("douyin-live", "CNY", 10000, 8200, 0.82)]
    printed = closing(hub, admin)
    assert re.search(r"│ douyin-live\s+│ CNY\s+│ 100.00\s+│ 82.00\s+│ 82.0%\s+│ 1\s+│", printed), printed

    ship_order(hub, admin, str(waiting.order_id))

    # 150.00 less fees 15.00 and the rate card twice, 16.00: 119.00
    assert summary.margins(hub, admin) == [summary.Margin("douyin-live", "CNY", 15000, 11900, 0.7933)]
    assert re.search(r"│ douyin-live\s+│ CNY\s+│ 150.00\s+│ 119.00\s+│ 79.3%\s+│ 0\s+│", closing(hub, admin))


def closing(hub: Hub, admin: Actor) -> str:
    return rendered(summary.tables(hub, admin, Tally(), 10.0, SimpleNamespace(shipped=0, collected=0),
                                   Planning(supplier_key="k")))


def ship_order(hub: Hub, admin: Actor, order_id: str) -> None:
    assert hub.handle(RouteOrder(actor=admin, order_id=order_id)).outcome == "routed"
    shipment = str(hub.handle(ful.CreateShipment(actor=admin, order_id=order_id)).id)
    hub.handle(ful.ConfirmPick(actor=admin, shipment_id=shipment))
    hub.handle(ful.PackShipment(actor=admin, shipment_id=shipment))
    hub.handle(ful.ShipShipment(actor=admin, shipment_id=shipment, waybill_number="ZTO-DY-2"))


def rendered(tables: list) -> str:  # type: ignore[type-arg]
    console = Console(record=True, width=160, file=io.StringIO())
    for table in tables:
        console.print(table)
    return console.export_text()

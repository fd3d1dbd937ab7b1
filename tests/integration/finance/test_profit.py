"""Profit per streamer, SKU and category equals a hand-computed example, on SQLite and PostgreSQL: tees bought at
20.00 then 26.00 (moving average 23.33 once two have shipped), socks at 5.00; three Douyin orders routed (a
flat 8.00 rate card), shipped and settled — one by the channel's 10 % terms, two by a statement, one of them
partly refunded.

By hand (fen):

    order A  小雅  2 tees at 99.00, 10.00 off     revenue 19800  discounts 1000  fees 1880 (terms)  cogs 4000
                                                  shipping 800   refunds 0      gross profit 12120
    order B  小雅  1 tee at 99.00, 2 socks at 15.00 with 3.00 off, 6.00 shipping paid by the buyer
                                                  revenue 13500  discounts 300   fees 1500 (statement)
                                                  cogs 2333 + 1000  shipping 800  refunds 0  gross profit 7567
    order C  阿杰  3 socks at 15.00               revenue 4500   fees 450 − 150 given back (statement)
                                                  cogs 1500  shipping 800  refunds 1500       gross profit 400

Per SKU, order B's shipping paid (600), fees (1500) and carrier price (800) are shared by line value (tee 9900,
socks 2700): 471/129, 1179/321, 629/171 — the leftover unit to the larger remainder.

Two more orders have not shipped: D (小雅, a tee at 99.00, routed: its rate card price known, its cost of goods not
yet) and E (阿杰, 50 socks at 15.00, awaiting stock). Profit books an order when its goods leave, so neither is in
the figures above; on basis `placed` both are, without cost of goods:

    小雅  revenue 33300 + 9900   discounts 1300  fees 3380 + 990   cogs 7333  shipping 1600 + 800
          gross profit 27797 / net 41900 = 0.6634
    阿杰  revenue 4500 + 75000   fees 300 + 7500  cogs 1500  shipping 800  refunds 1500
          gross profit 67900 / net 78000 = 0.8705
"""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flexhub.bootstrap import Hub
from flexhub.cli.main import app
from flexhub.finance.commands import ImportStatement
from flexhub.finance.costs import sku_costs_view
from flexhub.finance.errors import UnknownBasis
from flexhub.finance.profit import profit_view
from flexhub.fulfillment import commands as ful
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.routing.commands import RouteOrder
from flexhub.testing.builders import import_order, line
from flexhub.testing.finance import buy, douyin_bill, douyin_shop, sell_and_ship
from flexhub.testing.profit_oracle import oracle_view
from flexhub.testing.purchasing import supplier_terms

FIGURES = ("revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds", "gross_profit", "margin")


def sell(hub: Hub, admin: Actor, external_id: str, streamer: str, lines: list[dict], **fields: object) -> None:
    sell_and_ship(hub, admin, external_id, streamer, lines, **fields)


def settle(hub: Hub, admin: Actor) -> None:
    """Douyin's bill for orders B and C (C partly refunded after settlement); none for A."""
    d = Decimal
    bill = douyin_bill([("2025-03-10 10:00:00", "SB1", "DY-B", "已结算", d("132.00"), d("5.00"), d("10.00")),
                        ("2025-03-10 10:05:00", "SB2", "DY-C", "已结算", d("45.00"), d("1.50"), d("3.00")),
                        ("2025-03-12 09:00:00", "SB3", "DY-C", "结算后退款-原路退回", d("-15.00"), d("-0.50"),
                         d("-1.00"))])
    kept = hub.handle(ImportStatement(actor=admin, channel="douyin-live", format="douyin_settlement", content=bill))
    assert (kept.lines, kept.unreadable) == (3, [])


@pytest.fixture
def trading(hub: Hub) -> Actor:
    admin, mill = douyin_shop(hub)
    for sku in ("TEE-RED-M", "SOCK-BLK-L"):
        supplier_terms(hub, admin, "mill-1", sku, unit_cost=9999)  # never what a receipt cost: orders say
    buy(hub, admin, mill, {"TEE-RED-M": 10}, {"TEE-RED-M": 2000})
    sell(hub, admin, "DY-A", "小雅", [line("TEE-RED-M", 2, 9900)], order_discount=1000)
    buy(hub, admin, mill, {"TEE-RED-M": 10, "SOCK-BLK-L": 20}, {"TEE-RED-M": 2600, "SOCK-BLK-L": 500})
    sell(hub, admin, "DY-B", "小雅", [line("TEE-RED-M", 1, 9900), line("SOCK-BLK-L", 2, 1500, discount=300)],
         shipping_fee=600)
    sell(hub, admin, "DY-C", "阿杰", [line("SOCK-BLK-L", 3, 1500)])
    settle(hub, admin)
    held = import_order(hub, admin, channel="douyin-live", external_id="DY-D", streamer="小雅",
                        lines=[line("TEE-RED-M", 1, 9900)], placed_at="2025-03-03T08:00:00+08:00")
    assert hub.handle(RouteOrder(actor=admin, order_id=str(held.order_id))).outcome == "routed"
    short = import_order(hub, admin, channel="douyin-live", external_id="DY-E", streamer="阿杰",
                         lines=[line("SOCK-BLK-L", 50, 1500)], placed_at="2025-03-03T09:00:00+08:00")
    assert short.status == "awaiting_stock"
    return admin


def figures(hub: Hub, admin: Actor, by: str, **period: object) -> dict[str | None, tuple]:
    """Profit's rows (DuckDB), checked against the oracle's (Python) on the way."""
    with hub.uow(write=False) as uow:
        rows = profit_view(uow.connection, admin.tenant_id, by, **period)["rows"]
        assert rows == oracle_view(uow.connection, admin.tenant_id, by, **period)["rows"]
    assert {row["currency"] for row in rows} <= {"CNY"}
    return {row["key"]: tuple(row[name] for name in FIGURES) for row in rows}


def test_profit_per_streamer_sku_and_category_is_the_hand_computed_one(hub: Hub, trading: Actor) -> None:
    assert figures(hub, trading, "streamer") == {
        "小雅": (33300, 1300, 3380, 7333, 1600, 0, 19687, 0.6152),  # 19687 / 32000
        "阿杰": (4500, 0, 300, 1500, 800, 1500, 400, 0.1333),  # 400 / 3000
    }
    by_sku = {
        "TEE-RED-M": (30171, 1000, 3059, 6333, 1429, 0, 18350, 0.629),  # 18350 / 29171
        "SOCK-BLK-L": (7629, 300, 621, 2500, 971, 1500, 1737, 0.298),  # 1737 / 5829
    }
    assert figures(hub, trading, "sku") == by_sku
    assert figures(hub, trading, "category") == {"tees": by_sku["TEE-RED-M"], "socks": by_sku["SOCK-BLK-L"]}
    assert figures(hub, trading, "store")["douyin-live"][6] == figures(hub, trading, "channel")["douyin"][6] == 20087


def test_orders_not_yet_shipped_count_on_basis_placed_only(hub: Hub, trading: Actor) -> None:
    assert figures(hub, trading, "streamer", basis="placed") == {
        "小雅": (43200, 1300, 4370, 7333, 2400, 0, 27797, 0.6634),
        "阿杰": (79500, 0, 7800, 1500, 800, 1500, 67900, 0.8705),
    }
    assert figures(hub, trading, "streamer", basis="shipped") == figures(hub, trading, "streamer")


def test_the_period_is_the_one_the_goods_left_in(hub: Hub, trading: Actor) -> None:
    """Placed in March 2025, shipped today: booked today on the default basis, in March 2025 when placed."""
    today = clock.now()
    march = {"start": datetime(2025, 3, 1, tzinfo=UTC), "end": datetime(2025, 4, 1, tzinfo=UTC)}

    assert set(figures(hub, trading, "month")) == {today.strftime("%Y-%m")}
    assert set(figures(hub, trading, "month", basis="placed")) == {"2025-03"}
    assert figures(hub, trading, "streamer", **march) == {}
    assert set(figures(hub, trading, "streamer", basis="placed", **march)) == {"小雅", "阿杰"}
    assert figures(hub, trading, "streamer", start=today - timedelta(hours=1)) == figures(hub, trading, "streamer")


def test_a_partly_shipped_order_waits_for_its_last_parcel(hub: Hub, trading: Actor) -> None:
    before = figures(hub, trading, "streamer")
    order_id = str(import_order(hub, trading, channel="douyin-live", external_id="DY-F", streamer="小雅",
                                lines=[line("TEE-RED-M", 1, 9900), line("SOCK-BLK-L", 1, 1500)]).order_id)
    assert hub.handle(RouteOrder(actor=trading, order_id=order_id)).outcome == "routed"

    assert ship_lines(hub, trading, order_id, {1: 1}) == "partially_shipped"
    assert figures(hub, trading, "streamer") == before  # the tee has left, the order is not booked yet

    assert ship_lines(hub, trading, order_id, {2: 1}) == "shipped"
    after = figures(hub, trading, "streamer")
    assert after["阿杰"] == before["阿杰"]
    assert after["小雅"][0] == before["小雅"][0] + 9900 + 1500  # booked whole once the socks left too
    assert after["小雅"][3] == before["小雅"][3] + 2333 + 500  # a tee at 23.33 and a pair of socks at 5.00


def ship_lines(hub: Hub, admin: Actor, order_id: str, lines: dict[int, int | None]) -> str:
    """A parcel of these lines made, picked, packed and shipped; the order's status after it."""
    shipment = str(hub.handle(ful.CreateShipment(actor=admin, order_id=order_id, lines=lines)).id)
    hub.handle(ful.ConfirmPick(actor=admin, shipment_id=shipment))
    hub.handle(ful.PackShipment(actor=admin, shipment_id=shipment))
    return hub.handle(ful.ShipShipment(actor=admin, shipment_id=shipment,
                                       waybill_number=f"ZTO{shipment[-8:]}")).order_status


def test_an_unknown_basis_is_refused(hub: Hub, trading: Actor) -> None:
    with hub.uow(write=False) as uow, pytest.raises(UnknownBasis) as refused:
        profit_view(uow.connection, trading.tenant_id, "sku", basis="paid")
    assert refused.value.code == "finance.unknown_basis" and refused.value.status == 422


def test_costs_are_the_moving_average_of_receipts(hub: Hub, trading: Actor) -> None:
    with hub.uow(write=False) as uow:
        skus = {row["sku"]: row for row in sku_costs_view(uow.connection, trading.tenant_id)}

    # tees: 8 left at 20.00 and 10 in at 26.00 make 23.33; one shipped at that; 17 left worth 396.67
    assert (skus["TEE-RED-M"]["on_hand"], skus["TEE-RED-M"]["unit_cost"], skus["TEE-RED-M"]["value"]) == \
        (17, 2333, 39667)
    assert (skus["SOCK-BLK-L"]["on_hand"], skus["SOCK-BLK-L"]["unit_cost"], skus["SOCK-BLK-L"]["value"]) == \
        (15, 500, 7500)


def test_the_cli_prints_profit_per_streamer(hub: Hub, trading: Actor, database_url: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))

    shown = CliRunner().invoke(app, ["finance", "profit", "--by", "streamer", "--json", "--tenant", "acme"])
    placed = CliRunner().invoke(app, ["finance", "profit", "--by", "streamer", "--basis", "placed", "--json",
                                      "--tenant", "acme"])
    wrong = CliRunner().invoke(app, ["finance", "profit", "--by", "colour", "--tenant", "acme"])
    no_basis = CliRunner().invoke(app, ["finance", "profit", "--basis", "paid", "--tenant", "acme"])

    assert shown.exit_code == 0, shown.output
    assert [(row["key"], row["gross_profit"]) for row in json.loads(shown.stdout)["rows"]] == \
        [("小雅", 19687), ("阿杰", 400)]
    assert [(row["key"], row["gross_profit"]) for row in json.loads(placed.stdout)["rows"]] == \
        [("小雅", 27797), ("阿杰", 67900)]
    assert wrong.exit_code == 1 and "finance.unknown_dimension" in wrong.output
    assert no_basis.exit_code == 1 and "finance.unknown_basis" in no_basis.output

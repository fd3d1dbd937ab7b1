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
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flexhub.bootstrap import Hub
from flexhub.cli.main import app
from flexhub.finance.commands import ImportStatement
from flexhub.finance.costs import sku_costs_view
from flexhub.finance.profit import profit_view
from flexhub.kernel.messages import Actor
from flexhub.testing.builders import (
    line,
)
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
    return admin


def figures(hub: Hub, admin: Actor, by: str) -> dict[str | None, tuple]:
    """Profit's rows (DuckDB), checked against the oracle's (Python) on the way."""
    with hub.uow(write=False) as uow:
        rows = profit_view(uow.connection, admin.tenant_id, by)["rows"]
        assert rows == oracle_view(uow.connection, admin.tenant_id, by)["rows"]
    assert {row["currency"] for row in rows} == {"CNY"}
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
    wrong = CliRunner().invoke(app, ["finance", "profit", "--by", "colour", "--tenant", "acme"])

    assert shown.exit_code == 0, shown.output
    assert [(row["key"], row["gross_profit"]) for row in json.loads(shown.stdout)["rows"]] == \
        [("小雅", 19687), ("阿杰", 400)]
    assert wrong.exit_code == 1 and "finance.unknown_dimension" in wrong.output

"""What returns cost enters profit per streamer, SKU and channel, by a hand-computed example on SQLite and
PostgreSQL: tees bought at 20.00, socks at 5.00, Douyin's terms 10 %, a flat 8.00 rate card.

Order R1 (小雅): 2 tees at 99.00 and 2 socks at 15.00, shipped; settled by a statement (228.00 gross, 22.80 fees),
then 1 tee and 2 socks come back: the statement refunds 129.00; the parcel back cost 12.00 and handling 3.00; the
tee and one sock are resellable (back in stock at 20.00 and 5.00), the other sock is scrapped (written off at the
5.00 it shipped at). Order R2 (阿杰): 1 tee at 99.00, shipped, no statement, no return.

By hand (fen), R1:
    cogs          4000 + 1000 shipped − 2000 − 500 restocked − 500 written off           = 2000
    return costs  500 written off + (1200 + 300) over the return's units (tee 1, socks 2): tee 500, socks 1000
                                                                              tee 500, socks 1500 = 2000
    by line value (tee 19800, socks 3000): fees 2280 → 1980 / 300, carrier 800 → 695 / 105,
                                           refunds 12900 → 11203 / 1697 (the leftover unit to the larger remainder)
    tee    19800 − 1980 − 2000 − 695 − 11203 − 500 = 3422
    socks   3000 −  300 −    0 − 105 −  1697 − 1500 = −602                       R1: 2820
R2: 9900 − 990 (terms) − 2000 − 800 = 6110.
"""

from decimal import Decimal

import pytest

from flexhub.bootstrap import Hub
from flexhub.finance.commands import AddReturnCost, ImportStatement
from flexhub.finance.errors import InvalidCost, UnknownReturn
from flexhub.finance.profit import profit_view
from flexhub.kernel.messages import Actor
from flexhub.returns.commands import CreateReturn, InspectReturn, ReceiveReturn
from flexhub.testing.builders import line
from flexhub.testing.finance import buy, douyin_bill, douyin_shop, sell_and_ship
from flexhub.testing.profit_oracle import oracle_view
from flexhub.testing.snapshots import snapshot

FIGURES = ("revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds", "return_costs", "gross_profit",
           "margin")


def settle(hub: Hub, admin: Actor) -> None:
    """Douyin's bill for R1: its sale, and the refund of what came back."""
    d = Decimal
    bill = douyin_bill([("2025-03-10 10:00:00", "SR1", "DY-R1", "已结算", d("228.00"), d(0), d("22.80")),
                        ("2025-03-14 09:00:00", "SR2", "DY-R1", "结算后退款-原路退回", d("-129.00"), d(0), d(0))])
    kept = hub.handle(ImportStatement(actor=admin, channel="douyin-live", format="douyin_settlement", content=bill))
    assert (kept.lines, kept.unreadable) == (2, [])


@pytest.fixture
def returned(hub: Hub) -> tuple[Actor, str]:
    """The shop, and R1's return."""
    admin, mill = douyin_shop(hub)
    buy(hub, admin, mill, {"TEE-RED-M": 10, "SOCK-BLK-L": 20}, {"TEE-RED-M": 2000, "SOCK-BLK-L": 500})
    r1 = sell_and_ship(hub, admin, "DY-R1", "小雅", [line("TEE-RED-M", 2, 9900), line("SOCK-BLK-L", 2, 1500)])
    sell_and_ship(hub, admin, "DY-R2", "阿杰", [line("TEE-RED-M", 1, 9900)])
    settle(hub, admin)
    rma = str(hub.handle(CreateReturn(actor=admin, order_id=r1, lines={"TEE-RED-M": 1, "SOCK-BLK-L": 2},
                                      returns_centre="WH-CENTRAL", reason="too big")).id)
    hub.handle(ReceiveReturn(actor=admin, return_id=rma))
    hub.handle(InspectReturn(actor=admin, return_id=rma, grades={"TEE-RED-M": {"resellable": 1},
                                                                 "SOCK-BLK-L": {"resellable": 1, "scrap": 1}}))
    for kind, amount in (("shipping", 1200), ("handling", 300)):
        hub.handle(AddReturnCost(actor=admin, return_id=rma, kind=kind, amount=amount, currency="CNY",
                                 waybill_number="SF1402" if kind == "shipping" else None))
    return admin, rma


def figures(hub: Hub, admin: Actor, by: str) -> dict[str | None, tuple]:
    with hub.uow(write=False) as uow:
        rows = profit_view(uow.connection, admin.tenant_id, by)["rows"]
        assert rows == oracle_view(uow.connection, admin.tenant_id, by)["rows"]
    return {row["key"]: tuple(row[name] for name in FIGURES) for row in rows}


def test_return_shipping_handling_refunds_and_write_offs_enter_profit(hub: Hub, returned: tuple[Actor, str]) -> None:
    admin, _ = returned

    assert figures(hub, admin, "streamer") == {
        "小雅": (22800, 0, 2280, 2000, 800, 12900, 2000, 2820, 0.2848),  # 2820 / 9900
        "阿杰": (9900, 0, 990, 2000, 800, 0, 0, 6110, 0.6172),  # 6110 / 9900
    }
    assert figures(hub, admin, "sku") == {
        "TEE-RED-M": (29700, 0, 2970, 4000, 1495, 11203, 500, 9532, 0.5153),  # 9532 / 18497
        "SOCK-BLK-L": (3000, 0, 300, 0, 105, 1697, 1500, -602, -0.462),  # −602 / 1303
    }
    by_channel = {"douyin": (32700, 0, 3270, 4000, 1600, 12900, 2000, 8930, 0.451)}  # 8930 / 19800
    assert figures(hub, admin, "channel") == by_channel


def test_a_cost_for_no_return_or_of_no_kind_is_refused_and_writes_nothing(hub: Hub,
                                                                          returned: tuple[Actor, str]) -> None:
    admin, rma = returned
    before = snapshot(hub)

    for wrong, error in ((dict(return_id="01900000-0000-7000-8000-000000000000"), UnknownReturn),
                         (dict(return_id="not-a-return"), UnknownReturn), (dict(kind="postage"), InvalidCost),
                         (dict(amount=0), InvalidCost)):
        given = {"return_id": rma, "kind": "shipping", "amount": 100, "currency": "CNY", **wrong}
        with pytest.raises(error):
            hub.handle(AddReturnCost(actor=admin, **given))  # type: ignore[arg-type]

    assert snapshot(hub) == before

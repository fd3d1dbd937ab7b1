"""Costs in another currency than the order's are converted with the recorded rate of the day, by a hand-computed
example on SQLite and PostgreSQL; a missing rate is an error naming it, never 1.0.

The shop keeps its costs in CNY. Tees are bought in USD at 3.00 (USD → CNY 7.20 on the receipt's day: 21.60 CNY).
A Singapore shop (SGD, terms 5 %) sells; SGD → CNY is 5.40 from 2025-03-01 (a rate holds up to 7 days), 5.50 from
2025-03-19.

    SG-1, placed 2025-03-02: 2 tees at 25.00 SGD          revenue 5000   fees 250
        cogs 2 × 2160 fen / 5.40 = 800; the carrier charged 6.50 CNY: 650 / 5.40 = 120.37 → 120
        a return's parcel back 12.00 CNY, booked though nothing came back yet: 1200 / 5.40 = 222.2 → 222
        gross profit 5000 − 250 − 800 − 120 − 222 = 3608
    SG-2, placed 2025-03-20: 1 tee at 25.00 SGD           revenue 2500   fees 125
        cogs 2160 / 5.50 = 392.7 → 393; the rate card's 8.00 CNY: 800 / 5.50 = 145.45 → 145
        gross profit 2500 − 125 − 393 − 145 = 1837
"""

from datetime import date
from decimal import Decimal

import pytest

from flexhub.bootstrap import Hub
from flexhub.finance.commands import (
    AddReturnCost,
    CarrierChargeIn,
    RateIn,
    RecordCarrierCharges,
    RecordExchangeRates,
)
from flexhub.finance.costs import sku_costs_view
from flexhub.finance.errors import InvalidRate, MissingExchangeRate
from flexhub.finance.profit import profit_view
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.returns.commands import CreateReturn
from flexhub.testing.builders import create_channel, line
from flexhub.testing.finance import buy, douyin_shop, sell_and_ship, set_terms
from flexhub.testing.profit_oracle import oracle_view
from flexhub.testing.snapshots import snapshot

FIGURES = ("revenue", "platform_fees", "cogs", "shipping", "return_costs", "gross_profit")


def rates(hub: Hub, admin: Actor, *given: tuple[str, str, date, str]) -> None:
    hub.handle(RecordExchangeRates(actor=admin, source="bank fixings", rates=[
        RateIn(from_currency=f, to_currency=t, day=d, rate=Decimal(r)) for f, t, d, r in given]))


def sell(hub: Hub, admin: Actor, external_id: str, placed: str, units: int) -> str:
    return sell_and_ship(hub, admin, external_id, "Mei", [line("TEE-RED-M", units, 2500)], channel="shopee-sg",
                         placed_at=f"{placed}T10:00:00+08:00", currency="SGD")


@pytest.fixture
def singapore(hub: Hub) -> Actor:
    admin, mill = douyin_shop(hub)
    create_channel(hub, admin, "shopee-sg", "shopee")
    set_terms(hub, admin, "shopee-sg", commission_pct=5)
    rates(hub, admin, ("USD", "CNY", clock.now().date(), "7.20"))
    buy(hub, admin, mill, {"TEE-RED-M": 10}, {"TEE-RED-M": 300}, currency="USD")
    rates(hub, admin, ("SGD", "CNY", date(2025, 3, 1), "5.40"))
    sg1 = sell(hub, admin, "SG-1", "2025-03-02", 2)
    sell(hub, admin, "SG-2", "2025-03-20", 1)
    hub.handle(RecordCarrierCharges(actor=admin, source="SF bill", charges=[
        CarrierChargeIn(waybill_number="ZTOSG-1", amount=650, currency="CNY")]))
    rma = str(hub.handle(CreateReturn(actor=admin, order_id=sg1, lines={"TEE-RED-M": 1})).id)
    hub.handle(AddReturnCost(actor=admin, return_id=rma, kind="shipping", amount=1200, currency="CNY"))
    return admin


def by_day(hub: Hub, admin: Actor) -> dict[str | None, tuple]:
    """Per day the orders were placed (they all shipped today), the day whose rate converts their costs."""
    with hub.uow(write=False) as uow:
        rows = profit_view(uow.connection, admin.tenant_id, "day", basis="placed")["rows"]
        assert rows == oracle_view(uow.connection, admin.tenant_id, "day", basis="placed")["rows"]
    assert {row["currency"] for row in rows} == {"SGD"}
    return {row["key"]: tuple(row[name] for name in FIGURES) for row in rows}


def test_costs_are_converted_with_the_rate_of_the_day(hub: Hub, singapore: Actor) -> None:
    rates(hub, singapore, ("SGD", "CNY", date(2025, 3, 19), "5.50"))

    assert by_day(hub, singapore) == {
        "2025-03-02": (5000, 250, 800, 120, 222, 3608),
        "2025-03-20": (2500, 125, 393, 145, 0, 1837),
    }
    with hub.uow(write=False) as uow:  # kept in CNY: 7 tees left at 21.60
        assert [(s["sku"], s["on_hand"], s["unit_cost"]) for s in sku_costs_view(uow.connection, singapore.tenant_id)] \
            == [("TEE-RED-M", 7, 2160)]


def test_a_missing_rate_is_an_error_naming_it(hub: Hub, singapore: Actor) -> None:
    with hub.uow(write=False) as uow, pytest.raises(MissingExchangeRate) as missing:
        profit_view(uow.connection, singapore.tenant_id, "channel")

    # 2025-03-01's rate holds until 03-08: the order of 03-20 has none (its cost of goods and rate card price)
    assert missing.value.details["missing"] == [{"from": "CNY", "to": "SGD", "date": "2025-03-20"}]


def test_a_receipt_in_a_currency_with_no_rate_is_an_error(hub: Hub, singapore: Actor) -> None:
    admin = singapore
    rates(hub, admin, ("SGD", "CNY", date(2025, 3, 19), "5.50"))
    with hub.uow() as uow:  # forget the receipt's rate
        uow.connection.exec_driver_sql("DELETE FROM finance_exchange_rates WHERE from_currency = 'USD'")
        uow.commit()

    with hub.uow(write=False) as uow, pytest.raises(MissingExchangeRate) as missing:
        sku_costs_view(uow.connection, admin.tenant_id)

    assert missing.value.details["missing"] == [{"from": "USD", "to": "CNY", "date": clock.now().date().isoformat()}]


def test_wrong_rates_are_refused_and_write_nothing(hub: Hub, singapore: Actor) -> None:
    before = snapshot(hub)

    for wrong in (("SGD", "SGD", date(2025, 3, 2), "1"), ("SGD", "CNY", date(2025, 3, 2), "0"),
                  ("SGD", "cny", date(2025, 3, 2), "5.4"), ("SGD", "CNY", date(2025, 3, 2), "5.12345678901")):
        with pytest.raises(InvalidRate):
            rates(hub, singapore, wrong)
    with pytest.raises(InvalidRate):
        rates(hub, singapore, ("SGD", "CNY", date(2025, 3, 2), "5.4"), ("SGD", "CNY", date(2025, 3, 2), "5.5"))

    assert snapshot(hub) == before

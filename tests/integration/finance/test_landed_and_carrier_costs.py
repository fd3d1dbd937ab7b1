"""Landed costs and production receipts move the moving-average cost; what the carrier charged replaces the rate
card in profit — on SQLite and PostgreSQL, against figures worked by hand:

    purchase order: 10 tees at 20.00, 20 socks at 5.00; freight 9.00 by value (200.00 : 100.00) → tees 6.00,
                    socks 3.00: tees 20.60 each, socks 5.15
    production order: 10 tees at 26.00; duty 10.00 by quantity → (206.00 + 260.00 + 10.00) / 20 = 23.80 a tee
    order DY-A: 2 tees at 99.00, 10 % commission (19.80), cost of goods 47.60, the rate card 8.00, the carrier's
                bill 6.50 → gross profit 198.00 − 19.80 − 47.60 − 6.50 = 124.10
"""

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flexhub.bootstrap import Hub
from flexhub.cli.main import app
from flexhub.demo import settlements
from flexhub.finance.commands import AddLandedCost, CarrierChargeIn, RecordCarrierCharges
from flexhub.finance.costs import sku_costs_view
from flexhub.finance.errors import InvalidCost, UnknownReceipt
from flexhub.finance.profit import profit_view
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer
from flexhub.purchasing.commands import CreatePurchaseOrder, OrderLineSpec, SetFactory
from flexhub.testing.builders import line
from flexhub.testing.finance import douyin_shop, sell_and_ship
from flexhub.testing.profit_oracle import oracle_view
from flexhub.testing.purchasing import act, receive_notice, ship, supplier_terms
from flexhub.testing.snapshots import snapshot


def receive(hub: Hub, admin: Actor, mill: Actor, lines: dict[str, tuple[int, int]], kind: str = "purchase") -> str:
    """An order of `lines` (SKU: units, unit cost) sent, confirmed, shipped and received; its notice's id."""
    specs = [OrderLineSpec(sku=sku, quantity=n, unit_cost=cost) for sku, (n, cost) in lines.items()]
    order = hub.handle(CreatePurchaseOrder(actor=admin, supplier="mill-1", location="WH-CENTRAL", lines=specs,
                                           kind=kind)).id
    act(hub, admin, order, "send")
    act(hub, mill, order, "confirm")
    notice = ship(hub, mill, order, {sku: n for sku, (n, _) in lines.items()})["id"]
    receive_notice(hub, admin, notice)
    return str(notice)


@pytest.fixture
def shop(hub: Hub) -> dict[str, Any]:
    admin, mill = douyin_shop(hub)
    hub.handle(SetFactory(actor=admin, supplier="mill-1", daily_capacity=100))  # it makes tees too
    for sku in ("TEE-RED-M", "SOCK-BLK-L"):
        supplier_terms(hub, admin, "mill-1", sku, unit_cost=9999)
    bought = receive(hub, admin, mill, {"TEE-RED-M": (10, 2000), "SOCK-BLK-L": (20, 500)})
    made = receive(hub, admin, mill, {"TEE-RED-M": (10, 2600)}, kind="production")
    sell_and_ship(hub, admin, "DY-A", "小雅", [line("TEE-RED-M", 2, 9900)])
    return {"admin": admin, "bought": bought, "made": made}


def costs(hub: Hub, admin: Actor) -> dict[str, tuple[int, int, int]]:
    with hub.uow(write=False) as uow:
        return {r["sku"]: (r["on_hand"], r["unit_cost"], r["value"]) for r in sku_costs_view(uow.connection,
                                                                                            admin.tenant_id)}


def tee_profit(hub: Hub, admin: Actor) -> tuple[int, int, int, int]:
    with hub.uow(write=False) as uow:
        (row,) = profit_view(uow.connection, admin.tenant_id, "sku")["rows"]
        assert [row] == oracle_view(uow.connection, admin.tenant_id, "sku")["rows"]
    return row["cogs"], row["shipping"], row["gross_profit"], row["margin"]


def test_landed_costs_and_a_production_receipt_move_the_average(hub: Hub, shop: dict[str, Any]) -> None:
    admin = shop["admin"]
    assert costs(hub, admin) == {"TEE-RED-M": (18, 2300, 41400), "SOCK-BLK-L": (20, 500, 10000)}

    freight = hub.handle(AddLandedCost(actor=admin, asn=shop["bought"], kind="freight", amount=900, currency="CNY"))
    hub.handle(AddLandedCost(actor=admin, asn=shop["made"], kind="duty", amount=1000, currency="CNY",
                             basis="quantity"))

    assert answer(freight)["allocated"] == [{"sku": "SOCK-BLK-L", "units": 20, "amount": 300},
                                            {"sku": "TEE-RED-M", "units": 10, "amount": 600}]
    assert costs(hub, admin) == {"TEE-RED-M": (18, 2380, 42840), "SOCK-BLK-L": (20, 515, 10300)}
    assert tee_profit(hub, admin)[:2] == (4760, 800)  # the rate card until the carrier's bill comes


def test_the_carriers_charge_replaces_the_rate_card(hub: Hub, shop: dict[str, Any]) -> None:
    admin = shop["admin"]
    hub.handle(AddLandedCost(actor=admin, asn=shop["bought"], kind="freight", amount=900, currency="CNY"))
    hub.handle(AddLandedCost(actor=admin, asn=shop["made"], kind="duty", amount=1000, currency="CNY",
                             basis="quantity"))

    first = hub.handle(RecordCarrierCharges(actor=admin, source="ZTO bill 2025-03", charges=[
        CarrierChargeIn(waybill_number="ZTODY-A", amount=700, currency="CNY", carrier="zto"),
        CarrierChargeIn(waybill_number="ZTO-NOT-OURS", amount=900, currency="CNY")]))
    again = hub.handle(RecordCarrierCharges(actor=admin, charges=[
        CarrierChargeIn(waybill_number="ZTODY-A", amount=650, currency="CNY")]))

    assert answer(first) == {"recorded": 2, "unmatched": ["ZTO-NOT-OURS"]}
    assert answer(again) == {"recorded": 1, "unmatched": []}
    assert tee_profit(hub, admin) == (4760, 650, 12410, 0.6268)  # the latest charge of the waybill


def test_a_cost_for_no_receipt_or_of_no_kind_is_refused_and_writes_nothing(hub: Hub, shop: dict[str, Any]) -> None:
    admin = shop["admin"]
    before = snapshot(hub)

    with pytest.raises(UnknownReceipt):
        hub.handle(AddLandedCost(actor=admin, asn="01900000-0000-7000-8000-000000000000", kind="freight",
                                 amount=900, currency="CNY"))
    with pytest.raises(InvalidCost):
        hub.handle(AddLandedCost(actor=admin, asn=shop["bought"], kind="lunch", amount=900, currency="CNY"))
    with pytest.raises(InvalidCost):
        hub.handle(RecordCarrierCharges(actor=admin, charges=[
            CarrierChargeIn(waybill_number="ZTODY-A", amount=650, currency="CNY"),
            CarrierChargeIn(waybill_number="ZTODY-A", amount=700, currency="CNY")]))

    assert snapshot(hub) == before


def test_a_carriers_bill_from_the_cli(hub: Hub, shop: dict[str, Any], database_url: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    bill = tmp_path / "zto-2025-03.csv"
    bill.write_text("waybill_number,amount,currency,carrier\nZTODY-A,6.50,CNY,zto\nZTO-ELSE,9.00,CNY,zto\n")
    broken = tmp_path / "broken.csv"
    broken.write_text("waybill_number,amount,currency\nZTODY-A,six,CNY\n")

    recorded = CliRunner().invoke(app, ["finance", "carrier-charges", str(bill), "--tenant", "acme"])
    refused = CliRunner().invoke(app, ["finance", "carrier-charges", str(broken), "--tenant", "acme"])

    assert recorded.exit_code == 0, recorded.output
    assert "recorded 2 waybills; no shipment carries: ZTO-ELSE" in recorded.stdout
    assert refused.exit_code == 1 and "finance.invalid_cost" in refused.output
    assert tee_profit(hub, shop["admin"])[1] == 650


def test_the_demo_bills_its_parcels_and_lands_its_freight(hub: Hub, shop: dict[str, Any]) -> None:
    admin = shop["admin"]

    billed = settlements.carriers_bills(hub, admin)
    landed = settlements.seed_landed_cost(hub, admin, shop["bought"])

    assert (billed, landed) == (1, 36800)
    # the first parcel carries the 1.20 surcharge on the 8.00 rate card; the freight falls 2 : 1 by value on the
    # tees (245.33) and socks (122.67): tees (200.00 + 245.33 + 260.00) / 20 = 35.27 each
    cogs, shipping, _, _ = tee_profit(hub, admin)
    assert shipping == 920
    assert costs(hub, admin)["TEE-RED-M"][1] == 3527 and cogs == 7053  # 2 × 35.2665, rounded once

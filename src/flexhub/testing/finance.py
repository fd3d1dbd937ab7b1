"""Builders for finance tests: the sample statements under tests/fixtures/finance with what each plants, and a
shop holding the orders a sample is reconciled against (cancelled or returned where the sample says)."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from flexhub.bootstrap import Hub
from flexhub.finance.commands import SetFeeTerms
from flexhub.finance.model import DifferenceResolution, FeeTermsVersion, Statement, StatementRow
from flexhub.fulfillment import commands as ful
from flexhub.kernel.messages import Actor
from flexhub.purchasing.commands import CreatePurchaseOrder, OrderLineSpec
from flexhub.returns.commands import CreateReturn
from flexhub.routing.commands import RouteOrder, SetRoutingPolicy
from flexhub.testing.builders import (
    cancel_order,
    create_channel,
    create_location,
    create_partner,
    create_sku,
    create_tenant,
    import_order,
    line,
    receive,
)
from flexhub.testing.purchasing import act, receive_notice, ship

SAMPLES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "finance"
FORMATS = ("shopify_payments", "amazon_settlement_v2", "alipay_bill", "wechatpay_tradebill", "douyin_settlement",
           "shopee_escrow", "jd_settlement")
TERMS_FROM = date(2025, 1, 1)


@dataclass(frozen=True)
class Sample:
    """A sample statement and what it plants: the orders the hub holds, the fee terms, the lines that match and
    the differences (kind, order, expected, actual) a reconciliation must find, and no others."""

    format: str
    content: str
    channel: str
    platform: str
    currency: str
    terms: dict[str, Any]
    orders: list[dict[str, Any]]
    matched: int
    differences: list[tuple[str, str | None, int | None, int | None]]


def sample(name: str) -> Sample:
    planted = json.loads((SAMPLES / f"{name}.expected.json").read_text())
    return Sample(
        format=name, content=(SAMPLES / planted["file"]).read_text(encoding="utf-8"),
        channel=planted["channel"]["code"], platform=planted["channel"]["platform"], currency=planted["currency"],
        terms=planted["terms"], orders=planted["orders"], matched=planted["matched"],
        differences=sorted((d["kind"], d["external_id"], d["expected"], d["actual"]) for d in planted["differences"]),
    )


def shop_for(hub: Hub, planted: Sample, tenant: str = "acme") -> Actor:
    """A new tenant holding the sample's channel, terms and orders (`sell_sample`); its admin."""
    admin = create_tenant(hub, tenant)
    sell_sample(hub, admin, planted)
    return admin


def sell_sample(hub: Hub, admin: Actor, planted: Sample) -> None:
    """The tenant sells through the sample's channel, with its fee terms, and holds its orders (one unit of
    TEE-RED-M each, priced at the order's total), cancelled or returned as the sample says."""
    create_sku(hub, admin, "TEE-RED-M")
    create_location(hub, admin, "WH-CENTRAL")
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 100)
    create_channel(hub, admin, planted.channel, planted.platform)
    set_terms(hub, admin, planted.channel, **planted.terms)
    for order in planted.orders:
        made = import_order(hub, admin, channel=planted.channel, external_id=order["external_id"],
                            currency=planted.currency, placed_at=datetime.fromisoformat(order["placed_at"]),
                            lines=[line(quantity=1, unit_price=order["total"])])
        if order.get("then") == "cancel":
            cancel_order(hub, admin, made.order_id)
        elif order.get("then") == "return":
            hub.handle(CreateReturn(actor=admin, order_id=str(made.order_id), lines={"TEE-RED-M": 1},
                                    reason="did not fit"))


def sell_and_ship(hub: Hub, admin: Actor, external_id: str, streamer: str, lines: list[dict[str, Any]],
                  channel: str = "douyin-live", placed_at: str = "2025-03-02T08:00:00+08:00",
                  waybill: str | None = None, **fields: Any) -> str:
    """An order imported, routed, picked, packed and shipped under `waybill` (ZTO<external id> unless given); its
    id."""
    placed = import_order(hub, admin, channel=channel, external_id=external_id, streamer=streamer, lines=lines,
                          placed_at=placed_at, **fields)
    order_id = str(placed.order_id)
    assert hub.handle(RouteOrder(actor=admin, order_id=order_id)).outcome == "routed"
    shipment = str(hub.handle(ful.CreateShipment(actor=admin, order_id=order_id)).id)
    hub.handle(ful.ConfirmPick(actor=admin, shipment_id=shipment))
    hub.handle(ful.PackShipment(actor=admin, shipment_id=shipment))
    hub.handle(ful.ShipShipment(actor=admin, shipment_id=shipment, waybill_number=waybill or f"ZTO{external_id}"))
    return order_id


FLAT_RATE = {"services": [{"carrier": "zto", "service": "standard", "zones": [
    {"name": "anywhere", "first_price": 800, "additional_price": 0, "first_weight_g": 5000, "days": 1}]}]}


def douyin_shop(hub: Hub) -> tuple[Actor, Actor]:
    """A tenant selling tees and socks from WH-CENTRAL through douyin-live (10 % commission, a flat 8.00 rate
    card), buying from supplier mill-1: its admin and the mill."""
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M", spu="TEE", category="tees", weight_g=300)
    create_sku(hub, admin, "SOCK-BLK-L", spu="SOCK", category="socks", weight_g=100)
    create_location(hub, admin, "WH-CENTRAL", "central", country="CN", province="浙江省", city="杭州市")
    create_channel(hub, admin, "douyin-live", "douyin")
    set_terms(hub, admin, "douyin-live", commission_pct=10)
    hub.handle(SetRoutingPolicy(actor=admin, document=FLAT_RATE))
    return admin, create_partner(hub, admin, "mill-1", kind="supplier")


def douyin_bill(rows: list[tuple[str, str, str, str, Decimal, Decimal, Decimal]]) -> str:
    """A Douyin settlement bill (the sample's header) of rows (settled at, bill number, order, 结算单类型, gross,
    platform service fee, commission), ordered 2025-03-02 08:00; only the totals are filled in."""
    header = sample("douyin_settlement").content.splitlines()[0]
    zeros = ",".join(["0.00"] * 9)  # 商品总价 … 用户实付 left at zero: only the totals are read
    head = "2025-03-02 08:00:00,精选联盟,普通订单,聚合账户"  # 下单时间 … 结算账户
    return "\n".join([header, *(
        f"{at},{bill},{order},{order}1,P1,1,{head},{kind},{gross:.2f},{zeros},{gross:.2f},{service:.2f},"
        f"{commission:.2f},0.00,0.00,0.00,0.00,{service + commission:.2f},{gross - service - commission:.2f},,0.00"
        for at, bill, order, kind, gross, service, commission in rows)])


def buy(hub: Hub, admin: Actor, mill: Actor, lines: dict[str, int], unit_costs: dict[str, int],
        currency: str = "CNY") -> None:
    """A purchase order from supplier mill-1 into WH-CENTRAL at these unit costs, sent, confirmed, shipped and
    received whole."""
    specs = [OrderLineSpec(sku=sku, quantity=n, unit_cost=unit_costs[sku]) for sku, n in lines.items()]
    order = hub.handle(CreatePurchaseOrder(actor=admin, supplier="mill-1", location="WH-CENTRAL", lines=specs,
                                           currency=currency))["id"]
    act(hub, admin, order, "send")
    act(hub, mill, order, "confirm")
    receive_notice(hub, admin, ship(hub, mill, order, lines)["id"])


def set_terms(hub: Hub, admin: Actor, channel: str, effective_from: date = TERMS_FROM, **terms: Any) -> None:
    given: dict[str, Any] = {key: value if key == "fixed_per_order" else Decimal(str(value))
                             for key, value in terms.items()}
    hub.handle(SetFeeTerms(actor=admin, channel=channel, effective_from=effective_from, **given))


def finance_rows(hub: Hub) -> tuple[int, ...]:
    """How many statements, statement lines, fee terms versions and resolutions the database holds."""
    with hub.uow(write=False) as uow:
        return tuple(uow.connection.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (Statement, StatementRow, FeeTermsVersion, DifferenceResolution))

"""A store sale's checkout: priced from the shelf, a member's coupon and points taken off, one order per way of
fulfilment (taken now and picked up later: the store; shipped: wherever routing chooses), all awaiting one
payment, then the payment asked of WeChat Pay.

Everything that can refuse is checked first, reading only; then the orders are imported (pending payment, refused
whole on a shortage: their stock is held until paid or expired); then the sale, the coupon and the points are
written in one transaction. Should that last step be refused after all (a coupon used by another checkout at the
same moment), the orders made for it are cancelled, releasing their stock."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flexhub import catalog, inventory, members, ordering, routing
from flexhub.channels import ChannelExists, CreateChannel
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.stores import queries, repository, rules
from flexhub.stores.commands import CheckOut
from flexhub.stores.errors import InvalidSale, NoShelfPrice

Dispatch = Callable[[Any], Any]
STORE_CHANNEL_PREFIX = "store-"


def store_channel(location: str) -> str:
    return STORE_CHANNEL_PREFIX + location.lower()


@dataclass(frozen=True)
class Plan:
    store: Any
    currency: str
    groups: dict[str, list[dict[str, Any]]]  # mode -> lines priced
    subtotal: int
    discount: int
    points: int
    total: int
    member_id: uuid.UUID | None


def check_out(cmd: CheckOut, uow_factory: UnitOfWorkFactory, dispatch: Dispatch) -> uuid.UUID:
    """The sale's id: its orders imported, it, its coupon and its points written; its payment not asked yet."""
    plan = _plan(cmd, uow_factory)
    sale_id = new_id()
    system = Actor(tenant_id=cmd.actor.tenant_id, role="admin", name=f"{cmd.actor.name} (store sale)"[:200],
                   request_id=cmd.actor.request_id)
    _ensure_channel(system, cmd.location, dispatch)
    orders = _import_orders(system, cmd, plan, sale_id, dispatch)
    try:
        with uow_factory() as uow:
            ref = sale_id.hex
            if plan.member_id is not None and cmd.coupon:
                members.coupons.redeem_for(uow, cmd.actor.tenant_id, plan.member_id, cmd.coupon,
                                           subtotal=plan.subtotal, currency=plan.currency, channel="store",
                                           used_for=ref)
            if plan.member_id is not None and plan.points:
                members.points.spend_on(uow, cmd.actor.name, cmd.actor.tenant_id, plan.member_id, ref, plan.points)
            repository.insert_sale(uow.connection, {
                "id": sale_id, "tenant_id": cmd.actor.tenant_id, "location_id": plan.store.id,
                "location": plan.store.code, "member_id": plan.member_id, "state": "pending", "currency": plan.currency,
                "subtotal": plan.subtotal, "discount": plan.discount, "points_spent": plan.points,
                "total": plan.total, "coupon": cmd.coupon if plan.member_id else None,
                "lines": [line for lines in plan.groups.values() for line in lines], "orders": orders,
                "payment": {}})
            audit.record(uow, cmd.actor, audit.Audited("store_sale.check_out", "store_sale", sale_id, {
                "location": cmd.location, "total": plan.total, "orders": [o["order_id"] for o in orders]}))
            uow.commit()
    except FlexhubError:
        for order in orders:
            dispatch(ordering.CancelOrder(actor=system, order_id=order["order_id"], reason="checkout refused"))
        raise
    return sale_id


def _plan(cmd: CheckOut, uow_factory: UnitOfWorkFactory) -> Plan:
    rules.check_modes([line.mode for line in cmd.lines], ship_to=cmd.ship_to is not None)
    if not cmd.lines:
        raise InvalidSale("a sale has a line at least")
    tenant_id = cmd.actor.tenant_id
    with uow_factory(write=False) as uow:
        store = queries.store(uow, tenant_id, cmd.location)
        skus = catalog.skus_by_code(uow.connection, tenant_id, sorted({line.sku for line in cmd.lines}))
        missing = sorted({line.sku for line in cmd.lines} - set(skus))
        if missing:
            raise catalog.UnknownSku(f"unknown SKU {missing[0]}", sku=missing[0])
        prices = repository.prices(uow.connection, tenant_id, [s.id for s in skus.values()])
        unpriced = sorted(code for code, sku in skus.items() if sku.id not in prices)
        if unpriced:
            raise NoShelfPrice(f"{unpriced[0]} has no shelf price", sku=unpriced[0])
        currencies = {p.currency for p in prices.values()}
        if len(currencies) != 1:
            raise InvalidSale("a sale is paid in one currency", currencies=sorted(currencies))
        currency = currencies.pop()
        groups: dict[str, list[dict[str, Any]]] = {}
        for line in cmd.lines:
            groups.setdefault(line.mode, []).append({"sku": line.sku, "quantity": line.quantity, "mode": line.mode,
                                                     "unit_price": prices[skus[line.sku].id].amount})
        _check_store_stock(uow, tenant_id, cmd)
        subtotal = sum(line["quantity"] * line["unit_price"] for lines in groups.values() for line in lines)
        member_id, discount, points = None, 0, 0
        if cmd.member_id:
            member = members.member_view(uow.connection, tenant_id, cmd.member_id, "admin")
            member_id = uuid.UUID(member["id"])
            if cmd.coupon:
                discount = members.coupons.preview(uow.connection, tenant_id, member_id, cmd.coupon,
                                                   subtotal=subtotal, currency=currency, channel="store")
            if cmd.points > member["points"]:
                raise members.InsufficientPoints(f"the member has {member['points']} points", points=member["points"])
            points = cmd.points
        elif cmd.coupon or cmd.points:
            raise InvalidSale("coupons and points are a member's: name the member")
    return Plan(store, currency, groups, subtotal, discount, points, rules.total(subtotal, discount, points),
                member_id)


def _check_store_stock(uow: Any, tenant_id: uuid.UUID, cmd: CheckOut) -> None:
    """What is taken now or picked up is the store's own: its free units, not the network's."""
    wanted: dict[str, int] = {}
    for line in cmd.lines:
        if line.mode != "ship":
            wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    for sku, quantity in sorted(wanted.items()):
        view = queries.shelf_view(uow, tenant_id, cmd.location, sku)
        if view["store"]["available"] < quantity:
            raise inventory.InsufficientStock(f"{cmd.location} has {view['store']['available']} of {sku} free: "
                                              "ship the rest from the network", sku=sku,
                                              available=view["store"]["available"])


def _ensure_channel(system: Actor, location: str, dispatch: Dispatch) -> None:
    try:
        dispatch(CreateChannel(actor=system, code=store_channel(location), platform="generic",
                               name=f"Store {location}", pools=["spot"], unpaid_hold_minutes=15))
    except ChannelExists:
        pass


def _import_orders(system: Actor, cmd: CheckOut, plan: Plan, sale_id: uuid.UUID,
                   dispatch: Dispatch) -> list[dict[str, Any]]:
    modes = [mode for mode in rules.MODES if mode in plan.groups]
    weights = [sum(line["quantity"] * line["unit_price"] for line in plan.groups[mode]) for mode in modes]
    off = rules.shares(plan.subtotal - plan.total, weights)
    made: list[dict[str, Any]] = []
    try:
        for mode, discount in zip(modes, off, strict=True):
            body = _order_body(cmd, plan, sale_id, mode, discount)
            imported = dispatch(ordering.ImportOrder(actor=system, order=ordering.OrderIn.model_validate(body)))
            made.append({"mode": mode, "order_id": str(imported.order_id), "external_id": body["external_id"]})
    except FlexhubError:
        for order in made:
            dispatch(ordering.CancelOrder(actor=system, order_id=order["order_id"], reason="checkout refused"))
        raise
    return made


def _order_body(cmd: CheckOut, plan: Plan, sale_id: uuid.UUID, mode: str, discount: int) -> dict[str, Any]:
    store = plan.store
    if mode == "ship":
        address = dict(cmd.ship_to or {})
    else:
        address = {"country": store.country or "CN", "province": store.province, "city": store.city,
                   routing.PICKUP_KEY: store.code}
    buyer = {k: v for k, v in {"name": cmd.buyer.get("name") or "-", "phone": cmd.buyer.get("phone"),
                               "external_id": cmd.buyer.get("openid")}.items() if v}
    return {"channel": store_channel(cmd.location), "external_id": f"{sale_id.hex}-{rules.SUFFIX[mode]}",
            "currency": plan.currency, "buyer": buyer, "shipping_address": address,
            "lines": [{"sku": line["sku"], "quantity": line["quantity"], "unit_price": line["unit_price"]}
                      for line in plan.groups[mode]],
            "order_discount": discount, "payment_state": "pending", "on_shortage": "reject",
            "placed_at": clock.now().isoformat(), "updated_at": clock.now().isoformat()}

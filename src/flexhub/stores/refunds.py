"""Refunding a store sale, whole or some of its orders, through the gateway that took its payment (WeChat Pay or
Alipay).

Everything that can refuse is checked first, reading only (the sale paid, each order not refunded yet and in a state
it can be undone from). The refund is then claimed on the sale under its own number (its orders marked, so two refunds
of one order cannot both go on), asked of the gateway outside any transaction (let go again if the gateway refuses),
and then applied: each
order undone where it is — stock not handed over is let go where it was held, goods handed over at the store come
back on its shelf at once, goods shipped come back through a return to receive — and marked refunded; the member
gets back the points the order's share of the checkout spent and loses the points it earned; when the whole sale is
refunded the coupon it used is the member's again. WeChat Pay's refund notification, verified like a payment's,
then says whether the money reached the buyer; Alipay's signed answer says it at once.

A refund the gateway did not answer (or answered that it may yet make it) stays claimed, `unanswered`, its orders
untouched: asked again for the same orders, it is first looked up under its number (WeChat Pay's refund query,
Alipay's `alipay.trade.fastpay.refund.query`) and settled as the gateway holds it without sending anything; only a
refund the gateway never made is sent again, under the same number, which it refunds at most once — never under a
new one (stores.wechatpay_refunds, stores.alipaying)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2

from flexhub import fulfillment, members, ordering, returns
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.stores import alipaying, paying, repository, rules, wechatpay_refunds
from flexhub.stores.errors import (
    GatewayFailed,
    InvalidSale,
    NoPaymentAccount,
    NotRefundable,
    RefundUnanswered,
    UnknownSale,
)

Dispatch = Callable[[Any], Any]
ACTOR = "system:store-refunds"


@dataclass(frozen=True)
class Undo:
    entry: dict[str, Any]
    way: str  # rules.undoing: cancel | return_here | return_by_post
    order: dict[str, Any]
    points: int  # the order's share of the points the checkout spent


def refund_sale(uow_factory: UnitOfWorkFactory, http: httpx2.Client, vault: Vault, dispatch: Dispatch, actor: Actor,
                sale_id: uuid.UUID, *, order_ids: list[str] | None, reason: str, notify_url: str) -> dict[str, Any]:
    """The refund as recorded on the sale: {out_refund_no, orders, amount, points, coupon, state}."""
    sale, undos, unanswered = _plan(uow_factory, actor.tenant_id, sale_id, order_ids)
    refund = _claim(uow_factory, actor, sale, undos, reason, again=unanswered)
    try:
        answer = _ask(uow_factory, http, vault, actor.tenant_id, sale, refund, notify_url, again=unanswered is not None)
    except RefundUnanswered as error:
        _mark(uow_factory, actor.tenant_id, sale.id, refund["out_refund_no"], UNANSWERED, str(error))
        raise
    except (GatewayFailed, NoPaymentAccount):
        _let_go(uow_factory, actor.tenant_id, sale.id, refund["out_refund_no"])
        raise
    system = Actor(tenant_id=actor.tenant_id, role="admin", name=f"{actor.name} (store refund)"[:200],
                   request_id=actor.request_id)
    for undo in undos:
        _undo(uow_factory, system, sale, undo, reason, dispatch)
    return _settle(uow_factory, actor, sale, undos, refund, answer)


UNANSWERED = "unanswered"  # asked, no answer: the refund's state until it is asked again under its number


def _plan(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, sale_id: uuid.UUID,
          order_ids: list[str] | None) -> tuple[Any, list[Undo], str | None]:
    """The sale, how each chosen order is undone, and the number of the unanswered refund of exactly these orders
    (to ask again), if there is one."""
    with uow_factory(write=False) as uow:
        sale = repository.sale(uow.connection, tenant_id, sale_id)
        if sale is None:
            raise UnknownSale(f"no sale {sale_id}")
        if sale.state not in ("paid", "refunded"):
            raise NotRefundable(f"a sale that is {sale.state} has no payment to refund", state=sale.state)
        chosen = [e for e in sale.orders if order_ids is None or e["order_id"] in order_ids]
        unknown = sorted(set(order_ids or ()) - {e["order_id"] for e in sale.orders})
        if unknown:
            raise InvalidSale("the sale has no such order", orders=unknown)
        unanswered = _unanswered(sale, chosen)
        done = [e["order_id"] for e in chosen if e.get("refund")]
        if (done and unanswered is None) or not chosen:
            raise NotRefundable("these orders are refunded already", orders=done)
        points = rules.points_by_mode(sale.points_spent, sale.lines)
        undos = []
        for entry in chosen:
            order = ordering.order_view(uow.connection, tenant_id, uuid.UUID(entry["order_id"]))
            undos.append(Undo(entry, rules.undoing(entry["mode"], order["status"]), order,
                              points.get(entry["mode"], 0)))
    return sale, undos, unanswered


def _unanswered(sale: Any, chosen: list[dict[str, Any]]) -> str | None:
    """The number of the unanswered refund of exactly the chosen orders. Any other refund of one of them refuses:
    an unanswered one is asked again only whole, under its own number."""
    marks = {e.get("refund") for e in chosen}
    waiting = {r["out_refund_no"]: r for r in (sale.payment or {}).get("refunds", []) if r["state"] == UNANSWERED}
    if len(marks) != 1 or (number := next(iter(marks))) not in waiting:
        if marks & set(waiting):
            raise NotRefundable("a refund of some of these orders waits for the gateway's answer: ask it again for "
                                "exactly its orders", orders=sorted(o for n in marks & set(waiting)
                                                                    for o in waiting[n]["orders"]))
        return None
    if sorted(waiting[number]["orders"]) != sorted(e["order_id"] for e in chosen):
        raise NotRefundable("a refund of some of these orders waits for the gateway's answer: ask it again for "
                            "exactly its orders", orders=waiting[number]["orders"])
    return str(number)


def _claim(uow_factory: UnitOfWorkFactory, actor: Actor, sale: Any, undos: list[Undo], reason: str, *,
           again: str | None) -> dict[str, Any]:
    """The refund written on the sale, its orders marked with it (or, `again`, the unanswered refund taken up
    under its number); refused if another refund took one meanwhile."""
    chosen = {u.entry["order_id"] for u in undos}
    with uow_factory() as uow:
        locked = repository.sale(uow.connection, sale.tenant_id, sale.id, lock=True)
        if again is not None:
            return _claim_again(uow, actor, locked, again)
        if any(e.get("refund") for e in locked.orders if e["order_id"] in chosen):
            raise NotRefundable("another refund took these orders meanwhile")
        refunds = list(locked.payment.get("refunds", []))
        number = f"{sale.id.hex}R{len(refunds) + 1}"
        refund = {"out_refund_no": number, "orders": sorted(chosen), "amount": sum(u.order["total"] for u in undos),
                  "points": sum(u.points for u in undos), "coupon": None, "reason": reason[:80],
                  "state": "requested", "created_at": clock.now().isoformat()}
        orders = [{**e, "refund": number} if e["order_id"] in chosen else e for e in locked.orders]
        repository.update_sale(uow.connection, sale.tenant_id, sale.id, orders=orders,
                               payment={**locked.payment, "refunds": [*refunds, refund]})
        audit.record(uow, actor, audit.Audited("store_sale.refund", "store_sale", sale.id, {
            "out_refund_no": number, "orders": refund["orders"], "amount": refund["amount"]}))
        uow.commit()
    return refund


def _claim_again(uow: Any, actor: Actor, locked: Any, number: str) -> dict[str, Any]:
    """The unanswered refund taken up again (one caller at a time: it is `requested` while it is asked)."""
    refund = next((r for r in locked.payment.get("refunds", []) if r["out_refund_no"] == number), None)
    if refund is None or refund["state"] != UNANSWERED:
        raise NotRefundable("another refund took these orders meanwhile")
    refund = {**refund, "state": "requested"}
    refunds = [refund if r["out_refund_no"] == number else r for r in locked.payment["refunds"]]
    repository.update_sale(uow.connection, locked.tenant_id, locked.id, payment={**locked.payment, "refunds": refunds})
    audit.record(uow, actor, audit.Audited("store_sale.refund", "store_sale", locked.id, {
        "out_refund_no": number, "orders": refund["orders"], "amount": refund["amount"], "again": True}))
    uow.commit()
    return refund


def _ask(uow_factory: UnitOfWorkFactory, http: httpx2.Client, vault: Vault, tenant_id: uuid.UUID, sale: Any,
         refund: dict[str, Any], notify_url: str, *, again: bool) -> dict[str, Any]:
    if (sale.payment or {}).get("gateway") == alipaying.GATEWAY:
        return alipaying.ask_refund(uow_factory, http, vault, tenant_id, sale, refund, again=again)
    return wechatpay_refunds.ask_refund(uow_factory, http, vault, tenant_id, sale, refund, notify_url=notify_url,
                                        again=again)


def _mark(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, sale_id: uuid.UUID, number: str, state: str,
          why: str) -> None:
    """The refund's state set (its orders stay marked with it), and why."""
    with uow_factory() as uow:
        locked = repository.sale(uow.connection, tenant_id, sale_id, lock=True)
        refunds = [{**r, "state": state, "error": why[:300]} if r["out_refund_no"] == number else r
                   for r in locked.payment.get("refunds", [])]
        repository.update_sale(uow.connection, tenant_id, sale_id, payment={**locked.payment, "refunds": refunds})
        uow.commit()


def _let_go(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, sale_id: uuid.UUID, number: str) -> None:
    with uow_factory() as uow:
        locked = repository.sale(uow.connection, tenant_id, sale_id, lock=True)
        orders = [{k: v for k, v in e.items() if k != "refund"} if e.get("refund") == number else e
                  for e in locked.orders]
        refunds = [{**r, "state": "failed"} if r["out_refund_no"] == number else r
                   for r in locked.payment.get("refunds", [])]
        repository.update_sale(uow.connection, tenant_id, sale_id, orders=orders,
                               payment={**locked.payment, "refunds": refunds})
        uow.commit()


def _undo(uow_factory: UnitOfWorkFactory, system: Actor, sale: Any, undo: Undo, reason: str,
          dispatch: Dispatch) -> None:
    order_id, why = undo.entry["order_id"], f"refunded: {reason}"[:200]
    if undo.way == "cancel":
        with uow_factory(write=False) as uow:
            open_ids = fulfillment.open_shipment_ids(uow.connection, sale.tenant_id, uuid.UUID(order_id))
        for shipment_id in open_ids:
            dispatch(fulfillment.CancelShipment(actor=system, shipment_id=shipment_id, reason=why))
        dispatch(ordering.CancelOrder(actor=system, order_id=order_id, reason=why))
    else:
        lines = _units(undo.order)
        opened = dispatch(returns.CreateReturn(actor=system, order_id=order_id, lines=lines, reason=why,
                                               returns_centre=sale.location if undo.way == "return_here" else None))
        if undo.way == "return_here":  # handed back at the counter: straight back on the store's shelf
            dispatch(returns.ReceiveReturn(actor=system, return_id=str(opened.id)))
            dispatch(returns.InspectReturn(actor=system, return_id=str(opened.id),
                                           grades={sku: {"resellable": n} for sku, n in lines.items()}))
    order = paying.order_now(uow_factory, sale.tenant_id, uuid.UUID(order_id))
    dispatch(ordering.ImportOrder(actor=system, order=ordering.OrderIn.model_validate(
        paying.version_of(order, payment_state="refunded"))))


def _units(order: dict[str, Any]) -> dict[str, int]:
    units: dict[str, int] = {}
    for line in order["lines"]:
        units[line["sku"]] = units.get(line["sku"], 0) + line["quantity"]
    return units


def _settle(uow_factory: UnitOfWorkFactory, actor: Actor, sale: Any, undos: list[Undo], refund: dict[str, Any],
            answer: dict[str, Any]) -> dict[str, Any]:
    """The member's points and coupon put back, the orders and the refund marked done, in one transaction."""
    number = refund["out_refund_no"]
    with uow_factory() as uow:
        c = uow.connection
        locked = repository.sale(c, sale.tenant_id, sale.id, lock=True)
        for undo in undos:
            order_id = undo.entry["order_id"]
            if sale.member_id is not None:
                members.points.give_back(uow, ACTOR, sale.tenant_id, sale.member_id, order_id, undo.points,
                                         spent_on=sale.id.hex)
            earner = members.member_of_buyer(c, sale.tenant_id, undo.order["channel"], undo.order["buyer"] or {})
            if earner is not None:
                members.points.reverse(uow, ACTOR, earner.id, sale.tenant_id, order_id)
        orders = [{**e, "state": "refunded"} if e.get("refund") == number else e for e in locked.orders]
        whole = all(e.get("refund") for e in orders)
        coupon = None
        if whole and sale.member_id is not None and sale.coupon:
            coupon = ",".join(members.coupons.restore(uow, sale.tenant_id, sale.member_id, sale.id.hex)) or None
        done = {**refund, "coupon": coupon, "state": answer.get("state", "processing"),
                "refund_id": answer.get("refund_id"), "status": answer.get("status"), "error": None}
        refunds = [done if r["out_refund_no"] == number else r for r in locked.payment.get("refunds", [])]
        repository.update_sale(c, sale.tenant_id, sale.id, orders=orders, state="refunded" if whole else locked.state,
                               payment={**locked.payment, "refunds": refunds})
        uow.commit()
    return done

"""Reading finance for costs and profit: the orders of a period with their lines, SKU and category, what statements
say of them, fee terms, the shipping their routed plans priced or carriers charged, and the ledger with the purchase
orders' and landed costs, the orders' returns and what they cost. Every query is scoped by tenant."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from flexhub.catalog.model import Sku, Spu
from flexhub.channels.model import Channel
from flexhub.finance.formats.lines import FEE, REFUND, SALE
from flexhub.finance.model import CarrierCharge, FeeTermsVersion, LandedCost, ReturnCost, StatementRow
from flexhub.finance.queries import CHUNK, placed_at
from flexhub.fulfillment.model import Shipment
from flexhub.inventory import PRESALE
from flexhub.inventory.model import StockMovement
from flexhub.kernel.clock import as_utc
from flexhub.ordering.model import Order, OrderLine
from flexhub.purchasing.model import PurchaseOrder, PurchaseOrderLine
from flexhub.returns.model import Return, ReturnLine
from flexhub.routing.model import RoutingDecision

SHIPPED, PLACED = "shipped", "placed"
BASES = (SHIPPED, PLACED)
# Orders whose every unit has left: shipped, delivered or collected, and after that closed.
ALL_SHIPPED = ("shipped", "delivered", "closed")


def profit_orders(connection: Connection, tenant_id: uuid.UUID, start: datetime | None,
                  end: datetime | None, basis: str = SHIPPED) -> list[Any]:
    """The orders profit counts in [start, end), cancelled ones left out, with their channel (store) and its
    platform, when they were placed and when they are booked (`booked`, the moment that puts them in a period).

    Basis `shipped`: orders whose every unit has shipped or been handed over at a store, booked when the last of
    them left (an order held, awaiting stock or payment, or partly shipped is not counted yet). Basis `placed`:
    every order placed in the period, booked when placed."""
    left = (select(Shipment.order_id, func.max(Shipment.shipped_at).label("at"))
            .where(Shipment.tenant_id == tenant_id, Shipment.shipped_at.is_not(None))
            .group_by(Shipment.order_id).subquery())
    booked = placed_at() if basis == PLACED else left.c.at
    query = (select(Order.id, Order.external_id, Order.channel_id, Channel.code.label("channel"), Channel.platform,
                    Order.streamer, Order.live_room, Order.currency, Order.shipping_fee, Order.discount_total,
                    Order.total, Order.payment_state, Order.status, placed_at().label("placed"),
                    booked.label("booked"))
             .join(Channel, Channel.id == Order.channel_id)
             .where(Order.tenant_id == tenant_id, Order.status != "cancelled").order_by(booked, Order.id))
    if basis == SHIPPED:
        query = query.join(left, left.c.order_id == Order.id).where(Order.status.in_(ALL_SHIPPED))
    if start is not None:
        query = query.where(booked >= start)
    if end is not None:
        query = query.where(booked < end)
    return list(connection.execute(query))


def last_shipped(connection: Connection, tenant_id: uuid.UUID,
                 order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """Per order, when the last of its shipments left (shipped, or handed over at a store); the oracle's reading."""
    found: dict[uuid.UUID, datetime] = {}
    for start in range(0, len(order_ids), CHUNK):
        query = (select(Shipment.order_id, Shipment.shipped_at)
                 .where(Shipment.tenant_id == tenant_id, Shipment.order_id.in_(order_ids[start:start + CHUNK]),
                        Shipment.shipped_at.is_not(None)))
        for row in connection.execute(query):
            at = row.shipped_at
            if at is not None and (row.order_id not in found or at > found[row.order_id]):
                found[row.order_id] = at
    return found


def profit_lines(connection: Connection, tenant_id: uuid.UUID,
                 order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for start in range(0, len(order_ids), CHUNK):
        query = (select(OrderLine.order_id, OrderLine.line_no, OrderLine.sku_id, OrderLine.sku_code, OrderLine.quantity,
                        OrderLine.unit_price, OrderLine.discount, Spu.category)
                 .join(Sku, Sku.id == OrderLine.sku_id).outerjoin(Spu, Spu.id == Sku.spu_id)
                 .where(OrderLine.tenant_id == tenant_id, OrderLine.order_id.in_(order_ids[start:start + CHUNK]))
                 .order_by(OrderLine.order_id, OrderLine.line_no))
        for row in connection.execute(query):
            found[row.order_id].append(row)
    return found


def settled_amounts(connection: Connection, tenant_id: uuid.UUID,
                    orders: Sequence[tuple[uuid.UUID, str]]) -> dict[tuple[uuid.UUID, str], tuple[int, int]]:
    """Per (channel, external id) a statement names: the fees charged on its sale, fee and refund lines, and
    what its refund lines gave back."""
    charged = case((StatementRow.kind.in_((SALE, FEE, REFUND)), StatementRow.fee), else_=0)
    refunded = case((StatementRow.kind == REFUND, -StatementRow.amount), else_=0)
    wanted = set(orders)
    ids = sorted({external_id for _, external_id in orders})
    found: dict[tuple[uuid.UUID, str], tuple[int, int]] = {}
    for start in range(0, len(ids), CHUNK):
        query = (select(StatementRow.channel_id, StatementRow.external_id, func.sum(charged), func.sum(refunded))
                 .where(StatementRow.tenant_id == tenant_id, StatementRow.external_id.in_(ids[start:start + CHUNK]))
                 .group_by(StatementRow.channel_id, StatementRow.external_id))
        found |= {(row[0], row[1]): (int(row[2] or 0), int(row[3] or 0)) for row in connection.execute(query)
                  if (row[0], row[1]) in wanted}
    return found


def statement_amounts(connection: Connection, tenant_id: uuid.UUID,
                      orders: Sequence[tuple[uuid.UUID, str]]) -> list[Any]:
    """Every statement line naming one of these (channel, external id) pairs: its kind, amount and fee."""
    wanted = set(orders)
    ids = sorted({external_id for _, external_id in orders})
    found = []
    for start in range(0, len(ids), CHUNK):
        query = (select(StatementRow.channel_id, StatementRow.external_id, StatementRow.kind, StatementRow.amount,
                        StatementRow.fee)
                 .where(StatementRow.tenant_id == tenant_id, StatementRow.external_id.in_(ids[start:start + CHUNK])))
        found += [row for row in connection.execute(query) if (row.channel_id, row.external_id) in wanted]
    return found


def all_fee_terms(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    query = select(FeeTermsVersion).where(FeeTermsVersion.tenant_id == tenant_id)
    return list(connection.execute(query))


def profit_export(connection: Connection, tenant_id: uuid.UUID, start: datetime | None,
                  end: datetime | None, basis: str = SHIPPED) -> dict[str, dict[str, list[Any]]]:
    """What profit is computed from, as columns (ids as text, times naive UTC): the orders booked in the period on
    `basis` (`profit_orders`), their lines with SKU and category, the statement lines naming them, every fee terms
    version (the orders' costs come from `order_costs`)."""
    orders = profit_orders(connection, tenant_id, start, end, basis)
    ids = [order.id for order in orders]
    lines = profit_lines(connection, tenant_id, ids)
    return {
        "orders": _columns(orders, ("id", "channel_id", "external_id", "channel", "platform", "streamer", "live_room",
                                    "currency", "shipping_fee", "discount_total", "total", "payment_state",
                                    "placed", "booked"), names={"id": "order_id", "channel": "store"}),
        "lines": _columns([row for order_id in ids for row in lines.get(order_id, [])],
                          ("order_id", "line_no", "sku_id", "sku_code", "category", "quantity", "unit_price",
                           "discount"), names={"sku_code": "sku"}),
        "statement_lines": _columns(statement_amounts(connection, tenant_id,
                                                      [(o.channel_id, o.external_id) for o in orders]),
                                    ("channel_id", "external_id", "kind", "amount", "fee")),
        "terms": _columns(all_fee_terms(connection, tenant_id), ("channel_id", "effective_from", "commission_ppm",
                                                                 "payment_fee_ppm", "fixed_per_order")),
    }


def _columns(rows: Sequence[Any], fields: Sequence[str], names: dict[str, str] | None = None) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {(names or {}).get(field, field): [] for field in fields}
    for row in rows:
        for field, column in zip(fields, columns.values(), strict=True):
            column.append(_plain(getattr(row, field)))
    return columns


def _plain(value: Any) -> Any:
    """Ids as text and times as naive UTC, as DuckDB reads them."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return as_utc(value).replace(tzinfo=None)
    return value


def routed_shipping(connection: Connection, tenant_id: uuid.UUID,
                    order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Per order, the carrier's price of its latest routed plan (minor units)."""
    found: dict[uuid.UUID, int] = {}
    for start in range(0, len(order_ids), CHUNK):
        query = (select(RoutingDecision.order_id, RoutingDecision.plan)
                 .where(RoutingDecision.tenant_id == tenant_id, RoutingDecision.outcome == "routed",
                        RoutingDecision.order_id.in_(order_ids[start:start + CHUNK]))
                 .order_by(RoutingDecision.created_at, RoutingDecision.id))
        found |= {row.order_id: int((row.plan or {}).get("shipping_price") or 0) for row in connection.execute(query)}
    return found


def ledger_movements(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    """Every movement that changed units on hand, oldest first; not presale's, which are units still to come."""
    query = (select(StockMovement.sku_id, StockMovement.kind, StockMovement.on_hand_delta, StockMovement.reference,
                    StockMovement.created_at)
             .where(StockMovement.tenant_id == tenant_id, StockMovement.on_hand_delta != 0,
                    StockMovement.pool != PRESALE)
             .order_by(StockMovement.created_at, StockMovement.id))
    return list(connection.execute(query))


def purchase_currencies(connection: Connection, tenant_id: uuid.UUID) -> dict[str, str]:
    """Purchase order id as text → the currency of its unit costs."""
    query = select(PurchaseOrder.id, PurchaseOrder.currency).where(PurchaseOrder.tenant_id == tenant_id)
    return {str(row.id): row.currency for row in connection.execute(query)}


def purchase_costs(connection: Connection, tenant_id: uuid.UUID) -> dict[tuple[str, uuid.UUID], int]:
    """(purchase order id as text, SKU) → the line's unit cost."""
    query = (select(PurchaseOrderLine.order_id, PurchaseOrderLine.sku_id, PurchaseOrderLine.unit_cost)
             .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
             .where(PurchaseOrder.tenant_id == tenant_id))
    return {(str(row.order_id), row.sku_id): row.unit_cost for row in connection.execute(query)}


def sku_codes(connection: Connection, tenant_id: uuid.UUID, sku_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = sorted(sku_ids)
    found: dict[uuid.UUID, str] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(Sku.id, Sku.code).where(Sku.tenant_id == tenant_id, Sku.id.in_(ids[start:start + CHUNK]))
        found |= {row.id: row.code for row in connection.execute(query)}
    return found


# Landed costs and carriers' charges.

def receipt_reference(connection: Connection, tenant_id: uuid.UUID, asn_id: uuid.UUID) -> str | None:
    """The ledger reference (`po:<order>/asn:<notice>`) of what shipment notice `asn_id` delivered, if received."""
    query = (select(StockMovement.reference)
             .where(StockMovement.tenant_id == tenant_id, StockMovement.kind == "receive",
                    StockMovement.reference.like(f"po:%/asn:{asn_id}")).limit(1))
    return connection.execute(query).scalar()


def receipt_movements(connection: Connection, tenant_id: uuid.UUID, reference: str) -> list[Any]:
    """The units each receive movement of `reference` brought in, with the SKU's code, oldest first."""
    query = (select(StockMovement.sku_id, Sku.code.label("sku"), StockMovement.on_hand_delta)
             .join(Sku, Sku.id == StockMovement.sku_id)
             .where(StockMovement.tenant_id == tenant_id, StockMovement.kind == "receive",
                    StockMovement.reference == reference, StockMovement.on_hand_delta > 0,
                    StockMovement.pool != PRESALE)
             .order_by(StockMovement.created_at, StockMovement.id))
    return list(connection.execute(query))


def landed_costs(connection: Connection, tenant_id: uuid.UUID) -> dict[str, list[Any]]:
    """Per receipt reference, its landed costs (amount, currency, basis), in the order they were recorded."""
    query = (select(LandedCost.reference, LandedCost.amount, LandedCost.currency, LandedCost.basis)
             .where(LandedCost.tenant_id == tenant_id).order_by(LandedCost.recorded_at, LandedCost.id))
    found: dict[str, list[Any]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.reference].append(row)
    return found


def landed_cost_list(connection: Connection, tenant_id: uuid.UUID, limit: int = 200) -> list[dict[str, Any]]:
    query = (select(LandedCost).where(LandedCost.tenant_id == tenant_id)
             .order_by(LandedCost.recorded_at.desc(), LandedCost.id.desc()).limit(limit))
    return [{"id": str(row.id), "reference": row.reference, "kind": row.kind, "amount": row.amount,
             "currency": row.currency, "basis": row.basis, "note": row.note, "recorded_by": row.recorded_by,
             "recorded_at": row.recorded_at} for row in connection.execute(query)]


def shipped_waybills(connection: Connection, tenant_id: uuid.UUID, waybills: Collection[str]) -> set[str]:
    """Which of these waybill numbers a shipment of the tenant carries."""
    wanted = sorted(set(waybills))
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        query = select(Shipment.waybill_number).where(Shipment.tenant_id == tenant_id,
                                                      Shipment.waybill_number.in_(wanted[start:start + CHUNK]))
        found |= {waybill for waybill in connection.execute(query).scalars() if waybill}
    return found


def order_carrier_charges(connection: Connection, tenant_id: uuid.UUID,
                          order_ids: Sequence[uuid.UUID]) -> list[Any]:
    """What carriers charged for the waybills of these orders' shipments: (order id, amount, currency)."""
    found = []
    for start in range(0, len(order_ids), CHUNK):
        query = (select(Shipment.order_id, CarrierCharge.amount, CarrierCharge.currency)
                 .join(CarrierCharge, and_(CarrierCharge.tenant_id == Shipment.tenant_id,
                                           CarrierCharge.waybill_number == Shipment.waybill_number))
                 .where(Shipment.tenant_id == tenant_id, Shipment.order_id.in_(order_ids[start:start + CHUNK])))
        found += list(connection.execute(query))
    return found


def shipped_parcels(connection: Connection, tenant_id: uuid.UUID, limit: int = 100_000) -> list[Any]:
    """Shipments that carry a waybill: (order id, waybill number, carrier, the order's currency), oldest first."""
    query = (select(Shipment.order_id, Shipment.waybill_number, Shipment.carrier, Order.currency)
             .join(Order, Order.id == Shipment.order_id)
             .where(Shipment.tenant_id == tenant_id, Shipment.waybill_number.is_not(None))
             .order_by(Shipment.created_at, Shipment.id).limit(limit))
    return list(connection.execute(query))


# Returns: what came back of an order, and what bringing it back cost.

def return_order(connection: Connection, tenant_id: uuid.UUID, return_id: uuid.UUID) -> Any:
    """The return (RMA) with its order id, or None."""
    query = select(Return.id, Return.order_id).where(Return.tenant_id == tenant_id, Return.id == return_id)
    return connection.execute(query).first()


def order_returns(connection: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID]) -> list[Any]:
    """The lines of these orders' returns: (order id, return id, SKU, units expected back, units scrapped)."""
    found = []
    for start in range(0, len(order_ids), CHUNK):
        query = (select(Return.order_id, ReturnLine.return_id, ReturnLine.sku_id, ReturnLine.quantity,
                        ReturnLine.scrap)
                 .join(Return, Return.id == ReturnLine.return_id)
                 .where(Return.tenant_id == tenant_id, Return.order_id.in_(order_ids[start:start + CHUNK]))
                 .order_by(Return.created_at, Return.id, ReturnLine.id))
        found += list(connection.execute(query))
    return found


def return_costs(connection: Connection, tenant_id: uuid.UUID, return_ids: Collection[uuid.UUID]) -> list[Any]:
    """What these returns cost to bring back: (return id, amount, currency), in the order recorded."""
    ids = sorted(set(return_ids))
    found = []
    for start in range(0, len(ids), CHUNK):
        query = (select(ReturnCost.return_id, ReturnCost.amount, ReturnCost.currency, ReturnCost.recorded_at)
                 .where(ReturnCost.tenant_id == tenant_id, ReturnCost.return_id.in_(ids[start:start + CHUNK]))
                 .order_by(ReturnCost.recorded_at, ReturnCost.id))
        found += list(connection.execute(query))
    return found


def return_cost_list(connection: Connection, tenant_id: uuid.UUID, limit: int = 200) -> list[dict[str, Any]]:
    query = (select(ReturnCost.id, ReturnCost.return_id, ReturnCost.kind, ReturnCost.amount, ReturnCost.currency,
                    ReturnCost.waybill_number, ReturnCost.note, ReturnCost.recorded_by, ReturnCost.recorded_at,
                    Return.order_id).join(Return, Return.id == ReturnCost.return_id)
             .where(ReturnCost.tenant_id == tenant_id)
             .order_by(ReturnCost.recorded_at.desc(), ReturnCost.id.desc()).limit(limit))
    return [{"id": str(row.id), "return_id": str(row.return_id), "order_id": str(row.order_id), "kind": row.kind,
             "amount": row.amount, "currency": row.currency, "waybill_number": row.waybill_number, "note": row.note,
             "recorded_by": row.recorded_by, "recorded_at": row.recorded_at} for row in connection.execute(query)]

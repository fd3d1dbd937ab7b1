"""Reading purchasing: orders with their lines, notices and discrepancies; what is on order per SKU × node;
and each SKU's sourcing terms, for replenishment to plan on. A supplier's key reads its own rows only."""

import uuid
from typing import Any

from sqlalchemy import Connection, func, select

from flexhub.catalog.model import Sku
from flexhub.identity.model import Partner
from flexhub.inventory import PRESALE
from flexhub.inventory.model import Location, StockLevel
from flexhub.lists import ListSpec
from flexhub.purchasing import repository, rules
from flexhub.purchasing.model import Discrepancy, PurchaseOrder, PurchaseOrderLine, SupplierSku
from flexhub.purchasing.rules import OPEN, RESOLUTIONS, Line


def order_view(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID | str, *,
               partner_id: uuid.UUID | None = None) -> dict[str, Any]:
    row = repository.order(connection, tenant_id, order_id, partner_id=partner_id)
    header = _headers(connection, tenant_id, [row])[0]
    asns = repository.asns_of(connection, [row.id])
    asn_lines = repository.asn_lines(connection, [a.id for a in asns])
    return {**header,
            "lines": [_line(line) for line in repository.lines(connection, [row.id])],
            "asns": [_asn(a, [x for x in asn_lines if x.asn_id == a.id]) for a in asns],
            "discrepancies": list_discrepancies(connection, tenant_id, order_id=row.id, partner_id=partner_id,
                                                states=None)}


def list_orders(connection: Connection, tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None = None,
                supplier: str | None = None, states: list[str] | None = None, limit: int = 100) -> list[dict]:
    """Order headers, newest first."""
    query = (select(PurchaseOrder).where(PurchaseOrder.tenant_id == tenant_id)
             .order_by(PurchaseOrder.created_at.desc(), PurchaseOrder.id.desc()).limit(limit))
    if partner_id is not None:
        query = query.where(PurchaseOrder.partner_id == partner_id, PurchaseOrder.state != "draft")
    if supplier is not None:
        query = query.join(Partner, Partner.id == PurchaseOrder.partner_id).where(Partner.code == supplier)
    if states:
        query = query.where(PurchaseOrder.state.in_(states))
    return _headers(connection, tenant_id, list(connection.execute(query)))


def purchase_order_list(tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None = None,
                        states: list[str] | None = None) -> ListSpec:
    """Purchase orders as a list, newest first (a supplier's key: its own, drafts left out), each with its total."""
    query = select(PurchaseOrder).where(PurchaseOrder.tenant_id == tenant_id)
    if partner_id is not None:
        query = query.where(PurchaseOrder.partner_id == partner_id, PurchaseOrder.state != "draft")
    if states:
        query = query.where(PurchaseOrder.state.in_(states))
    sorts = {"created_at": PurchaseOrder.created_at, "state": PurchaseOrder.state}
    return ListSpec(query=query, sorts=sorts, tie=PurchaseOrder.id, default_sort="-created_at",
                    shape=lambda connection, rows: _headers(connection, tenant_id, list(rows)))


def asn_view(connection: Connection, tenant_id: uuid.UUID, asn_id: str, *,
             partner_id: uuid.UUID | None = None) -> dict[str, Any]:
    row = repository.asn(connection, tenant_id, asn_id, partner_id=partner_id)
    return _asn(row, repository.asn_lines(connection, [row.id]))


def list_discrepancies(connection: Connection, tenant_id: uuid.UUID, *, order_id: uuid.UUID | None = None,
                       partner_id: uuid.UUID | None = None, states: tuple[str, ...] | None = ("open",),
                       limit: int = 200) -> list[dict[str, Any]]:
    """Discrepancies with the actions that resolve them, oldest first."""
    query = (select(Discrepancy, Sku.code.label("sku")).join(Sku, Sku.id == Discrepancy.sku_id)
             .where(Discrepancy.tenant_id == tenant_id).order_by(Discrepancy.created_at, Discrepancy.id).limit(limit))
    if order_id is not None:
        query = query.where(Discrepancy.order_id == order_id)
    if partner_id is not None:
        query = query.where(Discrepancy.partner_id == partner_id)
    if states:
        query = query.where(Discrepancy.state.in_(list(states)))
    return [_discrepancy(row, actionable=partner_id is None) for row in connection.execute(query)]


def on_order(connection: Connection, tenant_id: uuid.UUID) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Per (SKU, node): units of open orders not yet received, whether on their way or not."""
    query = (
        select(PurchaseOrderLine.sku_id, PurchaseOrder.location_id, PurchaseOrderLine.quantity,
               PurchaseOrderLine.received)
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .where(PurchaseOrder.tenant_id == tenant_id, PurchaseOrder.state.in_(OPEN))
    )
    found: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for r in connection.execute(query):
        key = (r.sku_id, r.location_id)
        found[key] = found.get(key, 0) + Line("", r.quantity, r.received).on_order
    return found


def sourcing_terms(connection: Connection, tenant_id: uuid.UUID) -> dict[uuid.UUID, dict[str, Any]]:
    """Per SKU, its best supplier's terms in the names replenishment plans with (SKU attributes of old)."""
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for t in repository.terms(connection, tenant_id):
        found.setdefault(t.sku_id, {
            "supplier": t.supplier, "lead_time_days": t.lead_time_days, "moq": t.moq, "pack": t.pack,
            "unit_cost": t.unit_cost, "currency": t.currency, "made_in_house": t.factory_capacity is not None})
    return found


def list_terms(connection: Connection, tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None = None) -> list[dict]:
    return [{"supplier": t.supplier, "sku": t.sku, "lead_time_days": t.lead_time_days, "moq": t.moq,
             "pack": t.pack, "unit_cost": t.unit_cost, "currency": t.currency, "priority": t.priority,
             "factory": t.factory_capacity is not None}
            for t in repository.terms(connection, tenant_id) if partner_id is None or t.partner_id == partner_id]


def order_form_choices(connection: Connection, tenant_id: uuid.UUID) -> dict[str, Any]:
    """What the new-order page offers: the suppliers (each with the currency of its terms, if it has any), the
    brand's nodes goods are delivered to (not a supplier's own), and the SKUs each supplier has terms for."""
    terms = list_terms(connection, tenant_id)
    suppliers = connection.execute(select(Partner.code, Partner.name).where(
        Partner.tenant_id == tenant_id, Partner.kind == "supplier").order_by(Partner.code))
    nodes = connection.execute(select(Location.code).where(
        Location.tenant_id == tenant_id, Location.kind != "supplier").order_by(Location.priority, Location.code))
    return {"suppliers": [{"code": s.code, "name": s.name or s.code,
                           "currency": next((t["currency"] for t in terms if t["supplier"] == s.code), None)}
                          for s in suppliers],
            "nodes": list(nodes.scalars()), "terms": terms}


def _headers(connection: Connection, tenant_id: uuid.UUID, rows: list[Any]) -> list[dict[str, Any]]:
    if not rows:
        return []
    partners = dict(connection.execute(select(Partner.id, Partner.code).where(
        Partner.tenant_id == tenant_id, Partner.id.in_({r.partner_id for r in rows}))).all())
    places = dict(connection.execute(select(Location.id, Location.code).where(
        Location.tenant_id == tenant_id, Location.id.in_({r.location_id for r in rows}))).all())
    totals: dict[uuid.UUID, int] = {}
    for line in repository.lines(connection, [r.id for r in rows]):
        totals[line.order_id] = totals.get(line.order_id, 0) + line.quantity * line.unit_cost
    return [{"id": str(r.id), "supplier": partners[r.partner_id], "kind": r.kind, "location": places[r.location_id],
             "currency": r.currency, "expected_on": r.expected_on, "proposed_on": r.proposed_on, "state": r.state,
             "reference": r.reference, "total": totals.get(r.id, 0), "created_at": r.created_at,
             "updated_at": r.updated_at} for r in rows]


def _line(row: Any) -> dict[str, Any]:
    figures = Line(row.sku, row.quantity, row.received, row.announced)
    return {"line_no": row.line_no, "sku": row.sku, "quantity": row.quantity, "unit_cost": row.unit_cost,
            "proposed_quantity": row.proposed_quantity, "announced": row.announced, "received": row.received,
            "open": figures.open}


def _asn(row: Any, lines: list[Any]) -> dict[str, Any]:
    return {"id": str(row.id), "order_id": str(row.order_id), "state": row.state, "expected_on": row.expected_on,
            "carrier": row.carrier, "tracking_number": row.tracking_number, "created_at": row.created_at,
            "received_at": row.received_at,
            "lines": [{"sku": x.sku, "quantity": x.quantity, "received": x.received} for x in lines]}


def _discrepancy(row: Any, *, actionable: bool) -> dict[str, Any]:
    path = f"/api/v1/purchasing/discrepancies/{row.id}/resolve"
    actions = [{"action": r, "method": "POST", "path": path, "body": {"resolution": r}}
               for r in RESOLUTIONS[row.kind]] if actionable and row.state == "open" else []
    return {"id": str(row.id), "order_id": str(row.order_id), "asn_id": str(row.asn_id), "sku": row.sku,
            "kind": row.kind, "expected": row.expected, "received": row.received, "state": row.state,
            "resolution": row.resolution, "created_at": row.created_at, "resolved_at": row.resolved_at,
            "actions": actions}


def skus_supplied(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> list[Any]:
    """The SKUs a supplier supplies (id, code, name), by code: the rows of its portal."""
    return list(connection.execute(
        select(Sku.id, Sku.code, Sku.name).join(SupplierSku, SupplierSku.sku_id == Sku.id)
        .where(SupplierSku.tenant_id == tenant_id, SupplierSku.partner_id == partner_id).order_by(Sku.code)))


def open_lines_of_supplier(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, sku_ids: list[Any],
                           states: Any) -> list[Any]:
    """Lines of the supplier's orders in `states` for these SKUs: ordered, received and announced units."""
    query = (select(PurchaseOrderLine.sku_id, PurchaseOrderLine.quantity, PurchaseOrderLine.received,
                    PurchaseOrderLine.announced)
             .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
             .where(PurchaseOrder.tenant_id == tenant_id, PurchaseOrder.partner_id == partner_id,
                    PurchaseOrder.state.in_(states), PurchaseOrderLine.sku_id.in_(sku_ids)))
    return list(connection.execute(query))


def sellable_stock(connection: Connection, tenant_id: uuid.UUID, sku_ids: list[Any]) -> list[Any]:
    """Stock rows of these SKUs with their node's code, by node code; presale is sold against future receipts,
    so it is not stock a supplier plans on (as replenishment counts it)."""
    query = (select(StockLevel.sku_id, Location.code, StockLevel.on_hand,
                    (StockLevel.on_hand - StockLevel.reserved - StockLevel.safety).label("available"))
             .join(Location, Location.id == StockLevel.location_id)
             .where(StockLevel.tenant_id == tenant_id, StockLevel.sku_id.in_(sku_ids),
                    StockLevel.pool != PRESALE)
             .order_by(Location.code))
    return list(connection.execute(query))


def partner_code(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID) -> str | None:
    return connection.scalar(select(Partner.code).where(Partner.tenant_id == tenant_id, Partner.id == partner_id))


def presale_view(connection: Connection, tenant_id: uuid.UUID, sku: str | None = None) -> list[dict[str, Any]]:
    """Per SKU × node with presale stock or open orders: units expected, promised to presale orders and still free,
    each open order's units and promise date (its expected date, or the one the supplier proposed), and the date a
    unit sold now is promised for."""
    levels = (select(Sku.code.label("sku"), Location.code.label("location"), StockLevel.on_hand, StockLevel.reserved)
              .join(Sku, Sku.id == StockLevel.sku_id).join(Location, Location.id == StockLevel.location_id)
              .where(StockLevel.tenant_id == tenant_id, StockLevel.pool == PRESALE))
    coming = (select(Sku.code.label("sku"), Location.code.label("location"), PurchaseOrder.id,
                     PurchaseOrder.reference, func.coalesce(PurchaseOrder.proposed_on, PurchaseOrder.expected_on)
                     .label("promised_on"), (PurchaseOrderLine.quantity - PurchaseOrderLine.received).label("units"))
              .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
              .join(Sku, Sku.id == PurchaseOrderLine.sku_id).join(Location, Location.id == PurchaseOrder.location_id)
              .where(PurchaseOrder.tenant_id == tenant_id, PurchaseOrder.state.in_(OPEN),
                     PurchaseOrderLine.quantity > PurchaseOrderLine.received)
              .order_by(func.coalesce(PurchaseOrder.proposed_on, PurchaseOrder.expected_on), PurchaseOrder.id))
    if sku is not None:
        levels, coming = levels.where(Sku.code == sku), coming.where(Sku.code == sku)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for r in connection.execute(levels):
        found[(r.sku, r.location)] = {"sku": r.sku, "location": r.location, "expected": r.on_hand,
                                      "promised": r.reserved, "free": r.on_hand - r.reserved, "receipts": []}
    for due in connection.execute(coming):
        row = found.setdefault((due.sku, due.location), {"sku": due.sku, "location": due.location, "expected": 0,
                                                         "promised": 0, "free": 0, "receipts": []})
        row["receipts"].append({"order_id": str(due.id), "reference": due.reference, "promised_on": due.promised_on,
                                "units": int(due.units)})
    for row in found.values():
        row["next_promise_on"] = rules.promise_date(row["promised"], [(x["promised_on"], x["units"])
                                                                      for x in row["receipts"]])
    return [found[key] for key in sorted(found)]

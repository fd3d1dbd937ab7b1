"""Reading returns: one RMA with its lines, defect counts per SKU and per supplier (the SKU's best-ranked supplier
in purchasing), and the regional returns centres.

The returns list: by state or source; sorted by when opened or its state; each with its order's number.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, literal, select

from flexhub.catalog.model import Sku
from flexhub.inventory.model import Location
from flexhub.lists import ListSpec
from flexhub.ordering.model import Order
from flexhub.purchasing import sourcing_terms
from flexhub.returns.errors import UnknownReturn
from flexhub.returns.model import Return, ReturnLine, ReturnsCentre


def return_view(connection: Connection, tenant_id: uuid.UUID, return_id: uuid.UUID, *,
                partner_id: uuid.UUID | None = None) -> dict[str, Any]:
    """One RMA; with `partner_id` only one of that partner's orders (another's is unknown, as one that does not
    exist), without the brand's node."""
    query = (select(Return, Location.code.label("node")).outerjoin(Location, Location.id == Return.location_id)
             .where(Return.tenant_id == tenant_id, Return.id == return_id))
    if partner_id is not None:
        query = query.join(Order, Order.id == Return.order_id).where(Order.partner_id == partner_id)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownReturn(f"no return {return_id}")
    lines = connection.execute(select(ReturnLine, Sku.code.label("sku")).join(Sku, Sku.id == ReturnLine.sku_id)
                               .where(ReturnLine.return_id == return_id).order_by(Sku.code))
    return {
        "id": str(row.id), "order_id": str(row.order_id) if row.order_id else None, "source": row.source,
        "external_id": row.external_id, "reason": row.reason, "state": row.state,
        "node": row.node if partner_id is None else None, "created_at": row.created_at,
        "received_at": row.received_at, "inspected_at": row.inspected_at,
        "lines": [{"sku": r.sku, "quantity": r.quantity, "received": r.received, "resellable": r.resellable,
                   "refurbish": r.refurbish, "scrap": r.scrap} for r in lines],
    }


def defect_counts(connection: Connection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """Per SKU: units returned, how many were graded refurbish or scrap, and the SKU's supplier (its best-ranked
    one in purchasing; None for a SKU no supplier is set for)."""
    query = (select(Sku.id, Sku.code, func.sum(ReturnLine.received), func.sum(ReturnLine.refurbish),
                    func.sum(ReturnLine.scrap))
             .join(Sku, Sku.id == ReturnLine.sku_id).where(ReturnLine.tenant_id == tenant_id)
             .group_by(Sku.id, Sku.code).order_by(Sku.code))
    suppliers = sourcing_terms(connection, tenant_id)
    return [{"sku": code, "supplier": suppliers.get(sku_id, {}).get("supplier"), "returned": int(received or 0),
             "refurbish": int(refurbish or 0), "scrap": int(scrap or 0)}
            for sku_id, code, received, refurbish, scrap in connection.execute(query)]


def defect_counts_by_supplier(connection: Connection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """The per-SKU counts summed per supplier, worst scrap first: the feedback each supplier gets."""
    totals: dict[str | None, dict[str, Any]] = {}
    for row in defect_counts(connection, tenant_id):
        found = totals.setdefault(row["supplier"], {"supplier": row["supplier"], "returned": 0, "refurbish": 0,
                                                    "scrap": 0, "skus": []})
        for key in ("returned", "refurbish", "scrap"):
            found[key] += row[key]
        found["skus"].append(row["sku"])
    return sorted(totals.values(), key=lambda t: (-t["scrap"], -t["refurbish"], t["supplier"] or ""))


def returns_centres(connection: Connection, tenant_id: uuid.UUID) -> dict[str, str]:
    query = (select(ReturnsCentre.region, Location.code).join(Location, Location.id == ReturnsCentre.location_id)
             .where(ReturnsCentre.tenant_id == tenant_id).order_by(ReturnsCentre.region))
    return {region: code for region, code in connection.execute(query)}


def return_list(tenant_id: uuid.UUID, *, states: Sequence[str] = (), source: str | None = None,
                partner_id: uuid.UUID | None = None) -> ListSpec:
    """RMAs; with `partner_id` those of that partner's orders only, without the brand's nodes."""
    node = Location.code if partner_id is None else literal(None)
    query = (select(Return.id, Return.order_id, Order.external_id.label("order_number"), Return.source,
                    Return.external_id, Return.reason, Return.state, node.label("node"), Return.created_at,
                    Return.received_at, Return.inspected_at)
             .outerjoin(Order, Order.id == Return.order_id).outerjoin(Location, Location.id == Return.location_id)
             .where(Return.tenant_id == tenant_id))
    if states:
        query = query.where(Return.state.in_(states))
    if source:
        query = query.where(Return.source == source)
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    sorts = {"created_at": Return.created_at, "state": Return.state}
    return ListSpec(query=query, sorts=sorts, tie=Return.id, default_sort="-created_at", shape=_shaped)


def _shaped(_: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [{"id": str(r.id), "order_id": r.order_id and str(r.order_id), "order_number": r.order_number,
             "source": r.source, "external_id": r.external_id, "reason": r.reason, "state": r.state, "node": r.node,
             "created_at": r.created_at, "received_at": r.received_at, "inspected_at": r.inspected_at} for r in rows]

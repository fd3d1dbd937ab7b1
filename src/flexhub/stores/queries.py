"""Reading a SKU as a store's shelf shows it: name, shelf price, what the store has free now, what the whole
network has, and the delivery promise routing makes from elsewhere to the store's city."""

import uuid
from typing import Any

from flexhub import catalog, inventory, routing
from flexhub.catalog import UnknownSku
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory import UnknownLocation
from flexhub.stores import repository
from flexhub.stores.errors import NotAStore, UnknownSale

SELLING_POOLS = ("spot",)  # a store sells the pool every channel shares


def store(uow: UnitOfWork, tenant_id: uuid.UUID, code: str) -> Any:
    place = inventory.location_by_code(uow.connection, tenant_id, code)
    if place is None:
        raise UnknownLocation(f"unknown location {code}", location=code)
    if place.kind != "store":
        raise NotAStore(f"{code} is a {place.kind}, not a store", location=code)
    return place


def sku_named(uow: UnitOfWork, tenant_id: uuid.UUID, code: str) -> Any:
    found = catalog.skus_by_code(uow.connection, tenant_id, [code]).get(code)
    if found is None:
        raise UnknownSku(f"unknown SKU {code}", sku=code)
    return found


def shelf_view(uow: UnitOfWork, tenant_id: uuid.UUID, location: str, sku_code: str) -> dict[str, Any]:
    place, sku = store(uow, tenant_id, location), sku_named(uow, tenant_id, sku_code)
    levels = [lv for lv in inventory.levels_for_sku(uow.connection, tenant_id, sku_code)["levels"]
              if lv["pool"] in SELLING_POOLS]
    here = sum(max(0, lv["available"]) for lv in levels if lv["location"] == location)
    network = sum(max(0, lv["available"]) for lv in levels)
    price = repository.prices(uow.connection, tenant_id, [sku.id]).get(sku.id)
    ships = None if sku.is_bundle else routing.promise(
        uow, tenant_id, sku.id, 1, country=place.country, province=place.province, city=place.city,
        pools=SELLING_POOLS, excluded=frozenset({location}))
    return {
        "sku": sku.code, "name": sku.name, "barcode": sku.barcode,
        "price": price.amount if price else None, "currency": price.currency if price else None,
        "store": {"code": place.code, "name": place.name, "available": here, "can_pickup": place.can_pickup},
        "network_available": network,
        "promise": {"take_now": here > 0,
                    "ship": {"nodes": list(ships.nodes), "days": ships.days, "shipping_price": ships.shipping_price}
                    if ships else None},
    }


def sale_view(uow: UnitOfWork, tenant_id: uuid.UUID, sale_id: uuid.UUID, location: str | None = None) -> dict[str, Any]:
    """A sale (of the store named, when one is)."""
    row = repository.sale(uow.connection, tenant_id, sale_id)
    if row is None or (location is not None and row.location != location):
        raise UnknownSale(f"no sale {sale_id}")
    return _sale(row, row.location)


def sales_at(uow: UnitOfWork, tenant_id: uuid.UUID, location: str, limit: int = 50) -> list[dict[str, Any]]:
    place = store(uow, tenant_id, location)
    return [_sale(row, place.code) for row in repository.sales_at(uow.connection, tenant_id, place.id, limit)]


def _sale(row: Any, location: str) -> dict[str, Any]:
    return {"id": str(row.id), "location": location, "state": row.state, "currency": row.currency,
            "subtotal": row.subtotal, "discount": row.discount, "points_spent": row.points_spent, "total": row.total,
            "orders": row.orders, "payment": {k: v for k, v in (row.payment or {}).items() if k != "refunds"},
            "refunds": (row.payment or {}).get("refunds", []),
            "created_at": row.created_at, "paid_at": row.paid_at}


def label_items(uow: UnitOfWork, tenant_id: uuid.UUID, codes: list[str]) -> list[dict[str, Any]]:
    """The SKUs to label, by code (each must exist), with their shelf prices (amount and currency; None without)."""
    found = catalog.skus_by_code(uow.connection, tenant_id, sorted(set(codes)))
    missing = sorted(set(codes) - set(found))
    if missing:
        raise UnknownSku(f"unknown SKU {missing[0]}", sku=missing[0])
    prices = repository.prices(uow.connection, tenant_id, [sku.id for sku in found.values()])
    return [{"sku": sku.code, "name": sku.name, "price": prices.get(sku.id)}
            for sku in sorted(found.values(), key=lambda s: s.code)]

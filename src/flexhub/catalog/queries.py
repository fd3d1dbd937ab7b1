"""Reading the catalog."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.catalog import repository
from flexhub.catalog.errors import UnknownSku
from flexhub.catalog.model import Sku, Spu


def sku_view(connection: Connection, tenant_id: uuid.UUID, code: str) -> dict[str, Any]:
    sku = repository.skus_by_code(connection, tenant_id, [code]).get(code)
    if sku is None:
        raise UnknownSku(f"unknown SKU {code}", sku=code)
    spu = connection.execute(select(Spu.code).where(Spu.id == sku.spu_id)).scalar() if sku.spu_id else None
    view = {
        "id": str(sku.id), "code": sku.code, "name": sku.name, "spu": spu, "barcode": sku.barcode,
        "weight_g": sku.weight_g, "fragile": sku.fragile, "high_value": sku.high_value,
        "is_bundle": sku.is_bundle, "attributes": sku.attributes, "components": [],
    }
    if sku.is_bundle:
        parts = repository.components_of(connection, tenant_id, [sku.id])[sku.id]
        codes = dict(connection.execute(select(Sku.id, Sku.code).where(Sku.id.in_([p for p, _ in parts]))).all())
        view["components"] = [{"sku": codes[p], "quantity": q} for p, q in parts]
    return view

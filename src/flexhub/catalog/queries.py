"""Reading the catalog.

The SKUs list: words found in the code, name or barcode (any case, any order: lists.search); sorted by code,
name or when added.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from flexhub.catalog import repository
from flexhub.catalog.errors import UnknownSku
from flexhub.catalog.model import Sku, Spu
from flexhub.lists import ListSpec, Match, containing, every_word, may_be_near, near_containing


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


def sku_list(tenant_id: uuid.UUID, *, text: str | None = None, bundles: bool | None = None) -> ListSpec:
    """Found by words of the code, name or barcode; when none holds them all, one edit away (lists.search)."""
    def found(match: Match) -> Any:
        query = select(Sku).where(Sku.tenant_id == tenant_id)
        if (matched := every_word(text, lambda word: match(word, Sku.code, Sku.name, Sku.barcode))) is not None:
            query = query.where(matched)
        return query if bundles is None else query.where(Sku.is_bundle == bundles)

    return ListSpec(query=found(containing), near=found(near_containing) if may_be_near(text) else None,
                    sorts={"code": Sku.code, "name": Sku.name, "created_at": Sku.created_at},
                    tie=Sku.id, default_sort="code", shape=_shaped)


def _shaped(_: Connection, rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    return [{"id": str(r.id), "code": r.code, "name": r.name, "barcode": r.barcode, "weight_g": r.weight_g,
             "fragile": r.fragile, "high_value": r.high_value, "is_bundle": r.is_bundle,
             "created_at": r.created_at} for r in rows]

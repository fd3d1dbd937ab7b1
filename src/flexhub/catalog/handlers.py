"""Catalog handlers: create SKUs and bundles."""

from typing import Any

from flexhub.catalog import repository
from flexhub.catalog.commands import CreateBundle, CreateSku, SkuCreated, SkuUpdated, UpdateSku
from flexhub.catalog.errors import InvalidBundle, SkuExists, UnknownSku
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel.ids import new_id


def create_sku(cmd: CreateSku, uow_factory: UnitOfWorkFactory) -> SkuCreated:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        _refuse_existing(uow.connection, tenant_id, cmd.code)
        spu_id = None
        if cmd.spu:
            spu_id = repository.spu_id(uow.connection, tenant_id, cmd.spu, cmd.spu_name or cmd.name, cmd.category)
        values: dict[str, Any] = {
            "id": new_id(),
            "tenant_id": tenant_id,
            "spu_id": spu_id,
            "code": cmd.code,
            "name": cmd.name,
            "barcode": cmd.barcode,
            "weight_g": cmd.weight_g,
            "fragile": cmd.fragile,
            "high_value": cmd.high_value,
            "is_bundle": False,
            "attributes": cmd.attributes,
        }
        repository.insert_sku(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("sku.create", "sku", values["id"], {"code": cmd.code}))
        uow.commit()
    return SkuCreated(id=values["id"], code=cmd.code, name=cmd.name)


def create_bundle(cmd: CreateBundle, uow_factory: UnitOfWorkFactory) -> SkuCreated:
    tenant_id = cmd.actor.tenant_id
    if not cmd.components or any(q <= 0 for q in cmd.components.values()):
        raise InvalidBundle("a bundle needs components, each with a positive quantity")
    with uow_factory() as uow:
        _refuse_existing(uow.connection, tenant_id, cmd.code)
        parts = repository.skus_by_code(uow.connection, tenant_id, cmd.components)
        missing = sorted(set(cmd.components) - set(parts))
        if missing:
            raise UnknownSku(f"unknown component SKU: {', '.join(missing)}", skus=missing)
        if any(p.is_bundle for p in parts.values()):
            raise InvalidBundle("a bundle's components must be plain SKUs, not bundles")
        bundle_id = new_id()
        values = {"id": bundle_id, "tenant_id": tenant_id, "code": cmd.code, "name": cmd.name,
                  "barcode": cmd.barcode, "is_bundle": True, "attributes": {}}
        repository.insert_sku(uow.connection, values)
        repository.insert_components(uow.connection, [
            {"bundle_id": bundle_id, "component_id": parts[code].id, "tenant_id": tenant_id, "quantity": qty}
            for code, qty in cmd.components.items()
        ])
        detail = {"code": cmd.code, "components": cmd.components}
        audit.record(uow, cmd.actor, audit.Audited("bundle.create", "sku", bundle_id, detail))
        uow.commit()
    return SkuCreated(id=bundle_id, code=cmd.code, name=cmd.name, is_bundle=True, components=dict(cmd.components))


def update_sku(cmd: UpdateSku, uow_factory: UnitOfWorkFactory) -> SkuUpdated:
    """Only what moved is written and audited (before and after); an update that moves nothing writes nothing."""
    with uow_factory() as uow:
        sku = repository.skus_by_code(uow.connection, cmd.actor.tenant_id, [cmd.code]).get(cmd.code)
        if sku is None:
            raise UnknownSku(f"unknown SKU {cmd.code}", sku=cmd.code)
        wanted = {"name": cmd.name, "barcode": cmd.barcode,
                  "attributes": {**sku.attributes, **cmd.attributes} if cmd.attributes else None}
        moved = {name: value for name, value in wanted.items() if value is not None and value != getattr(sku, name)}
        if moved:
            repository.update_sku(uow.connection, sku.id, **moved)
            audit.record(uow, cmd.actor, audit.Audited("sku.update", "sku", sku.id, {
                "code": cmd.code, "before": {name: getattr(sku, name) for name in moved}, "after": moved}))
            uow.commit()
    return SkuUpdated(code=cmd.code, changed=sorted(moved))


def _refuse_existing(connection: Any, tenant_id: Any, code: str) -> None:
    if repository.skus_by_code(connection, tenant_id, [code]):
        raise SkuExists(f"SKU {code} already exists")

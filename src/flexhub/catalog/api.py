"""Catalog routes: /api/v1/catalog (a contract: paths and bodies stay stable)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.listing import PageFrame, PagingDep, listed
from flexhub.catalog.commands import CreateBundle, CreateSku
from flexhub.catalog.errors import InvalidBundle
from flexhub.catalog.queries import sku_list, sku_view
from flexhub.catalog.schemas import BundleIn, SkuIn, SkuOut
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])
Writer = Annotated[Actor, Depends(allowed("catalog.write"))]


@router.post("/skus", status_code=201, response_model=SkuOut)
def create_sku(body: SkuIn, actor: Writer, hub: HubDep) -> dict:
    hub.handle(CreateSku(actor=actor, **body.model_dump()))
    return _view(hub, actor, body.code)


class SkuListOut(PageFrame):
    skus: list[dict[str, Any]]


@router.get("/skus", response_model=SkuListOut)
def list_skus(actor: Reader, hub: HubDep, paging: PagingDep,
              q: Annotated[str | None, Query(min_length=1, max_length=64,
                                             description="a piece of the code, name or barcode")] = None,
              bundle: Annotated[bool | None, Query(description="bundles only, or none")] = None) -> dict:
    """The catalogue a page at a time, by code unless `sort` (code, name, created_at) says otherwise."""
    with hub.uow(write=False) as uow:
        return listed(uow.connection, sku_list(actor.tenant_id, text=q, bundles=bundle), paging, "skus")


@router.get("/skus/{code}", response_model=SkuOut)
def get_sku(code: str, actor: Reader, hub: HubDep) -> dict:
    return _view(hub, actor, code)


@router.post("/bundles", status_code=201, response_model=SkuOut)
def create_bundle(body: BundleIn, actor: Writer, hub: HubDep) -> dict:
    components = {c.sku: c.quantity for c in body.components}
    if len(components) != len(body.components):
        raise InvalidBundle("each component SKU may appear once")
    hub.handle(CreateBundle(actor=actor, code=body.code, name=body.name, barcode=body.barcode, components=components))
    return _view(hub, actor, body.code)


def _view(hub: HubDep, actor: Actor, code: str) -> dict:
    with hub.uow(write=False) as uow:
        return sku_view(uow.connection, actor.tenant_id, code)

"""Stores routes: /api/v1/stores — a SKU as a store's shelf shows it, its QR code (a PNG of the shopper's page's
absolute address), and shelf prices. Staff only."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel.messages import Actor
from flexhub.stores import links, queries
from flexhub.stores.commands import SetShelfPrice
from flexhub.stores.qr import qr_png
from flexhub.stores.schemas import PriceIn, PriceOut, ShelfOut

router = APIRouter(prefix="/api/v1/stores", tags=["stores"])
Reader = Annotated[Actor, Depends(allowed("stores.read"))]
Writer = Annotated[Actor, Depends(allowed("stores.write"))]
SHELF = "/{location}/skus/{sku}"


def shelf_url(request: Request, hub: HubDep, actor: Actor, location: str, sku: str) -> str:
    """The absolute address of the shopper's page: the configured public address, else the request's own."""
    base = hub.settings.public_url or str(request.base_url)
    return base.rstrip("/") + links.shelf_path(hub.vault, actor.tenant_id, location, sku)


@router.get(SHELF, response_model=ShelfOut)
def shelf(location: str, sku: str, request: Request, actor: Reader, hub: HubDep) -> dict:
    """What the shopper's page shows: price, the store's and the network's available units, the promise."""
    with hub.uow(write=False) as uow:
        view = queries.shelf_view(uow, actor.tenant_id, location, sku)
    return {**view, "url": shelf_url(request, hub, actor, location, sku)}


@router.get(SHELF + "/qr", response_class=Response,
            responses={200: {"content": {"image/png": {}}, "description": "the QR code"}})
def qr(location: str, sku: str, request: Request, actor: Reader, hub: HubDep) -> Response:
    """A PNG QR code of the shopper's page of this SKU in this store (an absolute address, no sign-in)."""
    with hub.uow(write=False) as uow:
        queries.store(uow, actor.tenant_id, location)
        queries.sku_named(uow, actor.tenant_id, sku)
    return Response(qr_png(shelf_url(request, hub, actor, location, sku)), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=3600"})


@router.put("/prices/{sku}", response_model=PriceOut)
def set_price(sku: str, body: PriceIn, actor: Writer, hub: HubDep) -> PriceOut:
    """The SKU's shelf price: what the shopper's page shows and a store sale charges."""
    return hub.handle(SetShelfPrice(actor=actor, sku=sku, amount=body.amount, currency=body.currency))

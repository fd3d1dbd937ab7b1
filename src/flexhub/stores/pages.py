"""The shopper's page a shelf QR code opens (no sign-in; the mini-program stand-in): the product, its price, the
store's and the network's available units and the delivery promise, in English or 简体中文. A link not made by
this hub (its tag does not match) is 404, telling nothing."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from flexhub.api.auth import HubDep
from flexhub.kernel.errors import FlexhubError
from flexhub.stores import links, queries
from flexhub.stores.errors import UnknownShelfLink
from flexhub.web.render import page

router = APIRouter(include_in_schema=False)


@router.get(links.PREFIX + "/{tenant_id}/{location}/{sku}", response_class=HTMLResponse)
def shelf_page(tenant_id: uuid.UUID, location: str, sku: str, request: Request, hub: HubDep,
               k: str = "") -> HTMLResponse:
    try:
        if not links.is_genuine(hub.vault, tenant_id, location, sku, k):
            raise UnknownShelfLink("this link was not made by this hub")
        with hub.uow(write=False) as uow:
            view = queries.shelf_view(uow, tenant_id, location, sku)
    except FlexhubError as error:
        return page(request, "shelf_missing.html", status_code=404, code=UnknownShelfLink.code,
                    message=str(error.message))
    return page(request, "shelf.html", item=view, here=str(request.url.path) + "?k=" + k)

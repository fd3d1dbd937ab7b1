"""Held orders on the exceptions page: what each rule found, and a person's release, address correction or
cancel (the same commands as the API's, refused by role as there)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.ordering import EditShippingAddress, ReleaseOrder
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
Field = Annotated[str, Form(max_length=300)]


@router.post("/orders/{order_id}/release")
def release(order_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    require(actor, "orders.write")
    hub.handle(ReleaseOrder(actor=actor, order_id=str(order_id), note="released from the dashboard"))
    return RedirectResponse("/exceptions", status_code=303)


@router.post("/orders/{order_id}/address")
def correct_address(order_id: uuid.UUID, actor: WebActor, hub: HubDep, country: Field = "CN", province: Field = "",
                    city: Field = "", district: Field = "", line1: Field = "",
                    postal_code: Field = "") -> RedirectResponse:
    require(actor, "orders.write")
    fields = {"country": country, "province": province, "city": city, "district": district, "line1": line1,
              "postal_code": postal_code}
    hub.handle(EditShippingAddress(actor=actor, order_id=str(order_id),
                                   address={k: v.strip() for k, v in fields.items() if v.strip()}))
    return RedirectResponse("/exceptions", status_code=303)

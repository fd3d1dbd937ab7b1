"""Channel routes: /api/v1/channels (a contract: paths and bodies stay stable)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from flexhub.api.auth import HubDep, allowed
from flexhub.channels.commands import CreateChannel, CreateListing
from flexhub.channels.queries import channel_view
from flexhub.channels.schemas import ChannelIn, ChannelOut, ListingIn, ListingOut
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])
Writer = Annotated[Actor, Depends(allowed("channels.write"))]


@router.post("", status_code=201, response_model=ChannelOut)
def create_channel(body: ChannelIn, actor: Writer, hub: HubDep) -> dict:
    return channel_view(hub.handle(CreateChannel(actor=actor, **body.model_dump())))


@router.post("/{code}/listings", status_code=201, response_model=ListingOut)
def create_listing(code: str, body: ListingIn, actor: Writer, hub: HubDep) -> dict:
    return hub.handle(CreateListing(actor=actor, channel=code, **body.model_dump()))

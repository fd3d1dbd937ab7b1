"""Channel routes: /api/v1/channels (a contract: paths and bodies stay stable). A partner's key reads its own
channels only; any other channel code is 404 `channels.unknown_channel`, as one that does not exist."""

import uuid
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.listing import PageFrame, PagingDep, listed
from flexhub.channels import queries
from flexhub.channels.commands import (
    CreateChannel,
    CreateListing,
    CreateListings,
    NewListing,
    RetryChannelException,
    RetryDeadLetters,
    SetAllocation,
)
from flexhub.channels.queries import channel_list
from flexhub.channels.schemas import (
    ALLOCATION,
    AllocationOut,
    ChannelIn,
    ChannelOut,
    ListingBatchIn,
    ListingBatchOut,
    ListingIn,
    ListingOut,
)
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])
Writer = Annotated[Actor, Depends(allowed("channels.write"))]


class ChannelListOut(PageFrame):
    channels: list[dict[str, Any]]


@router.get("", response_model=ChannelListOut)
def list_channels(actor: Reader, hub: HubDep, paging: PagingDep,
                  platform: Annotated[str | None, Query(max_length=32)] = None) -> dict[str, Any]:
    """The channels a page at a time (a partner's key: its own), by code unless `sort` (code, name, platform,
    created_at) says otherwise."""
    with hub.uow(write=False) as uow:
        spec = channel_list(actor.tenant_id, partner_id=actor.partner_id, platform=platform)
        return listed(uow.connection, spec, paging, "channels")


@router.post("", status_code=201, response_model=ChannelOut)
def create_channel(body: ChannelIn, actor: Writer, hub: HubDep) -> dict:
    return queries.channel_view(hub.handle(CreateChannel(actor=actor, **body.model_dump())))


@router.post("/{code}/listings", status_code=201, response_model=ListingOut)
def create_listing(code: str, body: ListingIn, actor: Writer, hub: HubDep) -> dict:
    return hub.handle(CreateListing(actor=actor, channel=code, **body.model_dump()))


@router.post("/{code}/listings:batch", response_model=ListingBatchOut)
def create_listings(code: str, body: ListingBatchIn, actor: Writer, hub: HubDep) -> dict:
    """Up to 1,000 listings at once (a store's catalog): each that can be made is, in one transaction; each that
    cannot is listed under `refused` with its error's code (`catalog.unknown_sku`, `channels.listing_exists` — also
    for an external SKU given twice —, `channels.invalid_allocation`). An unknown channel is 404 with nothing made."""
    listings = tuple(NewListing(**listing.model_dump()) for listing in body.listings)
    return asdict(hub.handle(CreateListings(actor=actor, channel=code, listings=listings)))


@router.get("/{code}/allocation")
def allocation(code: str, actor: Reader, hub: HubDep) -> dict:
    """The channel's allocation policy and the listings with one of their own."""
    with hub.uow(write=False) as uow:
        channel = queries.visible_channel(uow.connection, actor.tenant_id, code, actor.partner_id)
        return queries.allocation_of(uow.connection, actor.tenant_id, channel)


@router.put("/{code}/allocation", response_model=AllocationOut)
def set_allocation(code: str, actor: Writer, hub: HubDep, body: Annotated[dict[str, Any], ALLOCATION]) -> dict:
    """Set the policy of the channel's listings (those without their own); their figures are planned again."""
    return asdict(hub.handle(SetAllocation(actor=actor, channel=code, allocation=body)))


@router.put("/{code}/listings/{external_sku}/allocation", response_model=AllocationOut)
def set_listing_allocation(code: str, external_sku: str, actor: Writer, hub: HubDep,
                           body: Annotated[dict[str, Any], ALLOCATION]) -> dict:
    """Give one listing a policy of its own; an empty object hands it back to the channel's."""
    return asdict(hub.handle(SetAllocation(actor=actor, channel=code, listing=external_sku, allocation=body)))


@router.get("/{code}/sync")
def sync_status(code: str, actor: Reader, hub: HubDep) -> dict:
    """Each listing's figure: wanted, confirmed by the platform, waiting or dead."""
    with hub.uow(write=False) as uow:
        queries.visible_channel(uow.connection, actor.tenant_id, code, actor.partner_id)
        return {"channel": code, "listings": queries.sync_status(uow.connection, actor.tenant_id, code)}


@router.post("/{code}/dead-letters/retry")
def retry_dead_letters(code: str, actor: Writer, hub: HubDep) -> dict:
    done = hub.handle(RetryDeadLetters(actor=actor, channel=code))
    return {"channel": done.channel, "retried": done.retried}


@router.get("/{code}/drift")
def drift(code: str, actor: Reader, hub: HubDep) -> dict:
    """What reconciliation last found on the channel, and the drift it found, newest first."""
    with hub.uow(write=False) as uow:
        queries.visible_channel(uow.connection, actor.tenant_id, code, actor.partner_id)
        return {"channel": code,
                "last_reconciliation": queries.last_reconciliations(uow.connection, actor.tenant_id).get(code),
                "drift": queries.drift_found(uow.connection, actor.tenant_id, code)}


@router.get("/exceptions/open")
def open_exceptions(actor: Reader, hub: HubDep) -> dict:
    """Channel messages that need a person: unmapped SKUs, orders that do not validate (a partner's: of its own
    channels)."""
    with hub.uow(write=False) as uow:
        return {"exceptions": queries.open_exceptions(uow.connection, actor.tenant_id, partner_id=actor.partner_id)}


@router.post("/exceptions/{exception_id}/retry")
def retry_exception(exception_id: uuid.UUID, actor: Writer, hub: HubDep) -> dict:
    hub.handle(RetryChannelException(actor=actor, exception_id=str(exception_id)))
    hub.inbound_arrived.set()
    return {"id": str(exception_id), "state": "resolved", "message": "handed back to the importer"}

"""A reseller's stores, through its own key (or the brand's admin): connect one (a channel the reseller owns,
selling from the brand's shared `spot` pool and/or its own consigned pool), map its listings to the brand's SKUs,
and read each listing's allotted available-to-sell. Another reseller's is 404, as one that does not exist.

Here rather than in resellers/ because it joins two capabilities: channels (which already depends on ordering,
which depends on resellers) and resellers' own scoping."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from flexhub import channels, resellers
from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.kernel.codes import Code
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/resellers", tags=["resellers"])
Connector = Annotated[Actor, Depends(allowed("resellers.connect"))]  # the brand's admin, or the reseller itself


class StoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"code": "sg-shopee", "platform": "shopee", "credentials": {"partner_key": "…"}}]})

    code: str = Code
    platform: str = Field(min_length=1, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    pools: list[str] = Field(default_factory=lambda: ["spot"], min_length=1, max_length=2,
                             description="spot (the brand's shared pool) and/or the reseller's own consigned:<code>")
    credentials: dict[str, str] = Field(default_factory=dict, description="the platform's keys; sealed, never shown")


class ListingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_sku: str = Field(min_length=1, max_length=120, description="the store's SKU")
    sku: str = Field(min_length=1, max_length=64, description="the brand's SKU it sells")
    external_item_id: str | None = Field(default=None, max_length=120)
    external_location_id: str | None = Field(default=None, max_length=120)


@router.get("/{partner}/stores")
def list_stores(partner: str, actor: Reader, hub: HubDep) -> dict[str, Any]:
    """The reseller's stores, each listing's SKU and its allotted available-to-sell (`available`: the figure the hub
    plans for it from the store's pools and allocation; `shown`: what the platform last confirmed)."""
    with hub.uow(write=False) as uow:
        row = resellers.visible_reseller(uow.connection, actor, partner)
        return {"partner": row.code, "stores": channels.partner_listings(uow.connection, actor.tenant_id, row.id)}


@router.post("/{partner}/stores", status_code=201)
def connect_store(partner: str, body: StoreIn, actor: Connector, hub: HubDep) -> dict[str, Any]:
    """Connect one of the reseller's own stores: a channel it owns, selling from the brand's shared `spot` pool
    and/or its own consigned pool (`consigned:<code>`); its credentials are sealed and never shown."""
    created = connect(hub, actor, partner, body)
    return {"code": created.code, "platform": created.platform, "name": created.name, "pools": created.pools,
            "credential_names": created.credential_names, "missing_credentials": created.missing_credentials}


@router.post("/{partner}/stores/{code}/listings", status_code=201)
def map_listing(partner: str, code: str, body: ListingIn, actor: Connector, hub: HubDep) -> dict[str, Any]:
    """Map a listing of the reseller's store to one of the brand's SKUs; its figure is planned at once. Another
    reseller's store is 404 `channels.unknown_channel`."""
    created = map_to_sku(hub, actor, partner, code, body)
    return {"store": created.channel, "external_sku": created.external_sku, "sku": created.sku,
            "external_item_id": created.external_item_id}


def connect(hub: Any, actor: Actor, partner: str, body: StoreIn) -> channels.ChannelCreated:
    """The store as a channel the reseller owns (the API's route and the dashboard's form alike)."""
    with hub.uow(write=False) as uow:
        row = resellers.visible_reseller(uow.connection, actor, partner)
    if bad := sorted(set(body.pools) - {"spot", f"consigned:{row.code}"}):
        raise resellers.InvalidPools(f"a reseller's store sells from spot or consigned:{row.code}, not {bad}",
                                     pools=bad)
    return hub.handle(channels.CreateChannel(actor=actor, partner=row.code, **body.model_dump()))


def map_to_sku(hub: Any, actor: Actor, partner: str, code: str, body: ListingIn) -> channels.ListingCreated:
    """A listing of the reseller's own store mapped to a brand's SKU; another's store is unknown."""
    with hub.uow(write=False) as uow:
        row = resellers.visible_reseller(uow.connection, actor, partner)
        channels.visible_channel(uow.connection, actor.tenant_id, code, row.id)
    return hub.handle(channels.CreateListing(actor=actor, channel=code, **body.model_dump()))

"""Channel handlers: create channels (credentials sealed) and listings, and set their allocation policies."""

import uuid
from typing import Any

from flexhub import catalog
from flexhub.catalog import UnknownSku
from flexhub.channels import registry, repository
from flexhub.channels.allocation import Policy, parse_policy
from flexhub.channels.commands import (
    AllocationSet,
    ChannelCreated,
    CreateChannel,
    CreateListing,
    CreateListings,
    ListingCreated,
    ListingRefused,
    ListingsCreated,
    NewListing,
    SetAllocation,
)
from flexhub.channels.errors import ChannelExists, ListingExists, UnknownChannel, UnknownListing
from flexhub.channels.events import AllocationChanged, ListingAdded
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit, partner_by_code
from flexhub.integrations.vault import Vault
from flexhub.inventory import InvalidPool, is_valid_pool
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id


def create_channel(cmd: CreateChannel, uow_factory: UnitOfWorkFactory, vault: Vault) -> ChannelCreated:
    adapter = registry.adapter_for(cmd.platform)
    bad = [p for p in cmd.pools if not is_valid_pool(p)]
    if bad or not cmd.pools:
        raise InvalidPool(f"a channel sells from spot, presale or consigned:<partner> pools, not {bad}")
    settings = _checked_settings(cmd.settings)
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        if repository.channels_by_code(uow.connection, tenant_id, [cmd.code]):
            raise ChannelExists(f"channel {cmd.code} already exists")
        partner_id = partner_by_code(uow.connection, tenant_id, cmd.partner).id if cmd.partner else None
        channel_id, name = new_id(), cmd.name or cmd.code
        values = {
            "id": channel_id, "tenant_id": tenant_id, "partner_id": partner_id, "code": cmd.code,
            "platform": cmd.platform, "name": name, "pools": list(cmd.pools),
            "unpaid_hold_minutes": cmd.unpaid_hold_minutes, "settings": settings,
            "credentials": vault.seal(cmd.credentials) if cmd.credentials else None,
        }
        repository.insert_channel(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("channel.create", "channel", channel_id, {
            "code": cmd.code, "platform": cmd.platform, "credential_names": sorted(cmd.credentials),
            **({"allocation": settings["allocation"]} if "allocation" in settings else {})}))
        uow.commit()
    missing = [name for name in adapter.credential_fields if name not in cmd.credentials]
    return ChannelCreated(id=channel_id, code=cmd.code, platform=cmd.platform, name=name,
                          pools=list(cmd.pools), unpaid_hold_minutes=cmd.unpaid_hold_minutes,
                          credential_names=sorted(cmd.credentials), missing_credentials=missing)


def create_listing(cmd: CreateListing, uow_factory: UnitOfWorkFactory) -> ListingCreated:
    wanted = NewListing(external_sku=cmd.external_sku, sku=cmd.sku, external_item_id=cmd.external_item_id,
                        external_location_id=cmd.external_location_id, allocation=cmd.allocation)
    with uow_factory() as uow:
        channel = _channel(uow, cmd.actor.tenant_id, cmd.channel)
        made, refused = _listings(uow, channel, cmd.channel, [wanted])
        if refused:
            raise refused[0][1]
        audit.record(uow, cmd.actor, audit.Audited("listing.create", "listing", uuid.UUID(made[0].id), {
            "channel": cmd.channel, "external_sku": cmd.external_sku, "sku": cmd.sku,
            **({"allocation": made[0].allocation} if made[0].allocation else {})}))
        uow.commit()
    return made[0]


def create_listings(cmd: CreateListings, uow_factory: UnitOfWorkFactory) -> ListingsCreated:
    """A store's catalog at once: the listings that can be made are, in one transaction with one audit row naming
    each; the others are answered with their error's code (unknown SKU, already listed, listed twice in the batch,
    an allocation refused)."""
    with uow_factory() as uow:
        channel = _channel(uow, cmd.actor.tenant_id, cmd.channel)
        made, refused = _listings(uow, channel, cmd.channel, list(cmd.listings))
        if made:
            audit.record(uow, cmd.actor, audit.Audited("listing.create_batch", "channel", channel.id, {
                "channel": cmd.channel, "listings": [{"id": x.id, "external_sku": x.external_sku, "sku": x.sku}
                                                     for x in made]}))
        uow.commit()
    return ListingsCreated(channel=cmd.channel, created=made, refused=[
        ListingRefused(external_sku=external_sku, code=error.code, message=error.message)
        for external_sku, error in refused])


def _channel(uow: UnitOfWork, tenant_id: uuid.UUID, code: str) -> Any:
    channel = repository.channels_by_code(uow.connection, tenant_id, [code]).get(code)
    if channel is None:
        raise UnknownChannel(f"unknown channel {code}")
    return channel


def _listings(uow: UnitOfWork, channel: Any, code: str, wanted: list[NewListing]
              ) -> tuple[list[ListingCreated], list[tuple[str, FlexhubError]]]:
    """Make what can be made of `wanted` (SKUs and taken listings read once for all), announce their SKUs once;
    the listings made, and each refused with its error."""
    tenant_id = channel.tenant_id
    skus = catalog.skus_by_code(uow.connection, tenant_id, {w.sku for w in wanted})
    taken = repository.taken_external_skus(uow.connection, channel.id, {w.external_sku for w in wanted})
    made, refused, rows = [], [], []
    for listing in wanted:
        try:
            allocation = parse_policy(listing.allocation).setting() if listing.allocation else {}
            sku = skus.get(listing.sku)
            if sku is None:
                raise UnknownSku(f"unknown SKU {listing.sku}", sku=listing.sku)
            if listing.external_sku in taken:
                raise ListingExists(f"{listing.external_sku} is already listed on {code}")
        except FlexhubError as error:
            refused.append((listing.external_sku, error))
            continue
        taken.add(listing.external_sku)
        rows.append({"id": new_id(), "tenant_id": tenant_id, "channel_id": channel.id,
                     "external_sku": listing.external_sku, "external_item_id": listing.external_item_id,
                     "external_location_id": listing.external_location_id, "sku_id": sku.id,
                     "allocation": allocation})
        made.append(ListingCreated(id=str(rows[-1]["id"]), channel=code, external_sku=listing.external_sku,
                                   sku=listing.sku, external_item_id=listing.external_item_id,
                                   external_location_id=listing.external_location_id, allocation=allocation))
    if rows:
        repository.insert_listings(uow.connection, rows)
        uow.record(ListingAdded(tenant_id=tenant_id, channel=code,
                                sku_ids=list(dict.fromkeys(str(row["sku_id"]) for row in rows))))
    return made, refused


def set_allocation(cmd: SetAllocation, uow_factory: UnitOfWorkFactory) -> AllocationSet:
    """Checked before anything is read; stored, audited (before and after) and announced in one transaction, so
    the planner plans the figures of every listing it touches again."""
    # An empty listing override hands the listing back to its channel; a channel always has a policy.
    wanted = parse_policy(cmd.allocation).setting() if cmd.allocation or cmd.listing is None else {}
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        channel = repository.channels_by_code(uow.connection, tenant_id, [cmd.channel]).get(cmd.channel)
        if channel is None:
            raise UnknownChannel(f"unknown channel {cmd.channel}")
        if cmd.listing is None:
            before = (channel.settings or {}).get("allocation") or Policy().setting()  # none set: shared
            repository.set_channel_settings(uow.connection, channel.id, {**(channel.settings or {}),
                                                                         "allocation": wanted})
            sku_ids = repository.listed_sku_ids(uow.connection, channel.id)
            entity, entity_id = "channel", channel.id
        else:
            listing = repository.listing_by_external_sku(uow.connection, channel.id, cmd.listing)
            if listing is None:
                raise UnknownListing(f"{cmd.listing} is not listed on {cmd.channel}")
            before = listing.allocation or {}
            repository.set_listing_allocation(uow.connection, listing.id, wanted)
            sku_ids = [listing.sku_id]
            entity, entity_id = "listing", listing.id
        audit.record(uow, cmd.actor, audit.Audited("allocation.set", entity, entity_id, {
            "channel": cmd.channel, "listing": cmd.listing, "before": before, "after": wanted}))
        uow.record(AllocationChanged(tenant_id=tenant_id, channel=cmd.channel, sku_ids=[str(s) for s in sku_ids]))
        uow.commit()
    return AllocationSet(channel=cmd.channel, listing=cmd.listing, allocation=wanted, skus_replanned=len(sku_ids))


def _checked_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """A channel's settings with its allocation checked (and kept as parsed), when it has one."""
    if "allocation" not in settings:
        return settings
    return {**settings, "allocation": parse_policy(settings["allocation"]).setting()}

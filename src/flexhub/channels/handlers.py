"""Channel handlers: create channels (credentials sealed) and listings."""

from flexhub.catalog import repository as catalog
from flexhub.catalog.errors import UnknownSku
from flexhub.channels import registry, repository
from flexhub.channels.commands import ChannelCreated, CreateChannel, CreateListing, ListingCreated
from flexhub.channels.errors import ChannelExists, ListingExists, UnknownChannel
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.identity.queries import partner_by_code
from flexhub.integrations.vault import Vault
from flexhub.inventory.errors import InvalidPool
from flexhub.inventory.rules import is_valid_pool
from flexhub.kernel.ids import new_id


def create_channel(cmd: CreateChannel, uow_factory: UnitOfWorkFactory, vault: Vault) -> ChannelCreated:
    adapter = registry.adapter_for(cmd.platform)
    bad = [p for p in cmd.pools if not is_valid_pool(p)]
    if bad or not cmd.pools:
        raise InvalidPool(f"a channel sells from spot, presale or consigned:<partner> pools, not {bad}")
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        if repository.channels_by_code(uow.connection, tenant_id, [cmd.code]):
            raise ChannelExists(f"channel {cmd.code} already exists")
        partner_id = partner_by_code(uow.connection, tenant_id, cmd.partner).id if cmd.partner else None
        values = {
            "id": new_id(), "tenant_id": tenant_id, "partner_id": partner_id, "code": cmd.code,
            "platform": cmd.platform, "name": cmd.name or cmd.code, "pools": list(cmd.pools),
            "unpaid_hold_minutes": cmd.unpaid_hold_minutes, "settings": cmd.settings,
            "credentials": vault.seal(cmd.credentials) if cmd.credentials else None,
        }
        repository.insert_channel(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("channel.create", "channel", values["id"], {
            "code": cmd.code, "platform": cmd.platform, "credential_names": sorted(cmd.credentials)}))
        uow.commit()
    missing = [name for name in adapter.credential_fields if name not in cmd.credentials]
    return ChannelCreated(id=values["id"], code=cmd.code, platform=cmd.platform, name=values["name"],
                          pools=list(cmd.pools), unpaid_hold_minutes=cmd.unpaid_hold_minutes,
                          credential_names=sorted(cmd.credentials), missing_credentials=missing)


def create_listing(cmd: CreateListing, uow_factory: UnitOfWorkFactory) -> ListingCreated:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        channel = repository.channels_by_code(uow.connection, tenant_id, [cmd.channel]).get(cmd.channel)
        if channel is None:
            raise UnknownChannel(f"unknown channel {cmd.channel}")
        sku = catalog.skus_by_code(uow.connection, tenant_id, [cmd.sku]).get(cmd.sku)
        if sku is None:
            raise UnknownSku(f"unknown SKU {cmd.sku}", sku=cmd.sku)
        if repository.listing_taken(uow.connection, channel.id, cmd.external_sku):
            raise ListingExists(f"{cmd.external_sku} is already listed on {cmd.channel}")
        values = {"id": new_id(), "tenant_id": tenant_id, "channel_id": channel.id, "external_sku": cmd.external_sku,
                  "external_item_id": cmd.external_item_id, "external_location_id": cmd.external_location_id,
                  "sku_id": sku.id}
        repository.insert_listing(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("listing.create", "listing", values["id"], {
            "channel": cmd.channel, "external_sku": cmd.external_sku, "sku": cmd.sku}))
        uow.commit()
    return ListingCreated(id=str(values["id"]), channel=cmd.channel, external_sku=cmd.external_sku, sku=cmd.sku,
                          external_item_id=cmd.external_item_id, external_location_id=cmd.external_location_id)

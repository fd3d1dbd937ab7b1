"""Channel handlers."""

from typing import Any

from sqlalchemy import insert

from flexhub.channels import repository
from flexhub.channels.commands import CreateChannel
from flexhub.channels.errors import ChannelExists, UnknownPlatform
from flexhub.channels.model import Channel
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.identity.partners import partner_by_code
from flexhub.inventory.errors import InvalidPool
from flexhub.inventory.rules import is_valid_pool
from flexhub.kernel.ids import new_id

PLATFORMS = (
    "generic", "shopify", "amazon", "woocommerce", "ebay", "shopee", "taobao", "tmall", "jd", "douyin",
    "kuaishou", "wechat", "store", "reseller",
)


def create_channel(cmd: CreateChannel, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    if cmd.platform not in PLATFORMS:
        raise UnknownPlatform(f"unknown platform {cmd.platform!r}", platforms=list(PLATFORMS))
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
        }
        uow.connection.execute(insert(Channel).values(**values))
        audit.record(uow, cmd.actor, audit.Audited("channel.create", "channel", values["id"], {
            "code": cmd.code, "platform": cmd.platform}))
        uow.commit()
    return values

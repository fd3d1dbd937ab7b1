"""For the hold-back's tests: each store's figure as the planner last decided it, and its channels' rounds planted
as confirmed pushes (what `FigurePlanner` reads a channel's measured round from)."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update

from flexhub.bootstrap import Hub
from flexhub.channels.model import Channel, Listing, StockPush
from flexhub.kernel.messages import Actor


def planned_figures(hub: Hub, admin: Actor) -> dict[str, int]:
    """Each store's figure as the planner last decided it (what the pusher sends), by the store's code: the listing's
    external SKU up to its first '-', lower-cased."""
    with hub.uow(write=False) as uow:
        return {sku.split("-")[0].lower(): quantity for sku, quantity in uow.connection.execute(
            select(Listing.external_sku, StockPush.quantity).join(StockPush, StockPush.listing_id == Listing.id)
            .where(Listing.tenant_id == admin.tenant_id))}


def confirmed_in_rounds(hub: Hub, admin: Actor, rounds: Mapping[str, float], now: datetime) -> None:
    """Every figure confirmed, each channel's (by code in `rounds`) its round after it was decided."""
    with hub.uow() as uow:
        for code, round_s in rounds.items():
            channel = select(Channel.id).where(Channel.tenant_id == admin.tenant_id, Channel.code == code)
            uow.connection.execute(update(StockPush).where(StockPush.channel_id == channel.scalar_subquery()).values(
                state="synced", changed_at=now - timedelta(seconds=round_s + 1), pushed_at=now - timedelta(seconds=1)))
        uow.commit()

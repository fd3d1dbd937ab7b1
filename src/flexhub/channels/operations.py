"""What a person does about trouble: retry dead letters, retry a message once its cause is fixed."""

import uuid

from sqlalchemy import select, update

from flexhub.channels.errors import UnknownChannel
from flexhub.channels.model import Channel, ChannelException, InboundMessage, StockPush
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.errors import NotFound
from flexhub.kernel.messages import Actor


def retry_dead_letters(uow: UnitOfWork, actor: Actor, channel_code: str) -> int:
    channel_id = uow.connection.execute(select(Channel.id).where(
        Channel.tenant_id == actor.tenant_id, Channel.code == channel_code)).scalar()
    if channel_id is None:
        raise UnknownChannel(f"unknown channel {channel_code}")
    result = uow.connection.execute(update(StockPush).where(
        StockPush.channel_id == channel_id, StockPush.state == "dead").values(
        state="pending", attempts=0, next_attempt_at=clock.now()))
    audit.record(uow, actor, audit.Audited("channel.retry_dead_letters", "channel", channel_id,
                                           {"listings": result.rowcount}))
    return result.rowcount


def retry_exception(uow: UnitOfWork, actor: Actor, exception_id: uuid.UUID) -> None:
    """Mark the exception resolved and hand its message back to the importer (listing added, say)."""
    row = uow.connection.execute(select(ChannelException).where(
        ChannelException.tenant_id == actor.tenant_id, ChannelException.id == exception_id)).first()
    if row is None:
        raise NotFound(f"no channel exception {exception_id}")
    now = clock.now()
    uow.connection.execute(update(ChannelException).where(ChannelException.inbound_id == row.inbound_id,
                                                          ChannelException.state == "open")
                           .values(state="resolved", resolved_at=now))
    if row.inbound_id:
        uow.connection.execute(update(InboundMessage).where(InboundMessage.id == row.inbound_id)
                               .values(state="pending", error=None))
    audit.record(uow, actor, audit.Audited("channel_exception.retry", "channel_exception", exception_id))

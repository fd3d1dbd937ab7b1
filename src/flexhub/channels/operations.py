"""What a person does about trouble: retry dead letters, retry a message once its cause is fixed."""

import uuid

from flexhub.channels import repository
from flexhub.channels.commands import DeadLettersRetried, RetryChannelException, RetryDeadLetters
from flexhub.channels.errors import UnknownChannel
from flexhub.channels.receipt import KEPT
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.db.wakes import announce
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.errors import NotFound


def retry_dead_letters(cmd: RetryDeadLetters, uow_factory: UnitOfWorkFactory) -> DeadLettersRetried:
    with uow_factory() as uow:
        channel = repository.channels_by_code(uow.connection, cmd.actor.tenant_id, [cmd.channel]).get(cmd.channel)
        if channel is None:
            raise UnknownChannel(f"unknown channel {cmd.channel}")
        count = repository.revive_dead_pushes(uow.connection, channel.id, clock.now())
        audit.record(uow, cmd.actor, audit.Audited("channel.retry_dead_letters", "channel", channel.id,
                                                   {"listings": count}))
        uow.commit()
    return DeadLettersRetried(channel=cmd.channel, retried=count)


def retry_channel_exception(cmd: RetryChannelException, uow_factory: UnitOfWorkFactory) -> None:
    """Mark the exception resolved and hand its message back to the importer (listing added, say)."""
    with uow_factory() as uow:
        row = repository.channel_exception(uow.connection, cmd.actor.tenant_id, _id(cmd.exception_id))
        if row is None:
            raise NotFound(f"no channel exception {cmd.exception_id}")
        repository.resolve_exceptions_of(uow.connection, row.tenant_id, row.inbound_id, clock.now())
        if row.inbound_id:
            repository.requeue_inbound(uow.connection, row.tenant_id, row.inbound_id)
            announce(uow.connection, KEPT)  # the importer wakes in whichever process runs it
        audit.record(uow, cmd.actor, audit.Audited("channel_exception.retry", "channel_exception", row.id))
        uow.commit()


def _id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(text))
    except ValueError as error:
        raise NotFound(f"no channel exception {text}") from error

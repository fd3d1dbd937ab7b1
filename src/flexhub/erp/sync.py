"""Syncing one connection now (`flexhub erp sync CODE`, POST …/sync): every pending document sent here, in the
order made, then each stream read from its cursor; the caller is told the progress of each step."""

from collections.abc import Callable
from typing import Any

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.erp import repository
from flexhub.erp.commands import SyncConnection, Synced
from flexhub.erp.outbound import DocumentSender
from flexhub.kernel import clock

Progress = Callable[[str, int, int], None]


def sync_connection(cmd: SyncConnection, uow_factory: UnitOfWorkFactory, sender: DocumentSender,
                    reader: Any = None) -> Synced:
    progress: Progress = cmd.on_progress or (lambda step, done, of: None)
    with uow_factory(write=False) as uow:
        erp = repository.connection_by_code(uow.connection, cmd.actor.tenant_id, cmd.code)
        pending = repository.pending_documents(uow.connection, cmd.actor.tenant_id, erp.id)
    sent = failed = 0
    progress("documents", 0, len(pending))
    for done, row in enumerate(pending, 1):
        outcome = sender.send_now(row.id)
        sent += outcome is True
        failed += outcome is False
        progress("documents", done, len(pending))
    errors: list[str] = []
    read: dict[str, int] = {}
    if reader is not None:
        read, error = reader.read_connection(erp, progress)
        if error:  # what was read before it stays read, its cursor kept
            errors.append(f"reading: {error}")
    with uow_factory() as uow:
        repository.mark_synced(uow.connection, erp.id, clock.now())
        uow.commit()
    return Synced(code=cmd.code, sent=sent, failed=failed, read=read, errors=errors)

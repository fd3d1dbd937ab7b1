"""`flexhub worker`: the relay, schedules and queued jobs without the API; any number may run at once, each with a
role: every job, only the import of kept channel messages, or every job but that import."""

import enum
import signal
import threading

import typer

from flexhub.bootstrap import bootstrap
from flexhub.cli.connections import check_connections
from flexhub.cli.startup import checked_settings
from flexhub.ops import logs
from flexhub.workers.runner import BACKGROUND, EVERY_GROUP, IMPORT


class Role(enum.StrEnum):
    all = "all"
    import_ = "import"
    background = "background"


GROUPS = {Role.all: EVERY_GROUP, Role.import_: frozenset({IMPORT}), Role.background: frozenset({BACKGROUND})}
ROLE = typer.Option(Role.all, "--role", help="all: every job; import: only the import of kept channel messages "
                    "(woken by each keep: PostgreSQL's NOTIFY); background: every job but that import")


def worker(role: Role = ROLE) -> None:
    """Run the background work: queued jobs are shared among every worker; each singleton schedule (the relay,
    reconciliation, polling, the import…) runs in the one worker of its role holding its lease. Stops on SIGTERM or
    Ctrl-C."""
    settings = checked_settings()
    logs.configure(settings.log_level, settings.log_format)
    check_connections(settings, hubs=1, listens=IMPORT in GROUPS[role])
    hub = bootstrap(settings)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    hub.workers.start(GROUPS[role])
    typer.echo(f"worker {hub.workers.keeper.owner if hub.workers.keeper else ''} ({role}) running", err=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        hub.close()

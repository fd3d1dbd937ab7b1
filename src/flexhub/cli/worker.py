"""`flexhub worker`: the relay, schedules and queued jobs without the API; any number may run at once."""

import signal
import threading

import typer

from flexhub.bootstrap import bootstrap
from flexhub.cli.startup import checked_settings
from flexhub.ops import logs


def worker() -> None:
    """Run the background work: queued jobs are shared among every worker; each singleton schedule (the relay,
    reconciliation, polling, alerts…) runs in the one worker holding its lease. Stops on SIGTERM or Ctrl-C."""
    hub = bootstrap(checked_settings())
    logs.configure(hub.settings.log_level, hub.settings.log_format)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    hub.workers.start()
    typer.echo(f"worker {hub.workers.keeper.owner if hub.workers.keeper else ''} running", err=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        hub.close()

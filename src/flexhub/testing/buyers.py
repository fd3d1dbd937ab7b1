"""Buyers in a process of their own: a hub and combined order writer on a shared database, placing orders a few at a
time and saying how many batches were answered (a test kills the process with SIGKILL part-way)."""

from multiprocessing.queues import Queue
from typing import Any

from flexhub.bootstrap import bootstrap
from flexhub.kernel.messages import Actor
from flexhub.settings import Settings
from flexhub.testing.builders import import_command, line

BATCH = 8


def buy_in_batches(database_url: str, admin: Actor, prefix: str, orders: int, answered: "Queue[Any]") -> None:
    """`orders` one-unit orders (`on_shortage: reject`) named `prefix-n`, `BATCH` at a time."""
    hub = bootstrap(Settings(database_url=database_url), combine=True)
    try:
        for start in range(0, orders, BATCH):
            hub.writer.import_many([import_command(admin, external_id=f"{prefix}-{n}", lines=[line(quantity=1)],
                                                   on_shortage="reject") for n in range(start, start + BATCH)])
            answered.put(start + BATCH)
    finally:
        hub.close()

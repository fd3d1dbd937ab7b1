"""`bench inbound --through kept`: the import job alone, in this process, on messages kept as a webhook keeps them.

By default every message is kept first and the clock runs from the first `process_pending` turn to the last that
found something (how fast a backlog drains); with `per_second` a thread keeps them at that rate while the importer
turns beside it, woken by each message as the channel-inbound job is, and the clock runs from the first message
kept to the last turn (a sale arriving).
"""

import threading
import time

from flexhub.bench.inbound.sale import Sale, body, sent
from flexhub.bootstrap import Hub
from flexhub.channels import inbound


def import_backlog(hub: Hub, sale: Sale, messages: int) -> tuple[float, int]:
    keep_messages(hub, sale, messages)
    started, turns = time.perf_counter(), 0
    while inbound.process_pending(hub):
        turns += 1
    return time.perf_counter() - started, turns


def import_as_they_arrive(hub: Hub, sale: Sale, messages: int, per_second: float) -> tuple[float, int]:
    """Turns while a thread keeps the messages at `per_second`; a turn that finds nothing waits for the next."""
    arrived = threading.Event()
    keeper = threading.Thread(target=keep_messages, args=(hub, sale, messages),
                              kwargs={"per_second": per_second, "arrived": arrived}, name="bench-webhooks")
    started, turns = time.perf_counter(), 0
    keeper.start()
    while True:
        arrived.clear()
        if inbound.process_pending(hub):
            turns += 1
            continue
        if not keeper.is_alive() and not inbound.process_pending(hub):
            break
        arrived.wait(0.05)
    keeper.join()
    return time.perf_counter() - started, turns


def keep_messages(hub: Hub, sale: Sale, messages: int, *, per_second: float = 0.0,
                  arrived: threading.Event | None = None) -> None:
    """Each message kept as a verified webhook is. With `per_second`, message k is kept no sooner than
    k / per_second after the first (as soon as it can be when behind), and `arrived` set after each."""
    stores = sale.stores
    started = time.perf_counter()
    for k, (n, paid) in enumerate(sent(messages)):
        if per_second and (ahead := started + k / per_second - time.perf_counter()) > 0:
            time.sleep(ahead)
        inbound.keep(hub, stores[n % len(stores)], "webhook", {}, body(len(stores), n, paid=paid).decode())
        if arrived is not None:
            arrived.set()

"""Waiting for the hub to catch up after the trading day, so the summary shows what the dashboard will: stock
figures pushed to every store, inbound messages taken in, and every order the warehouse can ship shipped.

The wait ends when nothing is left, or when what is left stops shrinking for a while (an order no node can take
stays routed), or at a deadline; what is still waiting then is reported rather than hidden."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from flexhub.bootstrap import Hub
from flexhub.channels import queries as channel_queries
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries

IN_THE_WAREHOUSE = ("reserved", "routed", "picking", "packed")  # accepted, not yet handed over or collected


@dataclass(frozen=True)
class Waiting:
    pushes: int  # stock figures not yet sent to a store
    inbound: int  # platform messages not yet taken in
    unshipped: int  # orders routing or the warehouse still has to move

    @property
    def total(self) -> int:
        return self.pushes + self.inbound + self.unshipped


def waiting(hub: Hub, staff: Actor) -> Waiting:
    with hub.uow(write=False) as uow:
        statuses = order_queries.status_counts(uow.connection, staff.tenant_id)
        return Waiting(pushes=channel_queries.pushes_pending(uow.connection),
                       inbound=channel_queries.inbound_pending(uow.connection),
                       unshipped=sum(statuses.get(status, 0) for status in IN_THE_WAREHOUSE))


def settle(read: Callable[[], Waiting], *, timeout_s: float, stalled_s: float = 20.0, poll_s: float = 0.5,
           seen: Callable[[Waiting], None] = lambda _: None) -> Waiting:
    """Poll until nothing waits, or nothing shrank for `stalled_s`, or `timeout_s` passed; returns the last look."""
    started = last_progress = time.monotonic()
    now = read()
    least = now.total
    while now.total and time.monotonic() - started < timeout_s and time.monotonic() - last_progress < stalled_s:
        seen(now)
        time.sleep(poll_s)
        now = read()
        if now.total < least:
            least, last_progress = now.total, time.monotonic()
    seen(now)
    return now

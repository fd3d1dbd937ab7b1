"""The routing job in a process of its own that stops part-way through a batch: once `placed` of the batch's orders
have their stock moved in its open transaction, it says so and waits (a test kills it with SIGKILL there)."""

import time
from multiprocessing.queues import Queue
from typing import Any

from flexhub.bootstrap import bootstrap
from flexhub.routing.commands import RouteReservedOrders
from flexhub.routing.placement import Placements
from flexhub.settings import Settings


def route_until_killed(database_url: str, batch: int, placed: int, stopped: "Queue[Any]") -> None:
    hub = bootstrap(Settings(database_url=database_url), combine=False)
    place = Placements.place
    count = 0

    def place_then_wait(self: Placements, *args: Any, **kwargs: Any) -> Any:
        nonlocal count
        outcome = place(self, *args, **kwargs)
        count += 1
        if count == placed:
            stopped.put(count)
            time.sleep(600)  # the transaction stays open, its writes made, until the kill
        return outcome

    Placements.place = place_then_wait  # type: ignore[method-assign]
    try:
        hub.handle(RouteReservedOrders(batch=batch))
    finally:
        hub.close()

"""A hub and a sandbox running side by side on 127.0.0.1: what the end-to-end tests and `bench sync` stand on.

The hub serves its API (the webhooks) on a free port with its workers running; the sandbox serves its
stores on another. `Stage.open` opens a store and registers it with the hub as a channel with
listings; stores whose platform pushes nothing are polled: by the stage's own poller when it has one, else by the
hub's polling job (the channel's `poll_every_s`), as a hub running in processes of its own polls them.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet

from flexhub.api.app import create_app as hub_app
from flexhub.bootstrap import Hub, bootstrap
from flexhub.db.jobs.queue import every_job
from flexhub.kernel.messages import Actor
from flexhub.sandbox.app import create_app as sandbox_app
from flexhub.sandbox.hub import Poller, connect
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.sandbox.store import Store
from flexhub.settings import Settings
from flexhub.testing.builders import create_tenant

POLL_EVERY_S = 0.3


@dataclass
class Stage:
    hub: Hub
    admin: Actor
    market: Market
    poller: Poller | None

    def open(self, platform: str, code: str, skus: Sequence[str], *, sells: bool = True, quantity: int = 0) -> Store:
        """`quantity`: what each listing shows before the hub's first push (the store's own count)."""
        store = self.market.open_store(platform, code, skus, sells=sells, quantity=quantity)
        polled = not store.platform.pushes_orders and sells
        hub_polls = polled and self.poller is None
        connect(self.hub, self.admin, store, settings={"poll_every_s": POLL_EVERY_S} if hub_polls else None)
        if polled and self.poller is not None:
            self.poller.watch(code)
        return store


def wait_until(condition: Callable[[], Any], timeout_s: float = 15.0, every_s: float = 0.05,
               explain: Callable[[], Any] | None = None) -> Any:
    """The condition's first true value, or TimeoutError; `explain`'s answer, if given, is put in its message."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every_s)
    said = f": {explain()}" if explain is not None else ""
    raise TimeoutError(f"still not true after {timeout_s} s{said}")


def jobs_left(hub: Hub) -> list[tuple[str, str, int, str | None]]:
    """Every job still queued (kind, state, attempts, last error): why a stage has not settled."""
    with hub.uow(write=False) as uow:
        rows = every_job(uow.connection)
    return [(row.kind, row.state, row.attempts, row.last_error) for row in rows]


def every_store_shows(stage: Stage, sku: str, quantity: int, timeout_s: float = 15.0) -> None:
    """Wait until every store's listing of `sku` shows `quantity`; AssertionError naming each figure if not."""
    def shown(store: Store) -> int | None:
        listing = store.listing(sku)
        return None if listing is None else listing.quantity

    def settled() -> bool:
        return all(shown(store) == quantity for store in stage.market.stores.values())

    try:
        wait_until(settled, timeout_s=timeout_s)
    except TimeoutError:
        figures = {store.name: shown(store) for store in stage.market.stores.values()}
        raise AssertionError(f"stores do not all show {quantity}: {figures}") from None


@contextmanager
def staged(database_url: str, *, combine: bool = True, poll_every_s: float = POLL_EVERY_S,
           **settings: Any) -> Iterator[Stage]:
    """A migrated database's hub with a tenant (code "acme"), and an empty sandbox, both served."""
    configured = Settings(database_url=database_url, secret_key=Fernet.generate_key().decode(), **settings)
    hub = bootstrap(configured, combine=combine)
    market = Market()
    with ExitStack() as stack:
        stack.callback(hub.close)
        stack.callback(market.close)
        market.hub_url = stack.enter_context(served(hub_app(hub)))
        market.base_url = stack.enter_context(served(sandbox_app(market)))
        admin = create_tenant(hub, "acme")
        poller = Poller(hub, admin.tenant_id, [], every_s=poll_every_s)
        stack.callback(poller.stop)
        hub.workers.start()
        stack.callback(hub.workers.stop)  # before the servers go: no worker calls a closed port
        poller.start()
        yield Stage(hub, admin, market, poller)

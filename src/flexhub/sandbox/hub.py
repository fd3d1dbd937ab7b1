"""The hub's side of a sandbox: a channel with listings for each store, and polling stores that do not push.

`connect` registers a store with the hub the way an operator would: a channel with the store's code,
platform and credentials, and a listing per store listing with the platform's ids. `Poller` fetches
orders from the stores whose platforms push nothing over HTTP (Taobao's TMC, JD), through the hub's
own polling (flexhub.channels.polling); the hub has no polling job of its own yet.
"""

import threading
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import httpx2
import structlog

from flexhub.bootstrap import Hub
from flexhub.channels import polling
from flexhub.channels.commands import CreateChannel, CreateListings, NewListing
from flexhub.kernel.messages import Actor
from flexhub.sandbox.store import Store

LISTINGS_AT_ONCE = 1000  # as POST /api/v1/channels/{code}/listings:batch takes them

log = structlog.get_logger(__name__)


def connect(hub: Hub, admin: Actor, store: Store, skus: Mapping[str, str] | None = None, *,
            settings: Mapping[str, Any] | None = None) -> None:
    """The store as a channel of the hub (with `settings`, e.g. `poll_every_s` for the hub's polling job); each
    listing maps to our SKU of the same code unless `skus` says."""
    hub.handle(CreateChannel(actor=admin, code=store.code, platform=store.platform.name,
                             credentials=dict(store.credentials), settings=dict(settings or {})))
    listings = [NewListing(external_sku=listing.sku, sku=(skus or {}).get(listing.sku, listing.sku),
                           external_item_id=listing.item_id, external_location_id=listing.location_id)
                for listing in store.listings.values()]
    for start in range(0, len(listings), LISTINGS_AT_ONCE):
        made = hub.handle(CreateListings(actor=admin, channel=store.code,
                                         listings=tuple(listings[start:start + LISTINGS_AT_ONCE])))
        if made.refused:
            raise ValueError(f"listings refused on {store.code}: {made.refused[:3]}")


class Poller:
    """Polls some channels of one tenant every `every_s` on one thread, until stopped."""

    def __init__(self, hub: Hub, tenant_id: uuid.UUID, codes: Iterable[str], *, every_s: float = 0.5) -> None:
        self._hub = hub
        self._tenant_id = tenant_id
        self._codes = list(codes)
        self._every_s = every_s
        self._stop = threading.Event()
        self._client = httpx2.Client(timeout=10.0)
        self._thread = threading.Thread(target=self._loop, name="sandbox-poller", daemon=True)
        self.kept = 0

    def watch(self, code: str) -> None:
        self._codes.append(code)

    def start(self) -> "Poller":
        self._thread.start()
        return self

    def run_once(self) -> int:
        kept = 0
        for code in list(self._codes):
            try:
                kept += polling.poll(self._hub, polling.channel_by_code(self._hub, self._tenant_id, code), self._client)
            except Exception as error:  # a platform that refuses one poll is asked again next turn
                log.warning("poll failed", channel=code, error=str(error))
        self.kept += kept
        return kept

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._client.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self._every_s)

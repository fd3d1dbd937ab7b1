"""Sync out, first half: after stock changes, decide the figure each affected listing should show.

Runs as a consumer of StockChanged. It recomputes from the levels as they are now, so a late or
repeated event only repeats the same answer. Figures go into one row per listing: a newer figure
replaces one still waiting (coalescing), and the pusher sends only the latest.
"""

import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from flexhub.catalog import repository as catalog
from flexhub.catalog.model import BundleComponent
from flexhub.channels.allocation import Policy, allocate
from flexhub.channels.model import Channel, Listing, StockPush
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory.model import Location, StockLevel
from flexhub.kernel import clock


class FigurePlanner:
    """StockChanged events noted as they come, planned once per turn: a flash sale's events for one SKU
    become one plan_pushes, not one each (which, a transaction apiece, held the relay back by seconds).

    Noting happens in the relay, planning in the push job; figures noted but not planned when the
    process stops are planned again at the next start, which plans every listed SKU once.
    """

    def __init__(self, uow_factory: Callable[..., UnitOfWork]) -> None:
        self._uow_factory = uow_factory
        self._lock = threading.Lock()
        self._noted: dict[uuid.UUID, tuple[set[uuid.UUID], datetime]] = {}
        self._started = False

    def note(self, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID], changed_at: datetime) -> None:
        with self._lock:
            skus, first = self._noted.get(tenant_id, (set(), changed_at))
            self._noted[tenant_id] = (skus | set(sku_ids), min(first, changed_at))

    def run_once(self) -> int:
        """Plan what was noted (everything listed, the first time); returns the figures changed."""
        if not self._started:
            self._started = True
            self._note_everything_listed()
        with self._lock:
            noted, self._noted = self._noted, {}
        changed = 0
        for tenant_id, (sku_ids, first) in noted.items():
            with self._uow_factory() as uow:
                changed += plan_pushes(uow, tenant_id, sku_ids, first)
                uow.commit()
        return changed

    def _note_everything_listed(self) -> None:
        with self._uow_factory(write=False) as uow:
            listed = uow.connection.execute(select(Listing.tenant_id, Listing.sku_id).distinct()).all()
        for tenant_id, sku_id in listed:
            self.note(tenant_id, [sku_id], clock.now())


def plan_pushes(uow: UnitOfWork, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID], changed_at: datetime) -> int:
    """Upsert the figure of every listing showing these SKUs (or bundles of them); returns rows changed."""
    connection = uow.connection
    listings = _affected_listings(connection, tenant_id, set(sku_ids))
    if not listings:
        return 0
    bundles = catalog.components_of(connection, tenant_id, {row.sku_id for row in listings})
    stocked = {c for parts in bundles.values() for c, _ in parts} | {row.sku_id for row in listings}
    available = _available(connection, tenant_id, stocked)
    groups: dict[tuple, dict[uuid.UUID, Policy]] = defaultdict(dict)
    units: dict[tuple, int] = {}
    for row in listings:
        pools = tuple(row.pools)
        key = (row.sku_id, pools)
        groups[key][row.id] = Policy.from_settings(row.allocation or (row.settings or {}).get("allocation"))
        units[key] = _sellable(row.sku_id, pools, bundles, available)
    figures = {listing: shown for key, policies in groups.items()
               for listing, shown in allocate(units[key], policies).items()}
    channel_of = {row.id: row.channel_id for row in listings}
    return _upsert(connection, tenant_id, figures, channel_of, changed_at)


def _affected_listings(connection: Connection, tenant_id: uuid.UUID, sku_ids: set[uuid.UUID]) -> list[Any]:
    bundle_ids = select(BundleComponent.bundle_id).where(
        BundleComponent.tenant_id == tenant_id, BundleComponent.component_id.in_(sku_ids))
    query = (
        select(Listing.id, Listing.sku_id, Listing.channel_id, Listing.allocation, Channel.pools, Channel.settings)
        .join(Channel, Channel.id == Listing.channel_id)
        .where(Listing.tenant_id == tenant_id, Listing.sku_id.in_(sku_ids) | Listing.sku_id.in_(bundle_ids))
    )
    return list(connection.execute(query))


def _available(connection: Connection, tenant_id: uuid.UUID, sku_ids: set[uuid.UUID]) -> dict[tuple, int]:
    """Units available per (SKU, pool) at the nodes that ship."""
    query = (
        select(StockLevel.sku_id, StockLevel.pool, StockLevel.on_hand, StockLevel.reserved, StockLevel.safety)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.sku_id.in_(sku_ids), Location.can_ship.is_(True))
    )
    totals: dict[tuple, int] = defaultdict(int)
    for row in connection.execute(query):
        totals[(row.sku_id, row.pool)] += max(0, row.on_hand - row.reserved - row.safety)
    return totals


def _sellable(sku_id: uuid.UUID, pools: tuple, bundles: dict, available: dict[tuple, int]) -> int:
    def units(sku: uuid.UUID) -> int:
        return sum(available.get((sku, pool), 0) for pool in pools)

    if sku_id in bundles:  # a bundle: what its scarcest component can make
        return min(units(component) // per_bundle for component, per_bundle in bundles[sku_id])
    return units(sku_id)


def _upsert(connection: Connection, tenant_id: uuid.UUID, figures: dict[uuid.UUID, int],
            channel_of: dict[uuid.UUID, uuid.UUID], changed_at: datetime) -> int:
    now = clock.now()
    existing = {row.listing_id: row for row in connection.execute(
        select(StockPush).where(StockPush.listing_id.in_(list(figures))))}
    fresh, changed = [], 0
    for listing_id, quantity in figures.items():
        row = existing.get(listing_id)
        if row is None:
            fresh.append({"listing_id": listing_id, "tenant_id": tenant_id, "channel_id": channel_of[listing_id],
                          "quantity": quantity, "version": 1, "state": "pending", "pushed_quantity": None,
                          "pushed_version": 0, "attempts": 0, "next_attempt_at": now, "changed_at": changed_at})
        elif row.quantity != quantity:
            waiting = row.state == "pending"
            connection.execute(update(StockPush).where(StockPush.listing_id == listing_id).values(
                quantity=quantity, version=row.version + 1, state="pending", attempts=row.attempts if waiting else 0,
                changed_at=row.changed_at if waiting else changed_at,
                next_attempt_at=row.next_attempt_at if waiting else now))
            changed += 1
    if fresh:
        connection.execute(insert(StockPush), fresh)
    return changed + len(fresh)

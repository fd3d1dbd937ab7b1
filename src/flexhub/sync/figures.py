"""Sync out, first half: after stock changes, decide the figure each affected listing should show.

Runs as a consumer of StockChanged. It recomputes from the levels as they are now, so a late or
repeated event only repeats the same answer. A SKU selling fast has units held back from its shared
listings (allocation.SpikeGuard), its pace read from how far its sellable figure fell between plannings
within the window (`SalesPace`, in memory: no query on the order tables); such a SKU is planned again
once its window has passed, so the units come back as the sale slows. Figures go into
one row per listing: a newer figure replaces one still waiting (coalescing), and the pusher sends only the latest.
"""

import threading
import time
import uuid
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection

from flexhub import catalog
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.sync import queries, repository
from flexhub.sync.allocation import Policy, SpikeGuard, allocate, sell_through

SPLIT_ACTOR = "job:spike-split"  # who the audit names for a spike's split
Sold = Mapping[tuple[uuid.UUID, uuid.UUID], int]  # units sold lately by (channel, SKU)
SPLIT_RECORDED_S = 60.0  # a SKU's spike split is recorded at most this often
SALES_FRESH_S = 2.0  # a spike's split reads the channels' sales again after this long
SWEEP_S = 60.0  # every listed SKU is planned again this often (FigurePlanner's safety net)
EVENTS_KEPT = 100_000  # event ids remembered to pass over a second delivery (the relay's after the commit's)


class FigurePlanner:
    """StockChanged events noted as they come, planned once per turn: a flash sale's events for one SKU
    become one plan_pushes, not one each (which, a transaction apiece, held the relay back by seconds).

    Noting happens as a transaction commits in this process and in the relay, planning in the push job; figures
    noted but not planned when the process stops are planned again at the next start, which plans every listed SKU
    once (decided then). A turn that fails leaves what it took noted for the next. Every `sweep_s` every listed SKU
    is planned again (only figures that moved are written): a safety net, so a figure left stale by a plan that never
    came is right again within that time.
    """

    def __init__(self, uow_factory: Callable[..., UnitOfWork], spike: SpikeGuard | None = None, *,
                 sweep_s: float = SWEEP_S) -> None:
        self._uow_factory = uow_factory
        self._sweep_s = sweep_s
        self._spike = spike or SpikeGuard()
        self._lock = threading.Lock()
        self._noted: dict[uuid.UUID, dict[uuid.UUID, datetime]] = {}  # tenant → SKU → its first change not planned
        self._events: OrderedDict[uuid.UUID, None] = OrderedDict()  # the last EVENTS_KEPT noted
        self._held: dict[tuple[uuid.UUID, uuid.UUID], datetime] = {}  # (tenant, SKU) → plan it again then
        self._pace = SalesPace(self._spike)
        self._since: datetime | None = None  # when this process first planned (everything listed)
        self._swept = datetime.min.replace(tzinfo=UTC)  # when every listed SKU was last noted
        self._recorded: dict[tuple[uuid.UUID, uuid.UUID], float] = {}  # (tenant, SKU) → when its split was recorded
        self._sold: dict[uuid.UUID, tuple[float, Sold]] = {}  # tenant → (when read, its sales lately)

    def note(self, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID], changed_at: datetime,
             event_id: uuid.UUID | None = None) -> None:
        """SKUs to plan, changed at `changed_at`; an event noted already (as its transaction committed here, then
        again from the relay) is passed over."""
        with self._lock:
            if event_id is not None:
                if event_id in self._events:
                    return
                self._events[event_id] = None
                if len(self._events) > EVENTS_KEPT:
                    self._events.popitem(last=False)
            if self._since is not None:
                changed_at = max(changed_at, self._since)
            skus = self._noted.setdefault(tenant_id, {})
            for sku_id in sku_ids:
                skus[sku_id] = min(skus.get(sku_id, changed_at), changed_at)

    def run_once(self) -> int:
        """Plan what was noted (everything listed, the first time); returns the figures changed."""
        now = clock.now()
        if self._since is None:
            # Every listed SKU is planned now from its levels as they are: what was noted before this first
            # planning (as transactions committed before this process's jobs ran) is part of it, decided now; and
            # an older change the relay delivers later was planned here too, so it counts from now as well.
            with self._lock:
                self._noted, self._since = {}, now
            try:
                self._note_everything_listed()
            except Exception:
                self._since = None  # a first turn whose read failed: everything listed is planned at the next
                raise
            self._swept = now
        elif (now - self._swept).total_seconds() >= self._sweep_s:
            self._note_everything_listed()
            self._swept = now
        self._note_held_back_expired()
        with self._lock:
            noted, self._noted = self._noted, {}
        changed, waiting = 0, list(noted.items())
        for done, (tenant_id, sku_changes) in enumerate(waiting):
            try:
                changed += self._plan_tenant(tenant_id, sku_changes)
            except Exception:
                # Noted again, so a turn that failed (a lost connection, 'too many clients') plans them at the next.
                # Dropped, a SKU whose units a spike held back from every store (each showing 0) was never planned
                # again: nothing can sell it, so no change comes, and its re-plan once the window passed was the
                # turn that failed (bench sync, session 11: 14 units held, every store at 0, nothing waiting).
                self._note_again(waiting[done:])
                raise
        return changed

    def _plan_tenant(self, tenant_id: uuid.UUID, sku_changes: dict[uuid.UUID, datetime]) -> int:
        """Plan one tenant's noted SKUs; the figures changed."""
        changed = 0
        # Decided in a read transaction, written in a short one: on SQLite the write lock is the one every
        # order import, webhook and push confirmation waits for, and the reads were most of this job's 55 ms
        # a turn under it (bench sync, 8 stores × 200 SKUs). A change committed meanwhile was noted and is
        # planned at the next turn, from the levels as they are then.
        with self._uow_factory(write=False) as uow:
            self._pace.behind = queries.inbound_behind(uow.connection, tenant_id)
            plan = plan_pushes(uow.connection, tenant_id, sku_changes, partial(self._held_back, tenant_id),
                               partial(self._sales, uow.connection, tenant_id))
        if plan.figures:
            # Each figure is stamped with its own SKU's first change since the last planning (the sync lag's
            # start); a bundle's, whose changes were its components', with the earliest noted. One stamp for
            # the whole turn charged a SKU sold a moment ago with another's change seconds before it (the demo:
            # a one-call store's p99 2.7 s, most of it other SKUs' changes planned in the same turn).
            first = min(sku_changes.values())
            changed_at = {listing: sku_changes.get(plan.sku_of[listing], first) for listing in plan.figures}
            # Taken as they are written: a split marked recorded in a turn that wrote nothing would go unrecorded.
            splits = self._splits_begun(tenant_id, plan)
            with self._uow_factory() as uow:
                changed += repository.upsert_figures(uow.connection, tenant_id, plan.figures, plan.channel_of,
                                                     changed_at)
                record_splits(uow, tenant_id, splits)
                uow.commit()
        again = clock.now() + timedelta(seconds=self._spike.window_s)
        with self._lock:
            self._held.update({(tenant_id, sku_id): again for sku_id in plan.held_back})
        return changed

    def _note_again(self, waiting: list[tuple[uuid.UUID, dict[uuid.UUID, datetime]]]) -> None:
        with self._lock:
            for tenant_id, sku_changes in waiting:
                skus = self._noted.setdefault(tenant_id, {})
                for sku_id, changed_at in sku_changes.items():
                    skus[sku_id] = min(skus.get(sku_id, changed_at), changed_at)

    def _splits_begun(self, tenant_id: uuid.UUID, plan: "Plan") -> list[dict[str, Any]]:
        """The parts of this plan's splits to record: a SKU's split once in SPLIT_RECORDED_S, not every turn's new
        shares while a sale lasts (a flash sale plans each SKU many times a minute, and the hub's import running
        behind puts every SKU in a spike at once)."""
        now, begun = time.monotonic(), []
        for sku_id in plan.held_back:
            if now - self._recorded.get((tenant_id, sku_id), float("-inf")) >= SPLIT_RECORDED_S:
                self._recorded[(tenant_id, sku_id)] = now
                begun.extend(plan.splits.get(sku_id, []))
        return begun

    def _sales(self, connection: Connection, tenant_id: uuid.UUID) -> Sold:
        """The tenant's units sold by channel and SKU within the sales window, read again at most every SALES_FRESH_S.
        Read every planning turn (a flash sale's come many a second), the minute's orders cost the database more than
        the sale's imports (bench sync: import lag p50 1.5 -> 3.2 s, the one-call stores' p99 1.4 -> 5 s)."""
        read_at, sold = self._sold.get(tenant_id, (float("-inf"), {}))
        if time.monotonic() - read_at >= SALES_FRESH_S:
            since = clock.now() - timedelta(seconds=self._spike.sales_window_s)
            sold = queries.units_sold_lately(connection, tenant_id, since)
            self._sold[tenant_id] = (time.monotonic(), sold)
        return sold

    def _held_back(self, tenant_id: uuid.UUID, key: tuple, units: int) -> int | None:
        """The units a (SKU, pools) group of this tenant keeps back from its shared listings (None: no spike)."""
        return self._pace.held_back((tenant_id, *key), units)

    def _note_held_back_expired(self) -> None:
        now = clock.now()
        with self._lock:
            due = [key for key, at in self._held.items() if at <= now]
            for key in due:
                del self._held[key]
        for tenant_id, sku_id in due:
            self.note(tenant_id, [sku_id], now)

    def _note_everything_listed(self) -> None:
        with self._uow_factory(write=False) as uow:
            listed = queries.listed_skus(uow.connection)
        for tenant_id, sku_id in listed:
            self.note(tenant_id, [sku_id], clock.now())


def record_splits(uow: UnitOfWork, tenant_id: uuid.UUID, parts: list[dict[str, Any]]) -> None:
    """A spike's split recorded as the allocation changes are (the audit's allocation.set, listed on the channels
    page): each shared listing's part, before its policy and after the units it shows with what it sold lately; one
    row for the planning turn (audit.record_together)."""
    actor = Actor(tenant_id=tenant_id, role="admin", name=SPLIT_ACTOR)
    entries = [(actor, audit.Audited("allocation.set", "listing", part["listing_id"], {
        "channel": part["channel"], "listing": part["listing"], "before": part["policy"],
        "after": {**part["policy"], "spike_share": part["shown"], "sold_lately": part["sold"],
                  "held_back": part["held_back"]}})) for part in parts]
    audit.record_together(uow, entries, at=clock.now())


class SalesPace:
    """How fast each SKU sells, from how far its sellable figure fell from one planning to the next
    within the spike window (receipts, which raise it, are not sales); the units to hold back for it."""

    def __init__(self, spike: SpikeGuard) -> None:
        self._spike = spike
        self._last: dict[tuple, int] = {}
        self.behind = (0.0, 0)  # seconds and orders the hub is behind on the channels', set before each planning
        self._falls: dict[tuple, deque[tuple[datetime, int]]] = defaultdict(deque)

    def held_back(self, key: tuple, units: int, now: datetime | None = None) -> int | None:
        """`key` is (tenant, SKU, pools). The orders waiting to be imported are laid on the tenant's SKUs
        by their part of its recent sales (every one on each, when it has none yet)."""
        now = now or clock.now()
        last, self._last[key] = self._last.get(key), units
        if last is not None and units < last:
            self._falls[key].append((now, last - units))
        sold = self._sold(key, now)
        everything = sum(self._sold(other, now) for other in list(self._falls) if other[0] == key[0])
        behind_s, waiting = self.behind
        # Twice its part, as the mix of a spike's waiting orders is not the mix of those already read.
        likely = waiting * min(1.0, 2 * sold / everything if everything else 1.0)
        return self._spike.held_back(sold, behind_s, likely)

    def _sold(self, key: tuple, now: datetime) -> int:
        falls = self._falls[key]
        while falls and (now - falls[0][0]).total_seconds() > self._spike.window_s:
            falls.popleft()
        return sum(units for _, units in falls)


@dataclass(frozen=True, slots=True)
class Plan:
    figures: dict[uuid.UUID, int]  # listing → the figure it should show
    channel_of: dict[uuid.UUID, uuid.UUID]  # listing → its channel
    sku_of: dict[uuid.UUID, uuid.UUID]  # listing → the SKU (or bundle) it shows
    held_back: frozenset[uuid.UUID]  # listed SKUs in a spike: their shared listings split and hold back
    # SKU in a spike → each shared listing's part of the split: {channel, listing, shown, sold, held_back}
    splits: dict[uuid.UUID, list[dict[str, Any]]] = field(default_factory=dict)


def plan_pushes(connection: Connection, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID],
                hold_back: Callable[[tuple, int], int | None] = lambda key, units: None,
                sales: Callable[[], Sold] | None = None) -> Plan:
    """The figure of every listing showing these SKUs (or bundles of them), from the levels as they are. `hold_back`
    gives the units a (SKU, pools) group's shared listings keep back in a spike (None: no spike), from its units
    now; they split the rest by their sell-through, from `sales` (each channel's units of each SKU lately, asked
    only when a group is in a spike; evenly without it)."""
    listings = queries.affected_listings(connection, tenant_id, set(sku_ids))
    if not listings:
        return Plan({}, {}, {}, frozenset())
    bundles = catalog.components_of(connection, tenant_id, {row.sku_id for row in listings})
    stocked = {c for parts in bundles.values() for c, _ in parts} | {row.sku_id for row in listings}
    available = queries.available_units(connection, tenant_id, stocked)
    groups: dict[tuple, dict[uuid.UUID, Policy]] = defaultdict(dict)
    units: dict[tuple, int] = {}
    for row in listings:
        pools = tuple(row.pools)
        key = (row.sku_id, pools)
        groups[key][row.id] = Policy.from_settings(row.allocation or (row.settings or {}).get("allocation"))
        units[key] = _sellable(row.sku_id, pools, bundles, available)
    held = {key: hold_back(key, units[key]) for key in groups}
    spiking = [key for key, units_held in held.items() if units_held is not None]
    paces = _sell_through(listings, sales()) if spiking and sales is not None else {}
    figures = {listing: shown for key, policies in groups.items()
               for listing, shown in allocate(units[key], policies, held[key], paces).items()}
    by_id = {row.id: row for row in listings}
    splits: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for key in spiking:  # each shared listing's part, for the record (FigurePlanner records a split's start)
        splits[key[0]].extend({"listing_id": listing, "channel": by_id[listing].code,
                               "listing": by_id[listing].external_sku, "policy": policy.setting(),
                               "shown": figures[listing], "sold": round(paces.get(listing, 0.0), 1),
                               "held_back": held[key]}
                              for listing, policy in groups[key].items() if policy.mode == "shared")
    return Plan(figures, {row.id: row.channel_id for row in listings}, {row.id: row.sku_id for row in listings},
                frozenset(key[0] for key in spiking), dict(splits))


def figures_now(connection: Connection, tenant_id: uuid.UUID) -> dict[tuple[str, str], int]:
    """(channel code, external SKU) → the figure the hub would show at each of the tenant's listings now, outside any
    spike: what a store connected with quantities of its own is compared with (the demo's stores start near them)."""
    sku_ids = {sku_id for tenant, sku_id in queries.listed_skus(connection) if tenant == tenant_id}
    plan = plan_pushes(connection, tenant_id, sku_ids)
    named = {row.id: (row.code, row.external_sku) for row in queries.affected_listings(connection, tenant_id, sku_ids)}
    return {named[listing]: figure for listing, figure in plan.figures.items()}


def _sell_through(listings: list[Any], sold: Sold) -> dict[uuid.UUID, float]:
    """Each listing's recent pace on its SKU (allocation.sell_through): its channel's units of it sold lately (`sold`,
    by channel and SKU), plus the channel's average units a SKU over all it sold then."""
    skus_sold = len({sku for _, sku in sold}) or 1
    channel_sold: dict[uuid.UUID, float] = defaultdict(float)
    for (channel, _), units in sold.items():
        channel_sold[channel] += units / skus_sold
    return sell_through({row.id: sold.get((row.channel_id, row.sku_id), 0) for row in listings},
                        {row.id: channel_sold.get(row.channel_id, 0.0) for row in listings})


def _sellable(sku_id: uuid.UUID, pools: tuple, bundles: dict, available: dict[tuple, int]) -> int:
    def units(sku: uuid.UUID) -> int:
        return sum(available.get((sku, pool), 0) for pool in pools)

    if sku_id in bundles:  # a bundle: what its scarcest component can make
        return min(units(component) // per_bundle for component, per_bundle in bundles[sku_id])
    return units(sku_id)

"""Sync out, first half: after stock changes, decide the figure each affected listing should show.

Runs as a consumer of StockChanged. It recomputes from the levels as they are now, so a late or
repeated event only repeats the same answer. A SKU that sells has units held back from each shared listing for
its channel's round (allocation.HoldBack): its pace read from how far its sellable figure fell between plannings
(`SalesPace`, in memory: no query on the order tables), each channel's round the longer of what its push rows
measure (read at most every ROUNDS_FRESH_S) and what its platform's published limits give for its listings moving now
(published_rounds: a store quiet for a minute measures 0, yet its first figures of a sale take a round); such a SKU is
planned again once the short window has passed, so the units come back as the sale slows. A sale announced ahead (a
planning event with its times, sync/announced.py) holds back at its pace from each listing's lead before it starts,
its SKUs counted as moving from MAX_LEAD_S before; they are planned again as each channel begins holding and as it
ends (the sales read at most every SALES_FRESH_S). Figures go into one row per listing: a newer figure replaces one
still waiting (coalescing), and the pusher sends only the latest.
"""

import threading
import time
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection

from flexhub import catalog, planning
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.sync import announced, queries, repository
from flexhub.sync.allocation import MAX_LEAD_S, ROUND_WINDOW_S, HoldBack, Policy, allocate, channel_rounds, steadied
from flexhub.sync.published_rounds import NamedMoving, PublishedRounds
from flexhub.sync.sales_pace import Pace, SalesPace

HOLD_ACTOR = "job:hold-back"  # who the audit names for what a listing held back for its round
HOLD_RECORDED_S = 60.0  # what a SKU's listings hold back is recorded at most this often
ROUNDS_FRESH_S = 2.0  # the channels' rounds are read again after this long
SALES_FRESH_S = 2.0  # the sales announced ahead are read again after this long
SALES_KEPT_S = 60.0  # a sale announced ahead is read until this long after its end, so that its end is seen
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

    The `vault` opens each channel's credentials, with which its adapter builds the calls its published round counts;
    `moving` names SKUs to count as moving besides those selling (an announced sale's, before it starts): for a tenant
    at a time, read with the planning turn's connection at most every ROUNDS_FRESH_S.
    """

    def __init__(self, uow_factory: Callable[..., UnitOfWork], hold: HoldBack | None = None, *, vault: Vault,
                 sweep_s: float = SWEEP_S, moving: NamedMoving | None = None) -> None:
        self._uow_factory = uow_factory
        self._sweep_s = sweep_s
        self._hold = hold or HoldBack()
        self._lock = threading.Lock()
        self._noted: dict[uuid.UUID, dict[uuid.UUID, datetime]] = {}  # tenant → SKU → its first change not planned
        self._events: OrderedDict[uuid.UUID, None] = OrderedDict()  # the last EVENTS_KEPT noted
        self._held: dict[tuple[uuid.UUID, uuid.UUID], datetime] = {}  # (tenant, SKU) → plan it again then
        self._pace = SalesPace(self._hold)
        self._since: datetime | None = None  # when this process first planned (everything listed)
        self._swept = datetime.min.replace(tzinfo=UTC)  # when every listed SKU was last noted
        # (tenant, SKU) → when its hold was recorded, and the listings then holding back for an announced sale
        self._recorded: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, frozenset]] = {}
        self._rounds: dict[uuid.UUID, tuple[float, dict[uuid.UUID, float]]] = {}  # tenant → (when read, measured)
        # When the sales announced ahead were read, and each tenant's with its channels' rounds then
        self._sales: tuple[float, dict[uuid.UUID, tuple[list[planning.TimedEvent], dict[uuid.UUID, float]]]] = (
            float("-inf"), {})
        self._holding: dict[tuple[uuid.UUID, uuid.UUID], frozenset] = {}  # (tenant, sale) → channels holding for it
        self._published = PublishedRounds(vault, moving or self._announced_skus)

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
        self._note_announced_sales()
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
            plan = plan_pushes(uow.connection, tenant_id, sku_changes, self._hold, partial(self._pace_of, tenant_id),
                               partial(self._rounds_of, uow.connection, tenant_id),
                               self._sales[1].get(tenant_id, ([], {}))[0])
        if plan.figures:
            # Each figure is stamped with its own SKU's first change since the last planning (the sync lag's
            # start); a bundle's, whose changes were its components', with the earliest noted. One stamp for
            # the whole turn charged a SKU sold a moment ago with another's change seconds before it (the demo:
            # a one-call store's p99 2.7 s, most of it other SKUs' changes planned in the same turn).
            first = min(sku_changes.values())
            changed_at = {listing: sku_changes.get(plan.sku_of[listing], first) for listing in plan.figures}
            # Taken as they are written: a hold marked recorded in a turn that wrote nothing would go unrecorded.
            holds = self._holds_begun(tenant_id, plan)
            with self._uow_factory() as uow:
                changed += repository.upsert_figures(uow.connection, tenant_id, plan.figures, plan.channel_of,
                                                     changed_at)
                record_hold_backs(uow, tenant_id, holds)
                uow.commit()
        again = clock.now() + timedelta(seconds=self._hold.window_s)
        with self._lock:
            self._held.update({(tenant_id, sku_id): again for sku_id in plan.held_back})
        return changed

    def _note_again(self, waiting: list[tuple[uuid.UUID, dict[uuid.UUID, datetime]]]) -> None:
        with self._lock:
            for tenant_id, sku_changes in waiting:
                skus = self._noted.setdefault(tenant_id, {})
                for sku_id, changed_at in sku_changes.items():
                    skus[sku_id] = min(skus.get(sku_id, changed_at), changed_at)

    def _holds_begun(self, tenant_id: uuid.UUID, plan: "Plan") -> list[dict[str, Any]]:
        """What this plan's listings hold back, to record: a SKU's once in HOLD_RECORDED_S, not every turn's while a
        sale lasts (a flash sale plans each SKU many times a minute), and again when a listing begins holding back
        for a sale announced ahead (each begins at its own lead)."""
        now, begun = time.monotonic(), []
        for sku_id in plan.held_back:
            parts = plan.holds.get(sku_id, [])
            ahead = frozenset(part["listing_id"] for part in parts if part.get("sale"))
            at, recorded = self._recorded.get((tenant_id, sku_id), (float("-inf"), frozenset()))
            if now - at >= HOLD_RECORDED_S or not ahead <= recorded:
                self._recorded[(tenant_id, sku_id)] = (now, ahead)
                begun.extend(parts)
        return begun

    def _rounds_of(self, connection: Connection, tenant_id: uuid.UUID) -> dict[uuid.UUID, float]:
        """Each of the tenant's channels' round: the longer of the one its pushes measure and the one its platform's
        published limits give for its listings moving now (asked once the turn's paces are known, so a SKU that
        starts selling in this turn counts)."""
        measured = self._measured_rounds(connection, tenant_id)
        published = self._published.rounds(connection, tenant_id, self._pace.moving(tenant_id), ROUNDS_FRESH_S)
        return {channel: max(measured.get(channel, 0.0), published.get(channel, 0.0))
                for channel in {*measured, *published}}

    def _measured_rounds(self, connection: Connection, tenant_id: uuid.UUID) -> dict[uuid.UUID, float]:
        """Each of the tenant's channels' measured round (allocation.channel_rounds), read again at most every
        ROUNDS_FRESH_S: a flash sale plans many turns a second, and a round moves over seconds."""
        read_at, rounds = self._rounds.get(tenant_id, (float("-inf"), {}))
        if time.monotonic() - read_at >= ROUNDS_FRESH_S:
            now = clock.now()
            rows = queries.push_rounds(connection, tenant_id, now - timedelta(seconds=ROUND_WINDOW_S))
            rounds = channel_rounds(rows, now)
            self._rounds[tenant_id] = (time.monotonic(), rounds)
        return rounds

    def _pace_of(self, tenant_id: uuid.UUID, key: tuple, units: int) -> Pace:
        """How fast a (SKU, pools) group of this tenant sells, and its orders likely waiting to be imported."""
        return self._pace.pace((tenant_id, *key), units)

    def _note_held_back_expired(self) -> None:
        now = clock.now()
        with self._lock:
            due = [key for key, at in self._held.items() if at <= now]
            for key in due:
                del self._held[key]
        for tenant_id, sku_id in due:
            self.note(tenant_id, [sku_id], now)

    def _note_announced_sales(self) -> None:
        """The SKUs of a sale announced ahead noted when a channel begins holding back for it (its lead before the
        start) and when it ends: nothing sells them before a sale, so nothing else plans them then (the sweep would,
        up to a minute late)."""
        now = clock.now()
        seen = set()
        for tenant_id, (sales, rounds) in self._announced_sales(now).items():
            for sale in sales:
                key = (tenant_id, sale.id)
                seen.add(key)
                channels = announced.holding_channels(sale, now, rounds, self._hold)
                if self._holding.get(key, frozenset()) != channels:
                    self._holding[key] = channels
                    self.note(tenant_id, sale.sku_ids, now)
        for key in set(self._holding) - seen:
            del self._holding[key]

    def _announced_sales(self, now: datetime) -> dict[uuid.UUID, tuple[list[planning.TimedEvent], dict]]:
        """Each tenant's sales announced ahead that are near (within the longest lead), running or just over, with
        its channels' rounds; read again at most every SALES_FRESH_S (planning's public face)."""
        read_at, sales = self._sales
        if time.monotonic() - read_at < SALES_FRESH_S:
            return sales
        by_tenant: dict[uuid.UUID, list[planning.TimedEvent]] = defaultdict(list)
        with self._uow_factory(write=False) as uow:
            for sale in planning.timed_events(uow.connection, ending_after=now - timedelta(seconds=SALES_KEPT_S),
                                              starting_before=now + timedelta(seconds=MAX_LEAD_S)):
                by_tenant[sale.tenant_id].append(sale)
            # Kept before the rounds are read: their published part counts these sales' SKUs as moving.
            self._sales = (time.monotonic(), {tenant_id: (found, {}) for tenant_id, found in by_tenant.items()})
            sales = {tenant_id: (found, self._rounds_of(uow.connection, tenant_id))
                     for tenant_id, found in by_tenant.items()}
        self._sales = (time.monotonic(), sales)
        return sales

    def _announced_skus(self, connection: Connection, tenant_id: uuid.UUID, now: datetime) -> set[uuid.UUID]:
        """The SKUs of the tenant's sales announced ahead that are near or running (announced.near): moving, for
        their channels' published rounds, which set each listing's lead before the sale."""
        sales = self._sales[1].get(tenant_id, ([], {}))[0]
        return {sku_id for sale in sales if announced.near(sale, now) for sku_id in sale.sku_ids}

    def _note_everything_listed(self) -> None:
        with self._uow_factory(write=False) as uow:
            listed = queries.listed_skus(uow.connection)
        for tenant_id, sku_id in listed:
            self.note(tenant_id, [sku_id], clock.now())


def record_hold_backs(uow: UnitOfWork, tenant_id: uuid.UUID, parts: list[dict[str, Any]]) -> None:
    """What listings held back for their rounds, recorded as the allocation changes are (the audit's allocation.set,
    listed on the channels page: "held back 4 for a 22 s round"): each listing's policy before, and after it the
    units held back, the round they were held for, the SKU's pace and the figure shown; one row for the planning
    turn (audit.record_together). A hold for a sale announced ahead names the sale."""
    actor = Actor(tenant_id=tenant_id, role="admin", name=HOLD_ACTOR)
    entries = [(actor, audit.Audited("allocation.set", "listing", part["listing_id"], {
        "channel": part["channel"], "listing": part["listing"], "before": part["policy"],
        "after": {**part["policy"], "held_back": part["held_back"], "round_s": part["round_s"],
                  "per_s": part["per_s"], "shown": part["shown"], **({"sale": part["sale"]} if part["sale"] else {})}}))
               for part in parts]
    audit.record_together(uow, entries, at=clock.now())


@dataclass(frozen=True, slots=True)
class Plan:
    figures: dict[uuid.UUID, int]  # listing → the figure it should show
    channel_of: dict[uuid.UUID, uuid.UUID]  # listing → its channel
    sku_of: dict[uuid.UUID, uuid.UUID]  # listing → the SKU (or bundle) it shows
    held_back: frozenset[uuid.UUID]  # listed SKUs some listing of which holds units back: planned again soon
    # SKU holding back → each listing's hold: {listing_id, channel, listing, policy, held_back, round_s, per_s, shown,
    # sale (the name of the sale announced ahead it holds back for, or None)}
    holds: dict[uuid.UUID, list[dict[str, Any]]] = field(default_factory=dict)


def plan_pushes(connection: Connection, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID],
                hold: HoldBack | None = None, pace: Callable[[tuple, int], Pace] = lambda key, units: (0.0, 0.0),
                rounds: Callable[[], Mapping[uuid.UUID, float]] | None = None,
                sales: Sequence[planning.TimedEvent] = (), now: datetime | None = None) -> Plan:
    """The figure of every listing showing these SKUs (or bundles of them), from the levels as they are. Each shared
    listing holds back what its SKU is likely to sell in its channel's round (`hold`, allocation.HoldBack): `pace`
    gives a (SKU, pools) group's units sold a second and its orders likely waiting, from its units now; `rounds` each
    channel's round in seconds, asked once every group's pace is known (none: nothing held back). Where one of
    `sales` (announced ahead) names the SKU, a listing holding back for it (sync/announced.py, at `now`) takes the
    faster of its pace and the measured one."""
    hold, now = hold or HoldBack(), now or clock.now()
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
    by_id = {row.id: row for row in listings}
    figures: dict[uuid.UUID, int] = {}
    holds: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    paces = {key: pace(key, units[key]) for key in groups}
    channel_round = rounds() if rounds is not None else {}
    for key, policies in groups.items():
        measured, waiting = paces[key]
        round_of = {listing: channel_round.get(by_id[listing].channel_id, 0.0) for listing in policies}
        ahead = {listing: announced.announced_pace(sales, key[0], units[key], now, round_of[listing], hold)
                 for listing in policies}
        per_second = {listing: max(measured, ahead[listing][0]) for listing in policies}
        held = {listing: hold.units(policy, per_second[listing], round_of[listing], waiting)
                for listing, policy in policies.items()}
        figures.update({listing: steadied(by_id[listing].figure, shown, held[listing],
                                          per_second[listing] * hold.horizon(policies[listing], round_of[listing]))
                        for listing, shown in allocate(units[key], policies, held).items()})
        holds[key[0]].extend({"listing_id": listing, "channel": by_id[listing].code,
                              "listing": by_id[listing].external_sku, "policy": policies[listing].setting(),
                              "held_back": units_held, "round_s": round(round_of[listing], 1),
                              "per_s": round(per_second[listing], 2), "shown": figures[listing],
                              "sale": sale.name if (sale := ahead[listing][1]) is not None else None}
                             for listing, units_held in held.items() if units_held > 0)
    return Plan(figures, {row.id: row.channel_id for row in listings}, {row.id: row.sku_id for row in listings},
                frozenset(sku for sku, parts in holds.items() if parts), {sku: p for sku, p in holds.items() if p})


def figures_now(connection: Connection, tenant_id: uuid.UUID) -> dict[tuple[str, str], int]:
    """(channel code, external SKU) → the figure the hub would show at each of the tenant's listings now, holding
    nothing back: what a store connected with quantities of its own is compared with (the demo's stores start near
    them)."""
    sku_ids = {sku_id for tenant, sku_id in queries.listed_skus(connection) if tenant == tenant_id}
    plan = plan_pushes(connection, tenant_id, sku_ids)
    named = {row.id: (row.code, row.external_sku) for row in queries.affected_listings(connection, tenant_id, sku_ids)}
    return {named[listing]: figure for listing, figure in plan.figures.items()}


def _sellable(sku_id: uuid.UUID, pools: tuple, bundles: dict, available: dict[tuple, int]) -> int:
    def units(sku: uuid.UUID) -> int:
        return sum(available.get((sku, pool), 0) for pool in pools)

    if sku_id in bundles:  # a bundle: what its scarcest component can make
        return min(units(component) // per_bundle for component, per_bundle in bundles[sku_id])
    return units(sku_id)

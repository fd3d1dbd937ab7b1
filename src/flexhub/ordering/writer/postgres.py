"""The hot path on PostgreSQL: a batch of imports in one transaction, the stock row taken last.

psycopg 3 directly on a pool connection (combined: one per writer thread, kept between batches; per order:
checked out for the order and given back), SQL text written once (`sql.py`), server-side prepared after a few
uses; two round trips for a batch that sells:
1. one read per tenant (`sql.READ`): its channels and SKUs, the known orders, bundle components and every
   candidate level, without a lock, each as a JSON array (five statements were five round trips);
2. each order decided in arrival order against that snapshot (`plan_in_arrival_order`, as intake does);
3. sent in one pipeline: the batch's rows by one statement (`sql.WRITE_ROWS`: orders, lines, reservations, ledger
   with ids made in bulk, and for the batch as a whole one audit row per actor and one `OrdersReceived` per
   tenant, each listing every order (identity.audit)); then one statement that takes each level's total by a
   guarded update (`WHERE on_hand - reserved - safety >= taken`, re-checked by PostgreSQL on the row as locked)
   and writes the `StockChanged` that reports the levels as they are after it (`sql.TAKE_AND_TELL`); then COMMIT.

The row is thus locked only for the server's update and commit, never across a round trip to a writer thread that
waits for the GIL in a busy process, so batches in flight, and two processes' batches, overlap. Orders refused
for want of stock (every order after a sell-out) are refused on the snapshot once the levels, locked, show no more
than it did (`_Batch._confirm_refusals`). When the snapshot cannot decide the batch safely — the tenant has
cleaning rules or the reseller credit terms, an order would wait for stock, a batch both takes and refuses, a level
is within the batch's own take of selling out or has more than the snapshot showed — or a guarded update finds the
stock gone, the transaction is rolled back and the batch is re-decided lock-first by `intake.import_batch`
(levels locked, then decided): the same answers the per-order path gives. The batch's connection goes back to the
pool first, so a writer thread never holds two: threads as many as the pool's connections cannot wait on each other.
"""

import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from typing import Any, Protocol

import psycopg
from pydantic_core import to_json
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from flexhub.identity import audit
from flexhub.inventory import InsufficientStock, Level, StockChanged, Take, plan_in_arrival_order
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_ids
from flexhub.kernel.messages import Actor, Event
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.drafts import Draft, Lookups, draft
from flexhub.ordering.events import OrdersReceived
from flexhub.ordering.intake import Imported, Outcome, known_outcome, reason_for, repeated_outcome, status_for
from flexhub.ordering.writer import sql
from flexhub.ordering.writer.reads import READ_ROWS, KnownRow, array_text

BatchWriter = Callable[[Sequence[ImportOrder]], list[Outcome]]
Fresh = tuple[int, ImportOrder, Draft]  # a new order of the batch: its place, its command, its rows
Planned = list[list[Take] | None]  # what each fresh order takes, or None when short


class LockFirst(Exception):
    """The snapshot cannot decide this batch: re-decide it with the levels locked."""


class PostgresWriter:
    def __init__(self, engine: Engine, *, lock_first: BatchWriter,
                 on_commit: Callable[[list[Event]], None] | None = None, keep_connections: bool = True) -> None:
        self._engine = engine
        self._keep = keep_connections
        self._lock_first = lock_first
        self._on_commit = on_commit
        self._local = threading.local()
        self._held: list[Any] = []
        self._held_lock = threading.Lock()
        self.batches = 0
        self.locked_first = 0  # batches re-decided lock-first (reported by the bench)

    def write(self, commands: Sequence[ImportOrder]) -> list[Outcome]:
        fairy = self._connection()
        connection: psycopg.Connection = fairy.driver_connection
        try:
            outcomes, events = write_batch(connection, commands)
        except LockFirst:
            connection.rollback()
            self._give_back(fairy)  # lock-first takes a connection of its own: never two held by one thread
            self.locked_first += 1
            return self._lock_first(commands)
        except psycopg.Error as error:
            # A backend gone mid-pipeline raises without a state of its own: the connection says it broke.
            dropped = connection.closed or connection.broken
            self._recover(fairy, connection)
            raise DBAPIError.instance(None, None, error, psycopg.Error, connection_invalidated=dropped) from error
        except BaseException:
            self._recover(fairy, connection)
            raise
        if not self._keep:
            self._give_back(fairy)
        self.batches += 1
        if events and self._on_commit:
            self._on_commit(events)
        return outcomes

    def close(self) -> None:
        with self._held_lock:
            held, self._held = self._held, []
        for fairy in held:
            fairy.close()

    def _connection(self) -> Any:
        fairy = getattr(self._local, "fairy", None)
        if fairy is None:
            fairy = self._engine.raw_connection()
            self._local.fairy = fairy
            with self._held_lock:
                self._held.append(fairy)
        return fairy

    def _recover(self, fairy: Any, connection: psycopg.Connection) -> None:
        """Roll back what the batch wrote; a connection that broke (its backend gone) is replaced next time."""
        if not connection.closed:
            try:
                connection.rollback()
                if not self._keep:
                    self._give_back(fairy)
                return
            except psycopg.Error:
                pass
        self._forget(fairy)
        fairy.invalidate()

    def _give_back(self, fairy: Any) -> None:
        """Back to the pool (rolled back), for whoever waits longest; this thread checks one out when it next writes."""
        self._forget(fairy)
        fairy.close()

    def _forget(self, fairy: Any) -> None:
        self._local.fairy = None
        with self._held_lock:
            if fairy in self._held:
                self._held.remove(fairy)


class BatchConnection(Protocol):
    """What a batch uses of its connection: psycopg's, or one that records what is sent (writer.recording)."""

    def execute(self, query: Any, params: Any = None, /) -> Any: ...
    def cursor(self) -> Any: ...
    def pipeline(self) -> Any: ...
    def commit(self) -> None: ...


def write_batch(connection: BatchConnection, commands: Sequence[ImportOrder], *,
                next_id: Callable[[], uuid.UUID] | None = None) -> tuple[list[Outcome], list[Event]]:
    """Write `commands` as one transaction on `connection` and commit it: each command's outcome and the events
    committed. Raises LockFirst, nothing committed, where the snapshot cannot decide the batch. `next_id` makes
    every id the batch needs (`id_source`'s by default)."""
    return _Batch(connection, commands, next_id or id_source()).write()


class _Batch:
    """One batch's transaction: `write` commits and returns the outcomes and the events committed."""

    def __init__(self, connection: BatchConnection, commands: Sequence[ImportOrder],
                 next_id: Callable[[], uuid.UUID]) -> None:
        self.connection = connection
        self.commands = commands
        self.outcomes: list[Any] = [None] * len(commands)
        self.now = clock.now()
        self.next_id = next_id
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)  # each table's rows (sql.WRITTEN)
        self.taken: dict[uuid.UUID, int] = {}
        self.events: list[Event] = []
        self.tenant_of_level: dict[uuid.UUID, uuid.UUID] = {}
        self.codes: dict[uuid.UUID, tuple[str, str]] = {}  # a level's (SKU code, location code), for answers
        self.received: dict[uuid.UUID, list[dict[str, str]]] = defaultdict(list)  # OrdersReceived's, per tenant
        self.audited: list[tuple[Actor, audit.Audited]] = []
        self.refused: list[Fresh] = []  # orders short of stock on the snapshot, refused once confirmed
        self.refusal_levels: dict[uuid.UUID, int] = {}  # the levels they drew from, with what the snapshot showed

    def write(self) -> tuple[list[Outcome], list[Event]]:
        by_tenant: dict[uuid.UUID, list[int]] = defaultdict(list)
        for index, cmd in enumerate(self.commands):
            by_tenant[cmd.actor.tenant_id].append(index)
        for tenant_id, indexes in by_tenant.items():
            self._decide(tenant_id, indexes)
        if self.refused:
            self._confirm_refusals()
        self._batch_rows()
        self._write_take_and_commit()
        for index, outcome in enumerate(self.outcomes):
            if isinstance(outcome, tuple):
                first, commands = outcome[1], self.commands
                self.outcomes[index] = repeated_outcome(self.outcomes[first], commands[first], commands[index])
        return self.outcomes, self.events

    def _decide(self, tenant_id: uuid.UUID, indexes: list[int]) -> None:
        commands, outcomes = self.commands, self.outcomes
        orders = [commands[i].order for i in indexes]
        found = self.connection.execute(sql.READ, {
            "tenant": tenant_id, "channels": array_text({o.channel for o in orders}),
            "skus": array_text({ln.sku for o in orders for ln in o.lines}),
            "channel_of": array_text([o.channel for o in orders]),
            "external_ids": array_text([o.external_id for o in orders]),
        }).fetchone()
        channel_rows, sku_rows, known_rows, component_rows, level_rows = (
            [shape(row) for row in documents or ()] for shape, documents in zip(READ_ROWS, found or (), strict=True))
        channels = {row.code: row for row in channel_rows}
        if any(row.screened for row in channels.values()):
            raise LockFirst  # orders cleaned (and resellers' credit judged) before they take stock: ordering.screen
        skus = {row.code: row for row in sku_rows}
        keyed = []
        channel_of = Lookups(channels, skus, {}).channel_for
        for index in indexes:
            cmd = commands[index]
            try:
                channel = channel_of(cmd.actor, cmd.order.channel)
            except FlexhubError as error:
                outcomes[index] = error
                continue
            keyed.append((index, cmd, channel, (channel.id, cmd.order.external_id)))
        if not keyed:
            return
        known = {(r.channel_id, r.external_id): r for r in known_rows}
        components: dict[uuid.UUID, list[tuple[uuid.UUID, int]]] = {}
        for row in component_rows:
            components.setdefault(row.bundle_id, []).append((row.component_id, row.quantity))
        lookups = Lookups(channels, skus, components)
        fresh: list[Fresh] = []
        first_in_batch: dict[tuple[uuid.UUID, str], int] = {}
        for index, cmd, channel, key in keyed:
            if key in known:
                outcomes[index] = known_outcome(known[key], cmd)
            elif key in first_in_batch:
                outcomes[index] = ("same_as", first_in_batch[key])
            else:
                try:
                    made = draft(self.next_id(), cmd.order, channel, lookups, self.next_id, self.now)
                    fresh.append((index, cmd, made))
                    first_in_batch[key] = index
                except FlexhubError as error:
                    outcomes[index] = error
        self._plan(tenant_id, fresh, level_rows)

    def _plan(self, tenant_id: uuid.UUID, fresh: list[Fresh], level_rows: list[Any]) -> None:
        if not fresh:
            return
        snapshot = [Level(r.id, r.sku_id, r.location_id, r.pool, r.on_hand, r.reserved, r.safety, 0)
                    for r in level_rows]
        self.codes.update((r.id, (r.sku_code, r.location_code)) for r in level_rows)
        working = {level.id: level for level in snapshot}
        planned = plan_in_arrival_order([[] if cmd.order.cancelled else d.needs for _, cmd, d in fresh], working)
        taken: dict[uuid.UUID, int] = defaultdict(int)
        kept: list[Fresh] = []
        for item, takes in zip(fresh, planned, strict=True):
            status = status_for(item[1], takes)
            if status is None:  # refused for want of stock: confirmed on the levels locked (_confirm_refusals)
                self.refused.append(item)
                continue
            if status == "awaiting_stock":
                raise LockFirst  # stored to wait for stock: decided on locked levels
            kept.append(item)
            for take in takes or ():
                taken[take.level_id] += take.quantity
        for level in snapshot:
            if taken.get(level.id) and level.available < 2 * taken[level.id]:
                raise LockFirst  # near sell-out another batch may take it first: decide on locked levels
            self.tenant_of_level[level.id] = tenant_id
        for level_id, quantity in taken.items():
            self.taken[level_id] = self.taken.get(level_id, 0) + quantity
        if len(kept) < len(fresh):
            self.refusal_levels.update((level.id, level.available) for level in snapshot)
            planned = [takes for item, takes in zip(fresh, planned, strict=True) if status_for(item[1], takes)]
        if kept:
            self._rows(tenant_id, kept, planned)

    def _confirm_refusals(self) -> None:
        """Orders refused on the snapshot (after a sell-out, every order is), confirmed without the lock-first path:
        the levels they could draw from are locked, in id order, and their refusal stands if none has more available
        than the snapshot showed (less stock cannot sell what more could not). Then, as intake's lock-first path does,
        an order a concurrent import of the same order stored meanwhile (its take held the lock we waited for) is
        answered as that order. A batch that also takes stock, or a level with more now, is decided lock-first."""
        if self.taken:
            raise LockFirst  # some orders take, some are refused: at a sell-out, decided on locked levels
        seen = self.refusal_levels
        locked = self.connection.execute(sql.LOCK_LEVELS, (sorted(seen),)).fetchall()
        if len(locked) != len(seen) or any(available > seen[level_id] for level_id, available in locked):
            raise LockFirst
        by_tenant: dict[uuid.UUID, list[Fresh]] = defaultdict(list)
        for item in self.refused:
            by_tenant[item[1].actor.tenant_id].append(item)
        for tenant_id, refused in by_tenant.items():
            keys = [(d.order["channel_id"], cmd.order.external_id) for _, cmd, d in refused]
            known = {(row[1], row[2]): row for row in self.connection.execute(sql.EXISTING_ORDERS, (
                "{" + ",".join(str(channel_id) for channel_id, _ in keys) + "}", array_text([k[1] for k in keys]),
                tenant_id)).fetchall()}
            for (index, cmd, _), key in zip(refused, keys, strict=True):
                self.outcomes[index] = (known_outcome(KnownRow(*known[key]), cmd) if key in known else
                                        InsufficientStock("not enough stock for this order; nothing was stored"))

    def _rows(self, tenant_id: uuid.UUID, fresh: list[Fresh], planned: Planned) -> None:
        """Each table's rows as plain dicts, made into one JSON document per table in C (pydantic-core) and turned
        into rows by PostgreSQL (`sql.WRITE_ROWS`): building COPY text field by field in Python was a fifth of the
        writer's time, and each of its COPYs cost two round trips. The order and line rows are the draft's own."""
        now, next_id, rows, as_utc = self.now, self.next_id, self.rows, clock.as_utc
        orders, lines, reservations = rows["orders"], rows["lines"], rows["reservations"]
        movements, received, audited = rows["movements"], self.received[tenant_id], self.audited
        for (index, cmd, d), takes in zip(fresh, planned, strict=True):
            status = "cancelled" if cmd.order.cancelled else "reserved"
            o, order_id, actor = d.order, d.order["id"], cmd.actor
            placed, updated = o["placed_at"], o["channel_updated_at"]
            orders.append({
                **o, "status": status, "status_reason": reason_for(status),
                "placed_at": None if placed is None else as_utc(placed),
                "channel_updated_at": None if updated is None else as_utc(updated),
                "version": 1, "created_at": now, "updated_at": now})
            lines.extend(d.lines)
            if status == "reserved":
                for t in takes or ():  # reserved: `_plan` saw every take
                    reservations.append({
                        "id": next_id(), "tenant_id": tenant_id, "order_id": order_id, "line_no": t.line_no,
                        "sku_id": t.sku_id, "location_id": t.location_id, "pool": t.pool, "quantity": t.quantity,
                        "state": "active", "expires_at": d.hold_until, "created_at": now, "closed_at": None})
                    movements.append({
                        "id": next_id(), "tenant_id": tenant_id, "sku_id": t.sku_id, "location_id": t.location_id,
                        "pool": t.pool, "kind": "reserve", "on_hand_delta": 0, "reserved_delta": t.quantity,
                        "in_transit_delta": 0, "actor": actor.name, "reason": "order", "reference": str(order_id),
                        "created_at": now})
            detail = {"channel": cmd.order.channel, "external_id": cmd.order.external_id, "status": status}
            reference = str(order_id)
            received.append({"order_id": reference, **detail})
            audited.append((actor, audit.Audited("order.import", "order", reference, detail)))
            answer = self._as_stored(cmd, d, status, takes) if cmd.answer_with_order else None
            self.outcomes[index] = Imported(order_id, status, created=True, order=answer)

    def _as_stored(self, cmd: ImportOrder, d: Draft, status: str, takes: list[Take] | None) -> dict[str, Any]:
        """The order as `queries.order_views` reads it back once committed, made from the rows this batch writes:
        the answer needs no read (a test holds the two equal)."""
        o, placed = d.order, d.order["placed_at"]
        held = [] if status != "reserved" else [
            {"sku": self.codes[t.level_id][0], "location": self.codes[t.level_id][1], "pool": t.pool,
             "quantity": t.quantity, "state": "active", "expires_at": d.hold_until} for t in takes or ()]
        return {
            "id": str(o["id"]), "channel": cmd.order.channel, "external_id": o["external_id"], "status": status,
            "status_reason": reason_for(status), "currency": o["currency"], "subtotal": o["subtotal"],
            "discount_total": o["discount_total"], "shipping_fee": o["shipping_fee"], "total": o["total"],
            "payment_state": o["payment_state"], "presale": o["is_presale"], "vip": o["is_vip"],
            "live_room": o["live_room"], "streamer": o["streamer"], "buyer": o["buyer"],
            "shipping_address": o["shipping_address"], "placed_at": None if placed is None else clock.as_utc(placed),
            "created_at": self.now, "updated_at": self.now, "version": 1,
            "lines": [{"line_no": ln["line_no"], "sku": ln["sku_code"], "quantity": ln["quantity"],
                       "unit_price": ln["unit_price"], "discount": ln["discount"], "presale": ln["is_presale"]}
                      for ln in d.lines],
            "reservations": held,
        }

    def _batch_rows(self) -> None:
        """The batch's audit rows (one per actor) and its OrdersReceived (one per tenant), each listing its orders."""
        self.rows["audits"].extend(audit.rows_together(self.audited, at=self.now, ids=self.next_id))
        for tenant_id, orders in self.received.items():
            event = OrdersReceived(tenant_id=tenant_id, orders=orders, event_id=self.next_id(), occurred_at=self.now)
            self.events.append(event)
            self.rows["outbox"].append({"event_id": event.event_id, "tenant_id": tenant_id, "type": event.type_name(),
                                        "body": event.body(), "occurred_at": self.now})

    def _write_take_and_commit(self) -> None:
        """The batch's rows (one statement, `sql.WRITE_ROWS`), then every level it takes and each tenant's
        StockChanged (`sql.TAKE_AND_TELL`), then the COMMIT, sent in one pipeline: one round trip for every write, and
        the hot row locked only while the server takes it and commits."""
        connection, rows = self.connection, self.rows
        cursor = connection.cursor()
        try:
            with connection.pipeline():
                if any(rows.values()):
                    connection.cursor().execute(sql.WRITE_ROWS, [to_json(rows[table]).decode()
                                                                 for table in sql.WRITTEN])
                if self.taken:
                    level_ids = sorted(self.taken)
                    per_tenant = Counter(self.tenant_of_level[level_id] for level_id in level_ids)
                    tenants = list(per_tenant)
                    cursor.execute(sql.TAKE_AND_TELL, (
                        level_ids, [self.taken[level_id] for level_id in level_ids],
                        tenants, [self.next_id() for _ in tenants], [per_tenant[t] for t in tenants], self.now))
                connection.commit()
        except psycopg.errors.NotNullViolation as error:
            if error.diag.table_name == "outbox_events" and error.diag.column_name == "event_id":
                raise LockFirst from error  # a level taken meanwhile by another batch or process
            raise
        if self.taken:
            self.events.extend(StockChanged(tenant_id=tenant_id, levels=body["levels"], cause=body["cause"],
                                            event_id=event_id, occurred_at=self.now)
                               for event_id, tenant_id, body in cursor.fetchall())


def id_source() -> Callable[[], uuid.UUID]:
    """Ids made 512 at a time, as many as the batch asks for."""
    batches: Iterator[Iterator[uuid.UUID]] = iter(lambda: new_ids(512), None)
    return chain.from_iterable(batches).__next__

"""Importing new orders in batches: one transaction, every level locked once, decided in arrival order.

A batch of one is the per-order path; the combiner hands in many. Known orders come back as
replays; a newer version of a known order is left to `updates.apply_newer_version`.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.inventory import Holder, InsufficientStock, Take, reservations
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering import repository, screen
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.drafts import Draft, Lookups, draft
from flexhub.ordering.events import OrdersReceived


@dataclass(frozen=True, slots=True)
class Imported:
    order_id: uuid.UUID
    status: str
    created: bool
    order: dict[str, Any] | None = None  # the stored order with lines and reservations, when the command asked


@dataclass(frozen=True, slots=True)
class NewerVersion:
    """A known order arrived with a later `updated_at`: apply it as an update."""

    order_id: uuid.UUID


Outcome = Imported | NewerVersion | FlexhubError


def import_batch(uow: UnitOfWork, commands: Sequence[ImportOrder]) -> list[Outcome]:
    outcomes: list[Outcome | None] = [None] * len(commands)
    by_tenant: dict[uuid.UUID, list[int]] = defaultdict(list)
    for index, cmd in enumerate(commands):
        by_tenant[cmd.actor.tenant_id].append(index)
    for tenant_id, indexes in by_tenant.items():
        _import_for_tenant(uow, tenant_id, [(i, commands[i]) for i in indexes], outcomes)
    decided = [outcome for outcome in outcomes if outcome is not None]
    if len(decided) != len(commands):
        raise RuntimeError("an import was left without an outcome")
    return decided


def _import_for_tenant(
    uow: UnitOfWork, tenant_id: uuid.UUID, items: list[tuple[int, ImportOrder]], outcomes: list[Any]
) -> None:
    lookups = Lookups.load(uow.connection, tenant_id, [cmd.order for _, cmd in items])
    fresh: list[tuple[int, ImportOrder, Draft]] = []
    first_in_batch: dict[tuple[uuid.UUID, str], int] = {}
    keyed = []
    for index, cmd in items:
        try:
            channel = lookups.channel_for(cmd.actor, cmd.order.channel)
        except FlexhubError as error:
            outcomes[index] = error
            continue
        keyed.append((index, cmd, channel, (channel.id, cmd.order.external_id)))
    known = repository.existing_orders(uow.connection, tenant_id, [k for *_, k in keyed])
    for index, cmd, channel, key in keyed:
        if key in known:
            outcomes[index] = known_outcome(known[key], cmd)
        elif key in first_in_batch:
            outcomes[index] = ("same_as", first_in_batch[key])
        else:
            try:
                fresh.append((index, cmd, draft(new_id(), cmd.order, channel, lookups)))
                first_in_batch[key] = index
            except FlexhubError as error:
                outcomes[index] = error
    screened = screen.screen(uow, tenant_id, fresh, outcomes)
    _store_fresh(uow, tenant_id, screened, outcomes)
    commands = dict(items)
    for index, outcome in enumerate(outcomes):
        if isinstance(outcome, tuple):
            first = outcomes[outcome[1]]
            outcomes[index] = repeated_outcome(first, commands[outcome[1]], commands[index])


def repeated_outcome(first: Outcome, first_cmd: ImportOrder, cmd: ImportOrder) -> Outcome:
    """An order already in this batch: a replay of it, or (like `_known`) a newer version to apply after."""
    if not isinstance(first, Imported):
        return first
    incoming, stored = cmd.order.updated_at, first_cmd.order.updated_at
    if incoming is not None and (stored is None or incoming > stored):
        return NewerVersion(first.order_id)
    return Imported(first.order_id, first.status, created=False)


def known_outcome(row: Any, cmd: ImportOrder) -> Outcome:
    incoming = cmd.order.updated_at
    if incoming is not None and (row.channel_updated_at is None or incoming > row.channel_updated_at):
        return NewerVersion(row.id)
    return Imported(row.id, row.status, created=False)


def _store_fresh(uow: UnitOfWork, tenant_id: uuid.UUID, screened: screen.Screened, outcomes: list[Any]) -> None:
    fresh, held = screened.kept, screened.held
    if not fresh:
        return
    # A held order takes no stock: it is stored on_hold and reserves when a person releases it.
    wanted = [[] if cmd.order.cancelled or index in held else d.needs for index, cmd, d in fresh]
    planned = reservations.plan(uow, tenant_id, wanted)
    stored_meanwhile = _stored_meanwhile(uow, tenant_id, fresh, planned.takes)
    stored: list[tuple[int, ImportOrder, Draft]] = []
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    holders: list[Holder | None] = []
    audits: list[tuple[Actor, audit.Audited]] = []
    received: list[dict[str, str]] = []
    now = clock.now()  # the batch's moment: its orders' created_at and its audit row's (ordering.order_audit)
    for (index, cmd, d), takes in zip(fresh, planned.takes, strict=True):
        status = "on_hold" if index in held else status_for(cmd, takes)
        if status is None:
            key = (d.order["channel_id"], cmd.order.external_id)
            known = stored_meanwhile.get(key)
            outcomes[index] = known_outcome(known, cmd) if known else InsufficientStock(
                "not enough stock for this order; nothing was stored")
            holders.append(None)
            continue
        order_id = d.order["id"]
        reason = held[index].status_reason if index in held else reason_for(status)
        orders.append({**d.order, "status": status, "status_reason": reason, "created_at": now})
        stored.append((index, cmd, d))
        lines.extend(d.lines)
        holders.append(Holder(order_id, cmd.actor.name, d.hold_until) if status == "reserved" else None)
        outcomes[index] = Imported(order_id, status, created=True)
        told = {"channel": cmd.order.channel, "external_id": cmd.order.external_id, "status": status}
        received.append({"order_id": str(order_id), **told})
        audits.append((cmd.actor, audit.Audited("order.import", "order", order_id, {
            **told, **({"findings": held[index].findings} if index in held else {})})))
    repository.insert_orders(uow.connection, orders, lines)
    reservations.hold(uow, tenant_id, planned, holders)
    screen.keep(uow, tenant_id, screened, stored)
    if received:  # one event and one audit row (per actor) for the batch, each order listed in them
        uow.record(OrdersReceived(tenant_id=tenant_id, orders=received, occurred_at=now))
        audit.record_together(uow, audits, at=now)


def _stored_meanwhile(uow: UnitOfWork, tenant_id: uuid.UUID, fresh: list[tuple[int, ImportOrder, Draft]],
                      takes: list[list[Take] | None]) -> dict[tuple[uuid.UUID, str], Any]:
    """Orders about to be refused for want of stock that a concurrent import stored meanwhile.

    The level locks may have waited for a concurrent import of this very order (a webhook delivered
    twice) which took the stock: it was not there when we looked, it is now, and the answer is a replay.
    """
    keys = [(d.order["channel_id"], cmd.order.external_id)
            for (_, cmd, d), taken in zip(fresh, takes, strict=True) if status_for(cmd, taken) is None]
    return repository.existing_orders(uow.connection, tenant_id, keys)


def status_for(cmd: ImportOrder, takes: list[Take] | None) -> str | None:
    if cmd.order.cancelled:
        return "cancelled"
    if takes is not None:
        return "reserved"
    return None if cmd.order.on_shortage == "reject" else "awaiting_stock"


_REASONS = {"awaiting_stock": "not enough stock when imported", "cancelled": "cancelled by the channel"}


def reason_for(status: str) -> str | None:
    return _REASONS.get(status)

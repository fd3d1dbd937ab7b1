"""Planning handlers: sales history imported whole or not at all, each line's codes resolved first; events
checked (dates or times, kind, an expected effect, every SKU and channel known) before they are stored."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Connection

from flexhub import catalog, channels, inventory
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.planning import repository, rules
from flexhub.planning.commands import CreateEvent, HistoryImported, ImportSalesHistory, SalesDay
from flexhub.planning.errors import DuplicateSalesDay, FutureSalesDay, InvalidEvent, NegativeUnits
from flexhub.planning.events import PlanningEventCreated, SalesHistoryImported
from flexhub.planning.queries import event_view
from flexhub.planning.schemas import EventOut

Key = tuple[uuid.UUID, uuid.UUID, uuid.UUID | None, Any]  # (SKU, node, channel or None, day)


def import_sales_history(cmd: ImportSalesHistory, uow_factory: UnitOfWorkFactory) -> HistoryImported:
    if not cmd.days:
        return HistoryImported(lines=0, replaced=0, first_day=None, last_day=None, units=0)
    today = clock.now().date()
    late = next((d for d in cmd.days if d.day >= today), None)
    if late is not None:
        raise FutureSalesDay(f"history ends before today ({today}): {late.day} is not over",
                             day=late.day.isoformat())
    negative = next((d for d in cmd.days if d.units < 0), None)
    if negative is not None:
        raise NegativeUnits(f"{negative.sku} at {negative.location} on {negative.day}: units below zero",
                            sku=negative.sku, units=negative.units)
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        c = uow.connection
        rows = _rows(c, tenant_id, cmd.days)
        first, last = min(d.day for d in cmd.days), max(d.day for d in cmd.days)
        keys = set(rows)
        stale = [r.id for r in repository.stored_days(c, tenant_id, {k[0] for k in keys}, first, last)
                 if (r.sku_id, r.location_id, r.channel_id, r.day) in keys]
        repository.delete_days(c, tenant_id, stale)
        now = clock.now()
        repository.insert_days(c, [{"id": new_id(), "tenant_id": tenant_id, "sku_id": k[0], "location_id": k[1],
                                    "channel_id": k[2], "day": k[3], "units": units, "stocked_out": out,
                                    "imported_at": now} for k, (units, out) in rows.items()])
        total = sum(units for units, _ in rows.values())
        uow.record(SalesHistoryImported(tenant_id=tenant_id, lines=len(rows), first_day=first.isoformat(),
                                        last_day=last.isoformat(), units=total))
        audit.record(uow, cmd.actor, audit.Audited("planning.import_history", "sales_history", str(tenant_id),
                                                   {"lines": len(rows), "replaced": len(stale),
                                                    "first_day": first.isoformat(), "last_day": last.isoformat()}))
        uow.commit()
    return HistoryImported(lines=len(rows), replaced=len(stale), first_day=first, last_day=last, units=total)


def _rows(c: Connection, tenant_id: uuid.UUID, days: list[SalesDay]) -> dict[Key, tuple[int, bool]]:
    """Each line under its ids; an unknown code is refused with its owner's error, a key given twice too."""
    skus = catalog.skus_by_code(c, tenant_id, {d.sku for d in days})
    locations = {code: inventory.location_by_code(c, tenant_id, code) for code in {d.location for d in days}}
    named = channels.channels_by_code(c, tenant_id, {d.channel for d in days if d.channel})
    rows: dict[Key, tuple[int, bool]] = {}
    for d in days:
        if d.sku not in skus:
            raise catalog.UnknownSku(f"unknown SKU {d.sku}", sku=d.sku)
        if locations[d.location] is None:
            raise inventory.UnknownLocation(f"unknown location {d.location}", location=d.location)
        if d.channel and d.channel not in named:
            raise channels.UnknownChannel(f"unknown channel {d.channel}", channel=d.channel)
        key = (skus[d.sku].id, locations[d.location].id, named[d.channel].id if d.channel else None, d.day)
        if key in rows:
            raise DuplicateSalesDay(f"{d.sku} at {d.location} on {d.day} is given twice", sku=d.sku,
                                    location=d.location, channel=d.channel, day=d.day.isoformat())
        rows[key] = (d.units, d.stocked_out)
    return rows


def create_event(cmd: CreateEvent, uow_factory: UnitOfWorkFactory) -> EventOut:
    starts_on, ends_on = _days(cmd)
    uplift = _checked_uplift(cmd, starts_on, ends_on)
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        c = uow.connection
        skus = catalog.skus_by_code(c, tenant_id, cmd.skus)
        missing = sorted(set(cmd.skus) - set(skus))
        if missing:
            raise catalog.UnknownSku(f"unknown SKU {missing[0]}", sku=missing[0])
        named = channels.channels_by_code(c, tenant_id, cmd.channels)
        missing = sorted(set(cmd.channels) - set(named))
        if missing:
            raise channels.UnknownChannel(f"unknown channel {missing[0]}", channel=missing[0])
        event_id = new_id()
        sku_codes, channel_codes = sorted(set(cmd.skus)), sorted(set(cmd.channels))
        repository.insert_event(c, {
            "id": event_id, "tenant_id": tenant_id, "name": cmd.name, "kind": cmd.kind, "starts_on": starts_on,
            "ends_on": ends_on, "starts_at": cmd.starts_at, "ends_at": cmd.ends_at, "units_per_sku": cmd.units_per_sku,
            "skus": sku_codes, "sku_ids": [str(skus[s].id) for s in sku_codes],
            "channels": channel_codes, "channel_ids": [str(named[ch].id) for ch in channel_codes],
            "expected_uplift": cmd.expected_uplift, "discount_percent": cmd.discount_percent, "uplift": uplift,
            "created_by": cmd.actor.name, "created_at": clock.now()})
        uow.record(PlanningEventCreated(tenant_id=tenant_id, planning_event_id=str(event_id), name=cmd.name,
                                        kind=cmd.kind, starts_on=starts_on.isoformat(),
                                        ends_on=ends_on.isoformat(), skus=sku_codes, channels=channel_codes,
                                        uplift=uplift, starts_at=_iso(cmd.starts_at), ends_at=_iso(cmd.ends_at),
                                        units_per_sku=cmd.units_per_sku))
        audit.record(uow, cmd.actor, audit.Audited("planning.create_event", "planning_event", event_id,
                                                   {"name": cmd.name, "uplift": uplift}))
        created = EventOut(**event_view(repository.event_by_id(c, tenant_id, event_id)))
        uow.commit()
    return created


def _days(cmd: CreateEvent) -> tuple[date, date]:
    """The event's first and last day: as given, or else the days of its sales' times (in the offset given), which
    must fall within them. Times come both or neither, each with its zone, the end after the start; the units each
    SKU is expected to sell are those sold between them, so they come only with them."""
    if cmd.starts_at is None and cmd.ends_at is None:
        if cmd.units_per_sku is not None:
            raise InvalidEvent("units_per_sku are the units sold between starts_at and ends_at: give those times",
                               field="units_per_sku")
        if cmd.starts_on is None or cmd.ends_on is None:
            raise InvalidEvent("an event gives its days (starts_on and ends_on) or its times (starts_at and ends_at)",
                               field="starts_on" if cmd.starts_on is None else "ends_on")
        return cmd.starts_on, cmd.ends_on
    if cmd.starts_at is None or cmd.ends_at is None:
        raise InvalidEvent("a sale's times come together: starts_at and ends_at, or neither",
                           field="starts_at" if cmd.starts_at is None else "ends_at")
    for name, at in (("starts_at", cmd.starts_at), ("ends_at", cmd.ends_at)):
        if at.utcoffset() is None:
            raise InvalidEvent(f"{name} gives its time zone (2026-12-12T20:00:00+08:00, or Z for UTC)", field=name)
    if cmd.ends_at <= cmd.starts_at:
        raise InvalidEvent("a sale ends after it starts", field="ends_at")
    if cmd.units_per_sku is not None and cmd.units_per_sku < 1:
        raise InvalidEvent("units_per_sku is a whole number of units, 1 or more", field="units_per_sku")
    first, last = cmd.starts_on or cmd.starts_at.date(), cmd.ends_on or cmd.ends_at.date()
    if first > cmd.starts_at.date():
        raise InvalidEvent(f"starts_at ({cmd.starts_at.isoformat()}) falls before starts_on ({first})",
                           field="starts_on")
    if last < cmd.ends_at.date():
        raise InvalidEvent(f"ends_at ({cmd.ends_at.isoformat()}) falls after ends_on ({last})", field="ends_on")
    return first, last


def _iso(at: Any) -> str | None:
    return None if at is None else at.isoformat()


def _checked_uplift(cmd: CreateEvent, starts_on: date, ends_on: date) -> float:
    if cmd.kind not in rules.KINDS:
        raise InvalidEvent(f"an event is one of {', '.join(rules.KINDS)}, not {cmd.kind}", field="kind")
    if ends_on < starts_on:
        raise InvalidEvent("an event ends on or after the day it starts", field="ends_on")
    if not cmd.skus:
        raise InvalidEvent("an event names the SKUs it sells", field="skus")
    if cmd.expected_uplift is None and cmd.discount_percent is None:
        raise InvalidEvent("an event says what it does: an expected uplift or a discount", field="expected_uplift")
    if cmd.expected_uplift is not None and not 0 < cmd.expected_uplift <= rules.MAX_UPLIFT:
        raise InvalidEvent(f"an uplift is above 0 and at most {rules.MAX_UPLIFT}", field="expected_uplift")
    if cmd.discount_percent is not None and not 0 <= cmd.discount_percent < 100:
        raise InvalidEvent("a discount is from 0 to under 100 percent", field="discount_percent")
    return rules.event_uplift(cmd.expected_uplift, cmd.discount_percent)

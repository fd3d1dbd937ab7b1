"""Inventory handlers: locations, adjustments, counts, safety stock and transfers."""

import uuid
from typing import Any

from sqlalchemy import Connection

from flexhub import catalog
from flexhub.catalog import UnknownSku
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit, partner_by_code
from flexhub.inventory import ledger, repository
from flexhub.inventory.commands import (
    AdjustStock,
    AssignBins,
    CountStock,
    CreateLocation,
    CreateTransfer,
    LevelFigures,
    LocationCreated,
    ReceiveTransfer,
    SafetyStockSet,
    SetSafetyStock,
    TransferState,
)
from flexhub.inventory.errors import (
    InvalidPool,
    InvalidQuantity,
    LocationExists,
    UnknownLocation,
    UnknownTransfer,
)
from flexhub.inventory.ledger import Movement
from flexhub.inventory.rules import LOCATION_KINDS, Delta, LevelKey, is_valid_pool
from flexhub.kernel import clock
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.ids import new_id

ADJUST_KINDS = ("adjust", "receive", "return")


def create_location(cmd: CreateLocation, uow_factory: UnitOfWorkFactory) -> LocationCreated:
    if cmd.kind not in LOCATION_KINDS:
        raise ValidationFailed(f"location kind must be one of {', '.join(LOCATION_KINDS)}", kind=cmd.kind)
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        if repository.location_by_code(uow.connection, tenant_id, cmd.code):
            raise LocationExists(f"location {cmd.code} already exists")
        partner_id = partner_by_code(uow.connection, tenant_id, cmd.partner).id if cmd.partner else None
        location_id, name = new_id(), cmd.name or cmd.code
        values: dict[str, Any] = {
            "id": location_id, "tenant_id": tenant_id, "code": cmd.code, "name": name,
            "kind": cmd.kind, "partner_id": partner_id, "region": cmd.region, "country": cmd.country,
            "province": cmd.province, "city": cmd.city, "latitude": cmd.latitude,
            "longitude": cmd.longitude, "can_ship": cmd.can_ship, "can_pickup": cmd.can_pickup,
            "priority": cmd.priority, "daily_capacity": cmd.daily_capacity, "secure": cmd.secure,
            "packs_fragile": cmd.packs_fragile,
        }
        repository.insert_location(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("location.create", "location", location_id, {"code": cmd.code}))
        uow.commit()
    return LocationCreated(id=location_id, code=cmd.code, kind=cmd.kind, name=name, can_ship=cmd.can_ship,
                           can_pickup=cmd.can_pickup, priority=cmd.priority)


def adjust_stock(cmd: AdjustStock, uow_factory: UnitOfWorkFactory) -> LevelFigures:
    if cmd.quantity_delta == 0:
        raise InvalidQuantity("quantity_delta must not be zero")
    if cmd.kind not in ADJUST_KINDS:
        raise ValidationFailed(f"kind must be one of {', '.join(ADJUST_KINDS)}")
    if cmd.kind != "adjust" and cmd.quantity_delta < 0:
        raise InvalidQuantity(f"a {cmd.kind} adds stock; use an adjustment to remove it")
    with uow_factory() as uow:
        key = _level_key(uow.connection, cmd.actor.tenant_id, cmd.sku, cmd.location, cmd.pool)
        movement = Movement(key, cmd.kind, Delta(on_hand=cmd.quantity_delta), cmd.actor.name, cmd.reason, cmd.reference)
        after = ledger.post(uow, cmd.actor.tenant_id, [movement], cause=cmd.kind)[key]
        detail = {"sku": cmd.sku, "location": cmd.location, "pool": cmd.pool, "delta": cmd.quantity_delta,
                  "reason": cmd.reason}
        audit.record(uow, cmd.actor, audit.Audited(f"stock.{cmd.kind}", "stock_level", after.id, detail))
        uow.commit()
    return _level_view(cmd.sku, cmd.location, after)


def count_stock(cmd: CountStock, uow_factory: UnitOfWorkFactory) -> LevelFigures:
    if cmd.counted < 0:
        raise InvalidQuantity("a counted quantity cannot be negative")
    with uow_factory() as uow:
        key = _level_key(uow.connection, cmd.actor.tenant_id, cmd.sku, cmd.location, cmd.pool)
        repository.ensure_levels(uow.connection, cmd.actor.tenant_id, [key])
        before = repository.lock_levels_by_key(uow.connection, cmd.actor.tenant_id, [key])
        difference = cmd.counted - before[key].on_hand
        after = before[key]
        if difference:
            movement = Movement(key, "count", Delta(on_hand=difference), cmd.actor.name, cmd.reason)
            after = ledger.apply(uow, cmd.actor.tenant_id, before, [movement], cause="count")[key]
        detail = {"sku": cmd.sku, "location": cmd.location, "counted": cmd.counted, "difference": difference}
        audit.record(uow, cmd.actor, audit.Audited("stock.count", "stock_level", after.id, detail))
        uow.commit()
    return _level_view(cmd.sku, cmd.location, after)


def set_safety_stock(cmd: SetSafetyStock, uow_factory: UnitOfWorkFactory) -> SafetyStockSet:
    if cmd.quantity < 0:
        raise InvalidQuantity("safety stock cannot be negative")
    with uow_factory() as uow:
        key = _level_key(uow.connection, cmd.actor.tenant_id, cmd.sku, cmd.location, cmd.pool)
        repository.ensure_levels(uow.connection, cmd.actor.tenant_id, [key])
        level = repository.lock_levels_by_key(uow.connection, cmd.actor.tenant_id, [key])[key]
        repository.set_safety(uow.connection, level.id, cmd.quantity)
        detail = {"sku": cmd.sku, "location": cmd.location, "pool": cmd.pool, "safety": cmd.quantity}
        audit.record(uow, cmd.actor, audit.Audited("stock.safety", "stock_level", level.id, detail))
        uow.commit()
    return SafetyStockSet(sku=cmd.sku, location=cmd.location, pool=cmd.pool, safety=cmd.quantity)


def assign_bins(cmd: AssignBins, uow_factory: UnitOfWorkFactory) -> int:
    """Refused whole (422, nothing written): no bins, an empty or over-long bin, an unknown SKU or node."""
    bins = {sku.strip(): place.strip() for sku, place in cmd.bins.items()}
    if not bins or any(not place or len(place) > 32 for place in bins.values()):
        raise ValidationFailed("name each SKU's bin in 1 to 32 characters")
    with uow_factory() as uow:
        location = repository.location_by_code(uow.connection, cmd.actor.tenant_id, cmd.location)
        if location is None:
            raise UnknownLocation(f"unknown location {cmd.location}", location=cmd.location)
        skus = catalog.skus_by_code(uow.connection, cmd.actor.tenant_id, list(bins))
        unknown = sorted(set(bins) - set(skus))
        if unknown:
            raise UnknownSku(f"unknown SKU {unknown[0]}", sku=unknown[0])
        repository.put_bins(uow.connection, [
            {"location_id": location.id, "sku_id": skus[sku].id, "tenant_id": cmd.actor.tenant_id, "bin": place,
             "updated_by": cmd.actor.name, "updated_at": clock.now()} for sku, place in sorted(bins.items())])
        audit.record(uow, cmd.actor, audit.Audited("stock.bins", "location", location.id, {"bins": bins}))
        uow.commit()
    return len(bins)


def create_transfer(cmd: CreateTransfer, uow_factory: UnitOfWorkFactory) -> TransferState:
    if not cmd.lines or any(line.quantity <= 0 for line in cmd.lines):
        raise InvalidQuantity("a transfer needs lines with positive quantities")
    if cmd.from_location == cmd.to_location:
        raise ValidationFailed("a transfer goes between two different locations")
    tenant_id, transfer_id = cmd.actor.tenant_id, new_id()
    with uow_factory() as uow:
        movements, lines = [], []
        for line in cmd.lines:
            source = _level_key(uow.connection, tenant_id, line.sku, cmd.from_location, line.pool)
            target = _level_key(uow.connection, tenant_id, line.sku, cmd.to_location, line.pool)
            ref, who = str(transfer_id), cmd.actor.name
            movements.append(Movement(source, "transfer_out", Delta(on_hand=-line.quantity), who, "transfer", ref))
            movements.append(Movement(target, "transfer_out", Delta(in_transit=line.quantity), who, "transfer", ref))
            lines.append({"id": new_id(), "transfer_id": transfer_id, "sku_id": source[0], "pool": line.pool,
                          "quantity": line.quantity})
        repository.insert_transfer(uow.connection, {
            "id": transfer_id, "tenant_id": tenant_id, "from_location_id": movements[0].key[1],
            "to_location_id": movements[1].key[1], "state": "in_transit", "reference": cmd.reference}, lines)
        ledger.post(uow, tenant_id, movements, cause="transfer_out")
        audit.record(uow, cmd.actor, audit.Audited("transfer.create", "transfer", transfer_id, {
            "from": cmd.from_location, "to": cmd.to_location,
            "lines": [{"sku": x.sku, "quantity": x.quantity, "pool": x.pool} for x in cmd.lines]}))
        uow.commit()
    return TransferState(id=transfer_id, state="in_transit")


def receive_transfer(cmd: ReceiveTransfer, uow_factory: UnitOfWorkFactory) -> TransferState:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        transfer = _in_transit_transfer(uow.connection, tenant_id, cmd.transfer_id)
        lines = repository.transfer_lines(uow.connection, transfer.id)
        movements = [
            Movement((line.sku_id, transfer.to_location_id, line.pool), "transfer_in",
                     Delta(on_hand=line.quantity, in_transit=-line.quantity), cmd.actor.name, "transfer",
                     str(transfer.id))
            for line in lines
        ]
        ledger.post(uow, tenant_id, movements, cause="transfer_in")
        repository.update_transfer(uow.connection, tenant_id, transfer.id, state="received", received_at=clock.now())
        audit.record(uow, cmd.actor, audit.Audited("transfer.receive", "transfer", transfer.id))
        uow.commit()
    return TransferState(id=transfer.id, state="received")


def _in_transit_transfer(connection: Connection, tenant_id: uuid.UUID, transfer_id: str) -> Any:
    try:
        wanted = uuid.UUID(transfer_id)
    except ValueError as exc:
        raise UnknownTransfer(f"no transfer {transfer_id}") from exc
    transfer = repository.lock_transfer(connection, tenant_id, wanted)
    if transfer is None:
        raise UnknownTransfer(f"no transfer {transfer_id}")
    if transfer.state != "in_transit":
        raise ValidationFailed(f"transfer {transfer_id} is {transfer.state}, not in transit")
    return transfer


def _level_key(
    connection: Connection, tenant_id: uuid.UUID, sku: str, location: str, pool: str
) -> LevelKey:
    if not is_valid_pool(pool):
        raise InvalidPool(f"unknown pool {pool!r}: use spot, presale or consigned:<partner>")
    found = catalog.skus_by_code(connection, tenant_id, [sku]).get(sku)
    if found is None:
        raise UnknownSku(f"unknown SKU {sku}", sku=sku)
    if found.is_bundle:
        raise InvalidPool(f"{sku} is a bundle: its stock is its components' stock")
    place = repository.location_by_code(connection, tenant_id, location)
    if place is None:
        raise UnknownLocation(f"unknown location {location}", location=location)
    return (found.id, place.id, pool)


def _level_view(sku: str, location: str, level: Any) -> LevelFigures:
    return LevelFigures(sku=sku, location=location, pool=level.pool, on_hand=level.on_hand, reserved=level.reserved,
                        safety=level.safety, in_transit=level.in_transit, available=level.available)

"""Reseller handlers: terms and the price list set by the brand, payments recorded; each checked before anything
is written, audited, and told as an event."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flexhub import catalog
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit, tenant_ids
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.resellers import queries, repository, storage
from flexhub.resellers.commands import (
    ChargeStorage,
    ChargeStorageDue,
    RecordPayment,
    ResellerAccount,
    SetResellerBrand,
    SetResellerPrices,
    SetResellerTerms,
    StorageCharges,
)
from flexhub.resellers.errors import InvalidLogo, InvalidPrices
from flexhub.resellers.events import ResellerBrandSet, ResellerPaid, ResellerPricesSet, ResellerTermsSet, StorageCharged

ReleaseCovered = Callable[[Actor, uuid.UUID, str], list[str]]  # ordering.credit_release.release_covered, wired


def set_reseller_terms(cmd: SetResellerTerms, uow_factory: UnitOfWorkFactory,
                       release_covered: ReleaseCovered) -> ResellerAccount:
    """A higher credit limit releases the orders it now covers, as a payment does."""
    with uow_factory() as uow:
        partner = queries.reseller(uow.connection, cmd.actor, cmd.partner)
        terms = {"currency": cmd.currency, "credit_limit": cmd.credit_limit, "dropship_fee": cmd.dropship_fee,
                 "storage_fee_per_unit_day": cmd.storage_fee_per_unit_day}
        repository.upsert_terms(uow.connection, {**terms, "tenant_id": cmd.actor.tenant_id, "partner_id": partner.id,
                                                 "set_by": cmd.actor.name, "set_at": clock.now()})
        uow.record(ResellerTermsSet(tenant_id=cmd.actor.tenant_id, partner=partner.code,
                                    credit_limit=cmd.credit_limit))
        audit.record(uow, cmd.actor, audit.Audited("reseller.terms_set", "partner", partner.id, terms))
        uow.commit()
    return _released(uow_factory, partner, release_covered(cmd.actor, partner.id, "the new credit limit covers it"))


def set_reseller_prices(cmd: SetResellerPrices, uow_factory: UnitOfWorkFactory) -> ResellerAccount:
    keys = [(p["sku"], p["valid_from"]) for p in cmd.prices]
    if len(set(keys)) != len(keys):
        raise InvalidPrices("a SKU has two prices from the same day")
    if bad := [p["sku"] for p in cmd.prices if p.get("valid_to") and p["valid_to"] <= p["valid_from"]]:
        raise InvalidPrices(f"a price ends before it starts: {', '.join(bad)}", skus=bad)
    with uow_factory() as uow:
        partner = queries.reseller(uow.connection, cmd.actor, cmd.partner)
        known = catalog.skus_by_code(uow.connection, cmd.actor.tenant_id, {p["sku"] for p in cmd.prices})
        if unknown := sorted({p["sku"] for p in cmd.prices} - set(known)):
            raise catalog.UnknownSku(f"unknown SKU: {', '.join(unknown)}", skus=unknown)
        repository.replace_prices(uow.connection, cmd.actor.tenant_id, partner.id, [
            {"tenant_id": cmd.actor.tenant_id, "partner_id": partner.id, "sku": p["sku"],
             "valid_from": p["valid_from"], "valid_to": p.get("valid_to"), "unit_price": p["unit_price"]}
            for p in cmd.prices])
        uow.record(ResellerPricesSet(tenant_id=cmd.actor.tenant_id, partner=partner.code, prices=len(cmd.prices)))
        audit.record(uow, cmd.actor, audit.Audited("reseller.prices_set", "partner", partner.id,
                                                   {"prices": [_json(p) for p in cmd.prices]}))
        return _answer(uow, partner)


def record_payment(cmd: RecordPayment, uow_factory: UnitOfWorkFactory,
                   release_covered: ReleaseCovered) -> ResellerAccount:
    """The payment is kept (its own transaction); then the reseller's orders held for credit that its credit now
    covers are released, oldest first (each by ordering's ReleaseOrder, audited as the person who recorded it)."""
    with uow_factory() as uow:
        partner = queries.reseller(uow.connection, cmd.actor, cmd.partner)
        account = queries.account(uow.connection, cmd.actor.tenant_id, partner)
        currency = account["terms"]["currency"] if account["terms"] else "CNY"
        at = datetime.combine(cmd.paid_on, time.min, tzinfo=UTC) if cmd.paid_on else clock.now()
        repository.insert_entries(uow.connection, [{
            "id": new_id(), "tenant_id": cmd.actor.tenant_id, "partner_id": partner.id, "kind": "payment",
            "order_id": None, "reference": cmd.reference, "amount": -cmd.amount, "currency": currency, "at": at,
            "recorded_by": cmd.actor.name}])
        uow.record(ResellerPaid(tenant_id=cmd.actor.tenant_id, partner=partner.code, amount=cmd.amount,
                                reference=cmd.reference))
        audit.record(uow, cmd.actor, audit.Audited("reseller.payment", "partner", partner.id,
                                                   {"amount": cmd.amount, "reference": cmd.reference}))
        uow.commit()
    note = f"the reseller's credit covers it after payment {cmd.reference}"
    return _released(uow_factory, partner, release_covered(cmd.actor, partner.id, note))


LOGO_KINDS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG: what reportlab draws on the packing slip
MAX_LOGO = 200_000


def set_reseller_brand(cmd: SetResellerBrand, uow_factory: UnitOfWorkFactory) -> ResellerAccount:
    """The reseller's own name, phone and logo for its blind drop-ship parcels (set by the brand or itself)."""
    if cmd.logo is not None and (len(cmd.logo) > MAX_LOGO or not cmd.logo.startswith(LOGO_KINDS)):
        raise InvalidLogo(f"a logo is a PNG or JPEG image of at most {MAX_LOGO} bytes")
    with uow_factory() as uow:
        partner = queries.reseller(uow.connection, cmd.actor, cmd.partner)
        repository.upsert_brand(uow.connection, {
            "tenant_id": cmd.actor.tenant_id, "partner_id": partner.id, "name": cmd.name, "phone": cmd.phone,
            "logo": cmd.logo, "set_by": cmd.actor.name, "set_at": clock.now()})
        uow.record(ResellerBrandSet(tenant_id=cmd.actor.tenant_id, partner=partner.code, name=cmd.name))
        audit.record(uow, cmd.actor, audit.Audited("reseller.brand_set", "partner", partner.id, {
            "name": cmd.name, "phone": cmd.phone, "logo_bytes": len(cmd.logo) if cmd.logo else 0}))
        return _answer(uow, partner)


def charge_storage(cmd: ChargeStorage, uow_factory: UnitOfWorkFactory) -> StorageCharges:
    """仓储费 of one day for the tenant's resellers, once each (asking again charges nothing more)."""
    with uow_factory() as uow:
        charged = storage.charge_day(uow.connection, cmd.actor.tenant_id, cmd.day, cmd.actor.name)
        uow.record(StorageCharged(tenant_id=cmd.actor.tenant_id, day=cmd.day.isoformat(), resellers=len(charged),
                                  amount=sum(charged.values())))
        audit.record(uow, cmd.actor, audit.Audited("reseller.storage_charged", "tenant", cmd.actor.tenant_id,
                                                   {"day": cmd.day.isoformat(), "charged": charged}))
        uow.commit()
    return StorageCharges(day=cmd.day, charged=charged)


def charge_storage_due(cmd: ChargeStorageDue, uow_factory: UnitOfWorkFactory) -> int:
    """The system's daily run: yesterday's 仓储费 for every tenant, each in its own transaction; how many charged."""
    day = clock.now().date() - timedelta(days=1)
    with uow_factory(write=False) as uow:
        tenants = tenant_ids(uow.connection)
    charged = 0
    for tenant_id in tenants:
        with uow_factory() as uow:
            charged += len(storage.charge_day(uow.connection, tenant_id, day, "system:storage"))
            uow.commit()
    return charged


def _answer(uow: UnitOfWork, partner: Any) -> ResellerAccount:
    found = queries.account(uow.connection, partner.tenant_id, partner)
    uow.commit()
    return ResellerAccount(account=found)


def _released(uow_factory: UnitOfWorkFactory, partner: Any, released: list[str]) -> ResellerAccount:
    """The account after the releases (each charged the order to it)."""
    with uow_factory(write=False) as uow:
        return ResellerAccount(account=queries.account(uow.connection, partner.tenant_id, partner),
                               released=released)


def _json(price: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in price.items()}

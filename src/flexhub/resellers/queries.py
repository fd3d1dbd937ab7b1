"""The resellers' read side: a reseller found as the caller may see it, its account (terms, price list, balance,
credit left) and a month's statement."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from flexhub import identity
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.resellers import repository, rules
from flexhub.resellers.errors import InvalidMonth, UnknownReseller


def reseller(connection: Connection, actor: Actor, code: str) -> Any:
    """The tenant's reseller `code`; for a partner's key only itself. Anything else is unknown (404)."""
    try:
        row = identity.partner_by_code(connection, actor.tenant_id, code)
    except identity.UnknownPartner:
        row = None
    if row is None or row.kind != "reseller" or (actor.partner_id is not None and row.id != actor.partner_id):
        raise UnknownReseller(f"no reseller {code}", partner=code)
    return row


def resellers(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    return identity.partners_of_kind(connection, tenant_id, "reseller")


def account(connection: Connection, tenant_id: uuid.UUID, partner: Any) -> dict[str, Any]:
    terms = repository.terms_of(connection, tenant_id, [partner.id]).get(partner.id)
    balance = repository.balances(connection, tenant_id, [partner.id]).get(partner.id, 0)
    prices = repository.prices_of(connection, tenant_id, [partner.id])
    limit = terms.credit_limit if terms else None
    brand = repository.brand_of(connection, tenant_id, partner.id)
    return {
        "partner": partner.code, "name": partner.name,
        "terms": None if terms is None else {
            "currency": terms.currency, "credit_limit": terms.credit_limit, "dropship_fee": terms.dropship_fee,
            "storage_fee_per_unit_day": terms.storage_fee_per_unit_day},
        "balance": balance, "credit_left": None if limit is None else limit - balance,
        "prices": [{"sku": p.sku, "unit_price": p.unit_price, "valid_from": p.valid_from.isoformat(),
                    "valid_to": p.valid_to.isoformat() if p.valid_to else None} for p in prices],
        "brand": None if brand is None else {"name": brand.name, "phone": brand.phone, "logo": brand.logo is not None},
    }


@dataclass(frozen=True, slots=True)
class Brand:
    """Who a blind drop-ship parcel says it is from: the reseller, never the brand."""

    name: str
    phone: str
    logo: bytes | None


def blind_sender(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID | None) -> Brand | None:
    """The brand a reseller's parcels carry: its own name, phone and logo (its partner name when it set none);
    None for an order that is not a reseller's."""
    if partner_id is None:
        return None
    partner = identity.partner_by_id(connection, tenant_id, partner_id)
    if partner is None or partner.kind != "reseller":
        return None
    brand = repository.brand_of(connection, tenant_id, partner_id)
    if brand is None:
        return Brand(partner.name or partner.code, "", None)
    return Brand(brand.name, brand.phone, brand.logo)


def month_bounds(month: str | None) -> tuple[datetime, datetime]:
    """The month `YYYY-MM` (this month when None) as [start, end) in UTC."""
    try:
        first = date.fromisoformat(f"{month}-01") if month else clock.now().date().replace(day=1)
    except ValueError as error:
        raise InvalidMonth(f"{month!r} is not a month (YYYY-MM)") from error
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return datetime(first.year, first.month, 1, tzinfo=UTC), datetime(following.year, following.month, 1, tzinfo=UTC)


def statement(connection: Connection, tenant_id: uuid.UUID, partner: Any, month: str | None) -> dict[str, Any]:
    start, end = month_bounds(month)
    before = repository.balances(connection, tenant_id, [partner.id], before=start).get(partner.id, 0)
    rows = repository.entries_between(connection, tenant_id, partner.id, start, end)
    found = rules.statement(before, [rules.Entry(r.kind, r.reference, r.amount, r.at) for r in rows])
    currency = rows[0].currency if rows else None
    return {"partner": partner.code, "month": start.strftime("%Y-%m"), "currency": currency,
            "opening": found.opening, "closing": found.closing, "totals": dict(found.totals),
            "entries": [{"at": e.at, "kind": e.kind, "reference": e.reference, "amount": e.amount}
                        for e in found.entries]}

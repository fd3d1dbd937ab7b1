"""The resellers' read side: a reseller found as the caller may see it, its account (terms, price list, balance,
credit left) and a month's statement."""

import uuid
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
    return {
        "partner": partner.code, "name": partner.name,
        "terms": None if terms is None else {
            "currency": terms.currency, "credit_limit": terms.credit_limit, "dropship_fee": terms.dropship_fee,
            "storage_fee_per_unit_day": terms.storage_fee_per_unit_day},
        "balance": balance, "credit_left": None if limit is None else limit - balance,
        "prices": [{"sku": p.sku, "unit_price": p.unit_price, "valid_from": p.valid_from.isoformat(),
                    "valid_to": p.valid_to.isoformat() if p.valid_to else None} for p in prices],
    }


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

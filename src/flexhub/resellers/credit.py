"""Resellers on the write path: a batch's reseller orders priced at their supply prices, checked against each
reseller's credit (its terms row locked, so its orders are judged one transaction at a time), and charged to its
account once they take (or wait for) stock. Called by ordering in the batch's transaction."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.resellers import repository, rules
from flexhub.resellers.events import ResellerCredited

Lines = Sequence[tuple[str, int, int, int]]  # (SKU, quantity, unit price, line discount)


@dataclass
class Account:
    terms: rules.Terms
    prices: list[rules.Price]
    balance: int


def terms_from(row: Any) -> rules.Terms:
    return rules.Terms(row.currency, row.credit_limit, row.dropship_fee, row.storage_fee_per_unit_day)


def _price(row: Any) -> rules.Price:
    return rules.Price(row.sku, row.valid_from, row.valid_to, row.unit_price)


@dataclass
class Credit:
    tenant_id: uuid.UUID
    accounts: dict[uuid.UUID, Account] = field(default_factory=dict)

    @classmethod
    def load(cls, connection: Connection, tenant_id: uuid.UUID, partner_ids: Iterable[uuid.UUID | None]) -> "Credit":
        wanted = {p for p in partner_ids if p is not None}
        if not wanted:
            return cls(tenant_id)
        terms = repository.terms_of(connection, tenant_id, wanted, lock=True)
        if not terms:
            return cls(tenant_id)
        prices = repository.prices_of(connection, tenant_id, terms)
        owed = repository.balances(connection, tenant_id, terms)
        return cls(tenant_id, {p: Account(terms_from(row), [_price(r) for r in prices if r.partner_id == p],
                                          owed.get(p, 0)) for p, row in terms.items()})

    def floors(self, partner_id: uuid.UUID | None, day: date) -> dict[str, int]:
        """The reseller's price list on `day`: the cleaning rules' price floor for its orders."""
        account = self.accounts.get(partner_id) if partner_id else None
        return rules.prices_on(account.prices, day) if account else {}

    def judge(self, partner_id: uuid.UUID | None, currency: str, lines: Lines, day: date
              ) -> tuple[rules.Owed | None, str | None]:
        """(what the order owes, or None for no terms; why it is held, or None). An order that fits is counted
        against the credit at once, so the next in the batch sees it."""
        account = self.accounts.get(partner_id) if partner_id else None
        if account is None:
            return None, None
        owed = rules.owed_for(lines, rules.prices_on(account.prices, day), account.terms)
        if currency != account.terms.currency:
            return owed, f"the order is in {currency}, the reseller's terms in {account.terms.currency}"
        if rules.over_limit(account.balance, owed.total, account.terms):
            return owed, (f"owes {account.balance} + {owed.total} for this order, over its credit limit "
                          f"{account.terms.credit_limit}")
        account.balance += owed.total
        return owed, None


def charges(tenant_id: uuid.UUID, partner_id: uuid.UUID, order_id: uuid.UUID, reference: str, owed: rules.Owed,
            currency: str, by: str, at: datetime | None = None) -> list[dict[str, Any]]:
    at = at or clock.now()
    return [{"id": new_id(), "tenant_id": tenant_id, "partner_id": partner_id, "kind": kind, "order_id": order_id,
             "reference": reference, "amount": amount, "currency": currency, "at": at, "recorded_by": by}
            for kind, amount in (("goods", owed.goods), ("dropship_fee", owed.dropship_fee)) if amount]


def charge_orders(connection: Connection, rows: list[dict[str, Any]]) -> None:
    repository.insert_entries(connection, rows)


def charge_released(connection: Connection, tenant_id: uuid.UUID, order: Any, lines: Lines, by: str) -> None:
    """A held reseller order released by a person: charged now, whatever its credit (the person decided)."""
    if order.partner_id is None:
        return
    account = Credit.load(connection, tenant_id, [order.partner_id]).accounts.get(order.partner_id)
    if account is None or repository.order_entries(connection, tenant_id, order.id):
        return
    day = (order.placed_at or clock.now()).date()
    owed = rules.owed_for(lines, rules.prices_on(account.prices, day), account.terms)
    repository.insert_entries(connection, charges(tenant_id, order.partner_id, order.id, order.external_id, owed,
                                                  order.currency, by))


def covers(connection: Connection, tenant_id: uuid.UUID, order: Any, lines: Lines) -> bool:
    """Whether the reseller's credit left covers this held order now (its terms row locked until the transaction
    ends, so a release and a new order cannot both spend it): the order's supply price and 代发费 on its day, in
    the terms' currency, within the limit. An order of no reseller with terms is never covered here."""
    if order.partner_id is None:
        return False
    credit = Credit.load(connection, tenant_id, [order.partner_id])
    owed, why = credit.judge(order.partner_id, order.currency, lines, (order.placed_at or clock.now()).date())
    return owed is not None and why is None


def credit_cancelled(uow: UnitOfWork, tenant_id: uuid.UUID, order: Any, by: str) -> None:
    """A cancelled order gives back what it was charged, once; ResellerCredited tells the credit freed."""
    connection = uow.connection
    entries = repository.order_entries(connection, tenant_id, order.id)
    if not entries or any(e.kind == "cancelled" for e in entries):
        return
    amount = sum(e.amount for e in entries)
    repository.insert_entries(connection, [{
        "id": new_id(), "tenant_id": tenant_id, "partner_id": entries[0].partner_id, "kind": "cancelled",
        "order_id": order.id, "reference": order.external_id, "amount": -amount,
        "currency": entries[0].currency, "at": clock.now(), "recorded_by": by}])
    if amount > 0:
        uow.record(ResellerCredited(tenant_id=tenant_id, partner_id=str(entries[0].partner_id),
                                    order_id=str(order.id), kind="cancelled", amount=amount,
                                    reference=order.external_id, by=by))


def credit_returned(uow: UnitOfWork, tenant_id: uuid.UUID, order: Any, returned: dict[str, int],
                    sold: dict[str, tuple[int, int]], reference: str, by: str) -> int:
    """Units of a reseller's order received back: credited at what it was charged for them (`sold`: SKU → units
    on the order and unit price after discount, for SKUs off its price list), once per return (`reference`);
    ResellerCredited tells the credit freed."""
    connection = uow.connection
    if order.partner_id is None or not repository.order_entries(connection, tenant_id, order.id):
        return 0  # not a reseller's order, or never charged (held, or charged and cancelled before)
    entries = repository.order_entries(connection, tenant_id, order.id)
    if any(e.kind == "cancelled" for e in entries) or any(e.kind == "returned" and e.reference == reference
                                                          for e in entries):
        return 0
    account = Credit.load(connection, tenant_id, [order.partner_id]).accounts.get(order.partner_id)
    prices = rules.prices_on(account.prices, (order.placed_at or clock.now()).date()) if account else {}
    amount = rules.returned_credit(returned, prices, sold)
    if amount:
        repository.insert_entries(connection, [{
            "id": new_id(), "tenant_id": tenant_id, "partner_id": order.partner_id, "kind": "returned",
            "order_id": order.id, "reference": reference, "amount": -amount, "currency": entries[0].currency,
            "at": clock.now(), "recorded_by": by}])
        uow.record(ResellerCredited(tenant_id=tenant_id, partner_id=str(order.partner_id), order_id=str(order.id),
                                    kind="returned", amount=amount, reference=reference, by=by))
    return amount

"""Reseller events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class ResellerTermsSet(Event):
    partner: str
    credit_limit: int | None


@dataclass(frozen=True, kw_only=True)
class ResellerPricesSet(Event):
    partner: str
    prices: int


@dataclass(frozen=True, kw_only=True)
class ResellerPaid(Event):
    partner: str
    amount: int
    reference: str


@dataclass(frozen=True, kw_only=True)
class ResellerBrandSet(Event):
    partner: str
    name: str


@dataclass(frozen=True, kw_only=True)
class StorageCharged(Event):
    day: str
    resellers: int
    amount: int


@dataclass(frozen=True, kw_only=True)
class ResellerCredited(Event):
    """Credit given back to a reseller's account (a cancelled order, a return received): its orders held over the
    credit limit may now fit, and are tried (ordering.credit_release, wired by bootstrap)."""

    partner_id: str
    order_id: str
    kind: str  # cancelled | returned
    amount: int  # minor units given back
    reference: str
    by: str

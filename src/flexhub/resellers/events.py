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

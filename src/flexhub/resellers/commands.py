"""Reseller commands and what their handlers answer."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class SetResellerTerms(Command):
    partner: str
    currency: str
    credit_limit: int | None
    dropship_fee: int = 0
    storage_fee_per_unit_day: int = 0


@dataclass(frozen=True, kw_only=True)
class SetResellerPrices(Command):
    """The reseller's whole price list (供货价), replacing the one before."""

    partner: str
    prices: list[dict[str, Any]] = field(default_factory=list)  # {sku, unit_price, valid_from, valid_to}


@dataclass(frozen=True, kw_only=True)
class RecordPayment(Command):
    partner: str
    amount: int
    reference: str
    paid_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class ResellerAccount:
    """What the reseller commands answer: the reseller's account as it stands, and the orders held for credit that
    a payment or a higher limit released (their ids, oldest first)."""

    account: dict[str, Any]
    released: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SetResellerBrand(Command):
    """The name, phone and logo a reseller's buyers see on its blind drop-ship parcels."""

    partner: str
    name: str
    phone: str = ""
    logo: bytes | None = None


@dataclass(frozen=True, kw_only=True)
class ChargeStorage(Command):
    """仓储费 for one day: every reseller's units on hand in its consigned pool that day × its fee per unit-day."""

    day: date


@dataclass(frozen=True, kw_only=True)
class ChargeStorageDue:
    """The system's daily job: yesterday's 仓储费 for every tenant (no actor: nobody asked)."""


@dataclass(frozen=True, kw_only=True)
class StorageCharges:
    day: date
    charged: dict[str, int]  # reseller code → amount charged for the day

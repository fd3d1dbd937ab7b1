"""Finance commands and what their handlers answer."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flexhub.kernel.messages import Command
from flexhub.kernel.results import Result


@dataclass(frozen=True, kw_only=True)
class ImportStatement(Command):
    """A settlement statement's text as the platform publishes it, in one of the installed formats."""

    channel: str
    format: str
    content: str


@dataclass(frozen=True, kw_only=True)
class StatementKept:
    """What ImportStatement answers: the statement (`created` False when this content was imported before), its
    line count, and the lines it could not read, each kept for a person."""

    id: uuid.UUID
    channel: str
    format: str
    lines: int
    created: bool
    unreadable: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SetFeeTerms(Command):
    """A channel's fee terms from `effective_from` on (the same date again replaces that version)."""

    channel: str
    effective_from: date
    commission_pct: Decimal = Decimal(0)
    payment_fee_pct: Decimal = Decimal(0)
    fixed_per_order: int = 0
    subsidy_pct: Decimal = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class FeeTermsVersionOut(Result):
    """What SetFeeTerms answers: the channel's version as clients read it (rates in percent)."""

    channel: str
    effective_from: date
    commission_pct: float
    payment_fee_pct: float
    fixed_per_order: int
    subsidy_pct: float
    set_by: str
    set_at: datetime


@dataclass(frozen=True, kw_only=True)
class ResolveDifference(Command):
    """A person's note on a difference of a channel's reconciliation over a period (as it was listed)."""

    channel: str
    difference_id: str
    note: str
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Resolution:
    note: str
    resolved_by: str
    resolved_at: datetime


@dataclass(frozen=True, kw_only=True)
class DifferenceResolvedOut(Result):
    """What ResolveDifference answers: the difference as listed, with its resolution."""

    id: str
    kind: str
    external_id: str | None
    expected: int | None
    actual: int | None
    reason: str
    resolution: Resolution


@dataclass(frozen=True, kw_only=True)
class AddLandedCost(Command):
    """A cost of bringing in what shipment notice `asn` delivered, allocated onto its units by `basis`."""

    asn: str
    kind: str
    amount: int
    currency: str
    basis: str = "value"
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Allocation(Result):
    """A landed cost's part on one SKU of the receipt: its units received and the amount they carry."""

    sku: str
    units: int
    amount: int


@dataclass(frozen=True, kw_only=True)
class LandedCostOut(Result):
    """What AddLandedCost answers: the cost kept against the receipt and how it falls on the receipt's units."""

    reference: str
    kind: str
    amount: int
    currency: str
    basis: str
    note: str
    recorded_by: str
    recorded_at: datetime
    id: str
    allocated: list[Allocation]


@dataclass(frozen=True, kw_only=True)
class CarrierChargeIn:
    waybill_number: str
    amount: int
    currency: str
    carrier: str | None = None


@dataclass(frozen=True, kw_only=True)
class RecordCarrierCharges(Command):
    """What carriers charged per waybill (a bill's lines, or one charge recorded by hand); `source` names the bill."""

    charges: list[CarrierChargeIn]
    source: str = "recorded"


@dataclass(frozen=True, kw_only=True)
class CarrierChargesOut(Result):
    """What RecordCarrierCharges answers: the waybills kept, and those no shipment of the tenant carries."""

    recorded: int
    unmatched: list[str]


@dataclass(frozen=True, kw_only=True)
class AddReturnCost(Command):
    """A cost of bringing return `return_id` back: the parcel back (`shipping`), handling and restocking
    (`handling`) or `other`; profit counts it against the return's order."""

    return_id: str
    kind: str
    amount: int
    currency: str
    waybill_number: str | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ReturnCostOut(Result):
    """What AddReturnCost answers: the cost kept against the return, and the order whose profit carries it."""

    kind: str
    amount: int
    currency: str
    waybill_number: str | None
    note: str
    recorded_by: str
    recorded_at: datetime
    id: str
    return_id: str
    order_id: str


@dataclass(frozen=True, kw_only=True)
class RateIn:
    """One unit of `from_currency` is worth `rate` units of `to_currency` on `day`."""

    from_currency: str
    to_currency: str
    day: date
    rate: Decimal


@dataclass(frozen=True, kw_only=True)
class RecordExchangeRates(Command):
    """Exchange rates by day (a rate recorded again for its day replaces the old one); `source` names where they come
    from. `cost_currency`, when given, is the currency the tenant's costs are kept in from now on."""

    rates: list[RateIn]
    source: str = "recorded"
    cost_currency: str | None = None


@dataclass(frozen=True, kw_only=True)
class ExchangeRatesOut(Result):
    """What RecordExchangeRates answers: how many rates were kept, and the currency costs are kept in now."""

    recorded: int
    cost_currency: str


@dataclass(frozen=True, kw_only=True)
class ImportCarrierBill(Command):
    """A carrier's bill in its own format (`carrier_bills.FORMATS`): each waybill's charge kept, the bill judged
    against the tenant's parcels; with a period, the carrier's parcels shipped in it and not billed are found too."""

    format: str
    content: str
    carrier: str
    source: str = ""
    start: datetime | None = None
    end: datetime | None = None

"""Finance events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class StatementImported(Event):
    statement_id: str
    channel: str
    format: str
    lines: int
    unreadable: int


@dataclass(frozen=True, kw_only=True)
class FeeTermsSet(Event):
    channel: str
    effective_from: str


@dataclass(frozen=True, kw_only=True)
class DifferenceResolved(Event):
    difference_id: str
    channel: str
    kind: str
    external_id: str | None


@dataclass(frozen=True, kw_only=True)
class LandedCostAdded(Event):
    landed_cost_id: str
    reference: str
    kind: str
    amount: int


@dataclass(frozen=True, kw_only=True)
class CarrierChargesRecorded(Event):
    source: str
    waybills: int


@dataclass(frozen=True, kw_only=True)
class ReturnCostAdded(Event):
    return_cost_id: str
    return_id: str
    kind: str
    amount: int


@dataclass(frozen=True, kw_only=True)
class ExchangeRatesRecorded(Event):
    source: str
    rates: int
    cost_currency: str

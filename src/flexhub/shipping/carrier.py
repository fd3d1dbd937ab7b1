"""The carrier protocol every carrier module implements, and the plain data it speaks.

A carrier adapter is pure, like a channel adapter: it *builds* signed requests (`ApiRequest`) for a
quote, a waybill and a tracking query, parses the carrier's answers and pushes, and verifies push
signatures. It never sends: the shipping workers send, pace (`rate_limit`), retry and store, so every
adapter is testable against saved payloads alone. Adapters are found through the `flexhub.carriers`
entry point group. Quantities are integers: grams, millimetres and money in minor units.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Protocol, runtime_checkable
from urllib.parse import parse_qs

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid
from flexhub.kernel.money import Money, minor_digits

__all__ = ["ApiRequest", "RateLimit", "SignatureInvalid"]

# What a carrier's scan means to us, in the order a parcel normally goes through them.
TRACKING_STATES = (
    "info_received", "picked_up", "in_transit", "out_for_delivery", "delivered", "failed_attempt", "exception",
    "returned",
)
# What a carrier can do through its API; a carrier lacking one raises CarrierUnsupported for it.
CAPABILITIES = ("rates", "waybill", "tracking", "push")


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    phone: str
    country: str  # ISO 3166-1 alpha-2
    line1: str
    city: str = ""
    province: str = ""  # province, state or region
    district: str = ""
    postal_code: str = ""
    line2: str = ""
    company: str = ""
    email: str = ""

    def street(self) -> str:
        return " ".join(part for part in (self.line1, self.line2) if part)


@dataclass(frozen=True, slots=True)
class Parcel:
    weight_g: int
    length_mm: int = 0  # 0: not measured
    width_mm: int = 0
    height_mm: int = 0
    description: str = ""


@dataclass(frozen=True, slots=True)
class Shipment:
    """What we ask a carrier to carry: our reference is the carrier's order id, so a retry is the same order."""

    reference: str
    sender: Address
    recipient: Address
    parcels: tuple[Parcel, ...]
    service: str | None = None  # the carrier's service or product code; None: the carrier's default
    contents: str = "goods"
    cod: Money | None = None  # cash on delivery to collect
    insurance: Money | None = None  # value to insure
    declared_value: Money | None = None  # customs value of the contents, for shipments across a border

    @property
    def weight_g(self) -> int:
        return sum(parcel.weight_g for parcel in self.parcels)


@dataclass(frozen=True, slots=True)
class Quote:
    service: str  # the carrier's code, to pass back as Shipment.service
    price: Money
    service_name: str = ""
    promised_days: int | None = None
    promised_by: datetime | None = None
    rate_id: str | None = None  # carriers that buy a quoted rate by id (EasyPost)


@dataclass(frozen=True, slots=True)
class Waybill:
    number: str  # the tracking number printed on the label
    carrier_order_id: str | None = None
    label_url: str | None = None
    label: bytes | None = None  # the label itself when the carrier sends it inline
    label_format: str | None = None  # "pdf", "png", "zpl"
    routing_code: str | None = None  # the carrier's sort code for the label (SF destCode, ZTO 大头笔)
    parcel_numbers: tuple[str, ...] = ()  # piece numbers under the waybill, where the carrier gives them


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    waybill_number: str
    state: str  # one of TRACKING_STATES
    at: datetime  # timezone-aware UTC
    carrier_code: str  # the carrier's own scan code, kept for people and for codes we map as "in_transit"
    description: str = ""
    location: str = ""


@runtime_checkable
class CarrierAdapter(Protocol):
    carrier: ClassVar[str]
    # The settings and secrets a carrier account must give, in snake_case; `base_url` is always optional.
    credential_fields: ClassVar[tuple[str, ...]]
    rate_limit: ClassVar[RateLimit]
    capabilities: ClassVar[frozenset[str]]
    push_ack: ClassVar[bytes]  # the body a push receiver answers with, as the carrier expects it

    def rate_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        """A signed request for the carrier's quotes for this shipment."""

    def parse_rates(self, payload: Mapping[str, Any]) -> list[Quote]:
        """The quotes in the carrier's answer."""

    def waybill_request(self, credentials: Mapping[str, str], shipment: Shipment) -> ApiRequest:
        """A signed request creating the shipment's waybill (and label, where the carrier makes one)."""

    def parse_waybill(self, payload: Mapping[str, Any]) -> Waybill:
        """The waybill in the carrier's answer; CarrierRefused when the carrier said no."""

    def tracking_request(self, credentials: Mapping[str, str], waybill_number: str,
                         phone: str | None = None) -> ApiRequest:
        """A signed tracking query; `phone` is the recipient's, for carriers that check its last digits."""

    def parse_tracking(self, payload: Mapping[str, Any], waybill_number: str) -> list[TrackingEvent]:
        """Every event in the carrier's answer to the query for `waybill_number`, oldest first."""

    def verify_push(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        """Raise SignatureInvalid unless the carrier signed this push (headers include query parameters)."""

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> list[TrackingEvent]:
        """The events a verified push carries, oldest first."""


def amount_text(money: Money) -> str:
    """A money amount in major units as carriers write it: "123.45" (as many decimals as the currency has)."""
    return str(Decimal(money.amount).scaleb(-minor_digits(money.currency)))


def form_fields(body: bytes) -> dict[str, str]:
    """A form-encoded body (as Chinese carriers push) as one value per field."""
    return {key: values[0] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}


def oldest_first(events: Sequence[TrackingEvent]) -> list[TrackingEvent]:
    return sorted(events, key=lambda event: (event.waybill_number, event.at))

"""Finance DTOs."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.text import StorableText


class StatementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: StorableText = Field(min_length=1, max_length=64, description="the channel's code")
    format: StorableText = Field(min_length=1, max_length=40, description="a format from GET /api/v1/finance/formats")
    content: StorableText = Field(min_length=1, description="the statement file's text, as the platform published it")


class UnreadableLineOut(BaseModel):
    line_no: int
    raw: str
    error: str


class StatementOut(BaseModel):
    id: str
    channel: str
    format: str
    lines: int = Field(description="lines kept, the unreadable ones included")
    unreadable: list[UnreadableLineOut] = Field(description="lines that could not be read, kept for a person")



class FeeTermsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    commission_pct: Decimal = Field(default=Decimal(0), ge=0, le=100, decimal_places=4,
                                    description="the platform's commission, % of the order's gross")
    fixed_per_order: int = Field(default=0, ge=0, le=2**31 - 1, description="minor units charged per order")
    payment_fee_pct: Decimal = Field(default=Decimal(0), ge=0, le=100, decimal_places=4,
                                     description="the payment processing fee, % of the gross")
    subsidy_pct: Decimal = Field(default=Decimal(0), ge=0, le=100, decimal_places=4,
                                 description="what the platform adds to the order's total, % (its own discounts)")
    effective_from: date | None = Field(default=None, description="the first day these terms apply; today if none")


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: StorableText = Field(min_length=1, max_length=2000, description="what was found and done")


class LandedCostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    asn: StorableText = Field(min_length=1, max_length=64, description="the shipment notice whose receipt it adds to")
    kind: StorableText = Field(description="freight, duty, insurance or other")
    amount: int = Field(gt=0, le=2**31 - 1, description="minor units, in the purchase order's currency")
    currency: StorableText = Field(min_length=3, max_length=3)
    basis: StorableText = Field(default="value", description="allocated over the receipt's units by value or "
                                                             "by quantity")
    note: StorableText = Field(default="", max_length=300)


class ReturnCostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_id: StorableText = Field(min_length=1, max_length=64, description="the return (RMA) it brought back")
    kind: StorableText = Field(description="shipping (the parcel back), handling (and restocking) or other")
    amount: int = Field(gt=0, le=2**31 - 1, description="minor units")
    currency: StorableText = Field(min_length=3, max_length=3)
    waybill_number: StorableText | None = Field(default=None, max_length=64, description="the parcel back's")
    note: StorableText = Field(default="", max_length=300)


class RateLine(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_currency: StorableText = Field(alias="from", min_length=3, max_length=3)
    to_currency: StorableText = Field(alias="to", min_length=3, max_length=3)
    day: date = Field(alias="date", description="the day the rate is for")
    rate: Decimal = Field(gt=0, description="units of `to` one unit of `from` is worth (a decimal, as a string)")


class ExchangeRatesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rates: list[RateLine] = Field(default_factory=list, max_length=10_000)
    source: StorableText = Field(default="recorded", max_length=200, description="where the rates come from")
    cost_currency: StorableText | None = Field(default=None, min_length=3, max_length=3,
                                               description="the currency costs are kept in from now on")


class CarrierBillIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    format: StorableText = Field(min_length=1, max_length=40, description="the bill's format: sf_monthly_bill")
    content: str = Field(min_length=1, description="the bill's text as the carrier published it")
    carrier: StorableText = Field(min_length=1, max_length=32, description="the hub's carrier code: sf_express")
    source: StorableText = Field(default="", max_length=200, description="the bill's name")
    start: datetime | None = Field(default=None, alias="from", description="the bill's period, from (UTC)")
    end: datetime | None = Field(default=None, alias="to", description="… until (exclusive)")


class CarrierChargeLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waybill_number: StorableText = Field(min_length=1, max_length=64)
    amount: int = Field(ge=0, le=2**31 - 1, description="what the carrier charged, minor units")
    currency: StorableText = Field(min_length=3, max_length=3)
    carrier: StorableText | None = Field(default=None, max_length=32)


class CarrierChargesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    charges: list[CarrierChargeLine] = Field(min_length=1, max_length=10_000)
    source: StorableText = Field(default="recorded", max_length=200, description="the carrier's bill it comes from")

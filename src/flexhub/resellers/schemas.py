"""Reseller request bodies: every amount an integer of minor units (a decimal is `request.not_minor_units`)."""

from datetime import date
from typing import Annotated, Self

from pydantic import Base64Bytes, BaseModel, ConfigDict, Field, model_validator

from flexhub.kernel import clock
from flexhub.kernel.money import MinorUnits

MAX_AMOUNT = 2**31 - 1
Amount = Annotated[MinorUnits, Field(ge=0, le=MAX_AMOUNT)]


class TermsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"currency": "CNY", "credit_limit": 5_000_000, "dropship_fee": 300, "storage_fee_per_unit_day": 2}]})

    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    credit_limit: Amount | None = Field(default=None, description="minor units; null: no limit")
    dropship_fee: Amount = Field(default=0, description="代发费 per order, minor units")
    storage_fee_per_unit_day: Amount = Field(default=0, description="仓储费 per consigned unit and day")


class PriceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    unit_price: Amount
    valid_from: date
    valid_to: date | None = Field(default=None, description="exclusive; null: until a later price")


class PricesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prices: list[PriceIn] = Field(max_length=10_000)


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Annotated[MinorUnits, Field(gt=0, le=MAX_AMOUNT)]
    reference: str = Field(min_length=1, max_length=120)
    paid_on: date | None = None

    @model_validator(mode="after")
    def _not_ahead(self) -> Self:
        if self.paid_on is not None and self.paid_on > date.today():
            raise ValueError("a payment is recorded once it is made")
        return self


class BrandIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "Lion City Tees", "phone": "+6561234567", "logo": "iVBORw0KGgo…"}]})

    name: str = Field(min_length=1, max_length=200, description="the sender buyers see on its parcels")
    phone: str = Field(default="", max_length=40)
    logo: Base64Bytes | None = Field(default=None, description="PNG or JPEG, base64, at most 200 kB; none: no logo")


class StorageChargeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date

    @model_validator(mode="after")
    def _past(self) -> Self:
        if self.day >= clock.now().date():
            raise ValueError("a day is charged once it is over")
        return self

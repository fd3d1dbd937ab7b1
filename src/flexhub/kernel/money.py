"""Money in integer minor units with an ISO 4217 currency; never floats."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

# Currencies whose minor unit is not 1/100 (ISO 4217); the rest use two decimals.
MINOR_DIGITS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3}
# ISO 4217 gives the rupiah two decimals, but no sen circulates and marketplaces (Shopee) price whole rupiah.
MINOR_DIGITS["IDR"] = 0


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("money amounts are integers in minor units")
        # isupper() alone lets digits through ("12A"); a code is three ASCII capital letters.
        code = self.currency
        if len(code) != 3 or not (code.isascii() and code.isalpha() and code.isupper()):
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, quantity: int) -> "Money":
        return Money(self.amount * quantity, self.currency)

    def _same_currency(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")


def minor_digits(currency: str) -> int:
    return MINOR_DIGITS.get(currency, 2)


def to_minor(amount: "str | int | float | Decimal", currency: str) -> int:
    """A decimal amount as a platform sends it ("19.99", 19.99, "1999" with 0 digits) in minor units.

    Rounds half up at the currency's minor unit; floats go through their shortest repr, never binary.
    """
    digits = minor_digits(currency)
    value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    return int((value * (Decimal(10) ** digits)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


NOT_MINOR_UNITS = "not_minor_units"  # the pydantic error type the API answers as `request.not_minor_units`


def whole_minor_units(value: object) -> object:
    """An amount as it crosses the API: a JSON integer of minor units. 99.00, "99.00" and true are refused, never
    read as 99 fen (pydantic's lax mode would take 99.0 as 99)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            NOT_MINOR_UNITS, "amounts are whole numbers of minor units (fen, cents): {value} is not one",
            {"value": value if isinstance(value, (int, float, str)) else type(value).__name__})
    return value


# An amount field of a request body: `MinorUnits` alone, or with `Field(ge=..., le=...)` beside it.
MinorUnits = Annotated[int, BeforeValidator(whole_minor_units)]

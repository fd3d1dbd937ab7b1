"""Money: integer minor units with a currency, never floats, never mixed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexhub.kernel.money import Money, minor_digits

amounts = st.integers(-10**12, 10**12)


def test_money_adds_subtracts_and_multiplies_in_minor_units() -> None:
    price = Money(9900, "CNY")
    assert price + Money(100, "CNY") == Money(10000, "CNY")
    assert price - Money(10000, "CNY") == Money(-100, "CNY")
    assert price.times(3) == Money(29700, "CNY")


def test_currencies_are_never_mixed() -> None:
    with pytest.raises(ValueError, match="cannot mix CNY and USD"):
        Money(100, "CNY") + Money(100, "USD")
    with pytest.raises(ValueError):
        Money(100, "CNY") - Money(100, "USD")


@pytest.mark.parametrize("amount", [99.0, "9900", True, None])
def test_amounts_are_integers(amount: object) -> None:
    with pytest.raises(TypeError):
        Money(amount, "CNY")  # type: ignore[arg-type]


@pytest.mark.parametrize("currency", ["cny", "CN", "CNYY", "", "12A", "C1Y", "ÄÖÜ"])
def test_currencies_are_iso_codes(currency: str) -> None:
    with pytest.raises(ValueError):
        Money(1, currency)


def test_money_is_a_value() -> None:
    assert Money(1, "EUR") == Money(1, "EUR")
    assert len({Money(1, "EUR"), Money(1, "EUR"), Money(1, "USD")}) == 2
    with pytest.raises(AttributeError):
        Money(1, "EUR").amount = 2  # type: ignore[misc]


@pytest.mark.parametrize(("currency", "digits"), [("CNY", 2), ("USD", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3)])
def test_minor_digits_follow_iso_4217(currency: str, digits: int) -> None:
    assert minor_digits(currency) == digits


@given(amounts, amounts, st.integers(0, 1000))
def test_money_arithmetic_is_exact(a: int, b: int, quantity: int) -> None:
    x, y = Money(a, "CNY"), Money(b, "CNY")
    assert (x + y) - y == x
    assert x + y == y + x
    assert x.times(quantity).amount == a * quantity

"""Converting amounts between currencies with the exchange rates a person recorded (pure: no database).

A rate says how many units of `to` one unit of `from` is worth on a day (1 SGD = 5.3921 CNY); it converts both
ways (CNY → SGD by dividing). An amount is converted with the rate of its day: the one recorded for that day, else
the latest recorded in the `STALE_DAYS` days before it (markets close at weekends and holidays). With none, the
conversion is missing — never 1.0: `Rates.missing` collects every (from, to, day) that had none, and
`Rates.check` raises `finance.missing_exchange_rate` naming them."""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flexhub.finance.errors import MissingExchangeRate
from flexhub.kernel.money import minor_digits

STALE_DAYS = 7
DEFAULT_COST_CURRENCY = "CNY"


class Rates:
    def __init__(self, rows: Iterable[tuple[str, str, date, Decimal]]) -> None:
        """`rows`: (from, to, day, rate)."""
        found: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(dict)
        for source, target, day, rate in rows:
            found[(source, target)][day] = Decimal(rate)
            found[(target, source)].setdefault(day, 1 / Decimal(rate))  # a rate recorded that way round wins
        self._days = {pair: sorted(by_day) for pair, by_day in found.items()}
        self._rates = dict(found)
        self.missing: set[tuple[str, str, date]] = set()

    def rate(self, source: str, target: str, day: date) -> Decimal | None:
        """Units of `target` one unit of `source` is worth on `day`; None (and noted as missing) without a rate."""
        if source == target:
            return Decimal(1)
        days = self._days.get((source, target), [])
        at = bisect_right(days, day)
        if at and days[at - 1] > day - timedelta(days=STALE_DAYS + 1):
            return self._rates[(source, target)][days[at - 1]]
        self.missing.add((source, target, day))
        return None

    def convert(self, amount: int, source: str, target: str, day: date) -> int | None:
        """`amount` (minor units of `source`) in minor units of `target`, rounded half away from zero; None
        without a rate."""
        rate = self.rate(source, target, day)
        if rate is None:
            return None
        if source == target:
            return amount
        scaled = Decimal(amount) * rate * Decimal(10) ** (minor_digits(target) - minor_digits(source))
        return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def check(self) -> None:
        """Raise `finance.missing_exchange_rate` if any conversion had no rate, naming each (first 50)."""
        if self.missing:
            wanted = sorted(self.missing)
            raise MissingExchangeRate(
                f"no exchange rate {wanted[0][0]} → {wanted[0][1]} on or up to {STALE_DAYS} days before "
                f"{wanted[0][2]}" + (f" (and {len(wanted) - 1} more)" if len(wanted) > 1 else "")
                + ": record it with PUT /api/v1/finance/exchange-rates",
                missing=[{"from": s, "to": t, "date": d.isoformat()} for s, t, d in wanted[:50]])

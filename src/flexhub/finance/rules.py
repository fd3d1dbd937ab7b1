"""Pure finance decisions: what a channel's fee terms allow, and the reconciliation of statement lines against
the hub's orders.

Every statement line ends up exactly once: matched (to an order's payout, a refund the hub knows, a fee within
terms, an adjustment or a payout to the bank) or in one difference. An order's lines are judged together:

- sale lines are grouped into payout events; a part of the order (an item, a sub-order) paid by a second event
  is a `duplicate_payout` (the extra event's lines);
- the first events' gross must be the order's total (plus the platform's subsidy when the terms name one), else
  `amount_mismatch`; a cancelled order paid out with no refund is one too;
- their fees, with the order's fee lines, may not pass what the terms allow (one minor unit of rounding a part),
  else `fee_above_rate`;
- a refund the hub does not know (no cancel, no return, no refunded payment state) is `refund_not_in_hub`;
- an accepted order of the period with no sale line is `missing_payout` (its fee lines go with it);
- lines naming an order the hub does not have are `unknown_order`; an unreadable line, or a sale, refund or fee
  naming no order, is `other`.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flexhub.finance.formats.lines import FEE, ORDER_KINDS, REFUND, SALE, UNREADABLE, StatementLine

MISSING_PAYOUT = "missing_payout"
AMOUNT_MISMATCH = "amount_mismatch"
UNKNOWN_ORDER = "unknown_order"
DUPLICATE_PAYOUT = "duplicate_payout"
FEE_ABOVE_RATE = "fee_above_rate"
REFUND_NOT_IN_HUB = "refund_not_in_hub"
OTHER = "other"
DIFFERENCE_KINDS = (MISSING_PAYOUT, AMOUNT_MISMATCH, UNKNOWN_ORDER, DUPLICATE_PAYOUT, FEE_ABOVE_RATE, REFUND_NOT_IN_HUB,
                    OTHER)
PPM = 1_000_000  # rates are kept in parts per million of an amount: 2.9 % is 29,000


def share(amount: int, ppm: int) -> int:
    """`ppm` parts per million of `amount`, rounded half up to a minor unit."""
    return int((Decimal(amount) * ppm / PPM).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ppm_of(percent: Decimal) -> int:
    """A percentage (2.9) in parts per million (29,000); finer than a ten-thousandth of a percent is refused."""
    value = percent * PPM / 100
    if value != value.to_integral_value() or not 0 <= value <= PPM:
        raise ValueError(f"{percent} % is not a rate between 0 and 100 with at most 4 decimals")
    return int(value)


@dataclass(frozen=True, slots=True)
class FeeTerms:
    """What a channel charges an order: a commission and a payment fee (each a share of the gross) and a fixed
    amount per order; `subsidy_ppm` is the share the platform adds to the order's total (its own discounts)."""

    commission_ppm: int = 0
    payment_fee_ppm: int = 0
    fixed_per_order: int = 0
    subsidy_ppm: int = 0

    def allowed_fee(self, gross: int) -> int:
        return share(gross, self.commission_ppm) + share(gross, self.payment_fee_ppm) + self.fixed_per_order

    def expected_gross(self, total: int) -> int:
        return total + share(total, self.subsidy_ppm)


def terms_on(versions: Sequence[tuple[date, FeeTerms]], day: date) -> FeeTerms | None:
    """The version in force on `day`: the latest taking effect on or before it (`versions` oldest first)."""
    found = None
    for effective_from, terms in versions:
        if effective_from <= day:
            found = terms
    return found


def default_period(line_times: Iterable[datetime],
                   placed_times: Iterable[datetime]) -> tuple[datetime, datetime] | None:
    """The period a channel's statements cover when none is asked for, in whole UTC days: from the earliest of
    their lines and of the orders they pay being placed, to the day after their last line."""
    lines = [t for t in line_times if t is not None]
    if not lines:
        return None
    start = min([*lines, *placed_times]).astimezone(UTC).date()
    end = max(lines).astimezone(UTC).date() + timedelta(days=1)
    return _midnight(start), _midnight(end)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What reconciliation reads of a hub order. `accepted`: paid and not cancelled, so a payout is owed;
    `refund_known`: the hub has it cancelled, returned or refunded; `in_period`: placed in the period reconciled."""

    external_id: str
    total: int
    currency: str
    accepted: bool = True
    cancelled: bool = False
    refund_known: bool = False
    in_period: bool = True
    terms: FeeTerms | None = None

    def expected_gross(self) -> int:
        return self.terms.expected_gross(self.total) if self.terms else self.total


# A store sale's orders are `<sale>-T`, `-P` and `-S` (taken now, picked up, shipped: stores.rules.SUFFIX), paid by
# one gateway trade (WeChat Pay, Alipay) that names the sale: its bill's lines are judged against the sale's orders
# together, as one order.
CHECKOUT_WAYS = ("T", "P", "S")
_CHECKOUT = re.compile(r"^[0-9a-f]{32}$")
_CHECKOUT_ORDER = re.compile(r"^([0-9a-f]{32})-[TPS]$")


def checkout_orders(external_id: str) -> list[str]:
    """The external ids a sale's orders would have, when `external_id` is a store sale's number."""
    return [f"{external_id}-{way}" for way in CHECKOUT_WAYS] if _CHECKOUT.fullmatch(external_id) else []


def checkout_of(external_id: str) -> str:
    """The sale's number for one of its orders; any other order's own external id."""
    found = _CHECKOUT_ORDER.fullmatch(external_id)
    return found.group(1) if found else external_id


def by_checkout(orders: Mapping[str, OrderFacts]) -> dict[str, OrderFacts]:
    """The orders by external id, a store sale's orders joined under the sale's number: their totals added, paid
    out if any is, cancelled if all are, a refund known if any has one."""
    joined: dict[str, OrderFacts] = {}
    for external_id, facts in sorted(orders.items()):
        key = checkout_of(external_id)
        seen = joined.get(key)
        joined[key] = replace(facts, external_id=key) if seen is None else replace(
            seen, total=seen.total + facts.total, accepted=seen.accepted or facts.accepted,
            cancelled=seen.cancelled and facts.cancelled, refund_known=seen.refund_known or facts.refund_known,
            in_period=seen.in_period or facts.in_period)
    return joined


@dataclass(frozen=True, slots=True)
class Difference:
    """One thing a person must look at. `lines` are the positions of the statement lines it holds."""

    kind: str
    external_id: str | None
    expected: int | None
    actual: int | None
    reason: str
    lines: tuple[int, ...] = ()
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class Reconciled:
    matched: tuple[int, ...]
    differences: tuple[Difference, ...]


Indexed = list[tuple[int, StatementLine]]


def reconcile(lines: Sequence[StatementLine], orders: Mapping[str, OrderFacts]) -> Reconciled:
    """Every line of `lines` (by position) matched or in exactly one difference; `orders` by external id."""
    matched: list[int] = []
    differences: list[Difference] = []
    by_order: dict[str, Indexed] = defaultdict(list)
    for position, line in enumerate(lines):
        if line.kind == UNREADABLE:
            differences.append(Difference(OTHER, None, None, None, f"line {line.line_no} could not be read: "
                                          f"{line.error}; its text is kept for a person", (position,)))
        elif line.external_id is not None:
            by_order[line.external_id].append((position, line))
        elif line.kind in ORDER_KINDS:
            differences.append(Difference(OTHER, None, None, line.amount, f"line {line.line_no} is a {line.kind} "
                                          "that names no order", (position,), line.currency))
        else:
            matched.append(position)
    for external_id, items in by_order.items():
        order = orders.get(external_id)
        if order is None:
            differences.append(_unknown(external_id, items))
            continue
        order_matched, order_differences = _judge(order, items)
        matched += order_matched
        differences += order_differences
    differences += [_missing(order, []) for order in orders.values()
                    if order.external_id not in by_order and _owes_payout(order)]
    ordered = sorted(differences, key=lambda d: (DIFFERENCE_KINDS.index(d.kind), d.external_id or "", d.lines))
    return Reconciled(tuple(sorted(matched)), tuple(ordered))


def _owes_payout(order: OrderFacts) -> bool:
    return order.accepted and order.in_period


def _judge(order: OrderFacts, items: Indexed) -> tuple[list[int], list[Difference]]:
    """One known order's lines: refunds, then payout events, then fees."""
    matched: list[int] = []
    differences: list[Difference] = []
    refunds = [(p, line) for p, line in items if line.kind == REFUND]
    if refunds and not order.refund_known:
        refunded = -sum(line.amount for _, line in refunds)
        differences.append(Difference(REFUND_NOT_IN_HUB, order.external_id, 0, refunded, "the platform refunded "
                                      "the buyer but the hub has no cancellation, return or refund for the order",
                                      _positions(refunds), order.currency))
    elif refunds:
        matched += _positions(refunds)
    fees = [(p, line) for p, line in items if line.kind == FEE]
    primary, duplicates = _events([(p, line) for p, line in items if line.kind == SALE])
    matched += [p for p, line in items if line.kind not in (SALE, REFUND, FEE)]  # adjustments naming the order
    if duplicates:
        differences.append(_duplicate(order, primary, duplicates))
    if not primary:
        if _owes_payout(order):
            differences.append(_missing(order, fees))
        elif fees and order.cancelled:
            differences.append(Difference(OTHER, order.external_id, 0, sum(line.fee for _, line in fees),
                                          "fees were charged on an order the hub cancelled", _positions(fees),
                                          order.currency))
        else:
            matched += _positions(fees)  # fees on an order paid out before the period
        return matched, differences
    found = _payout_difference(order, primary, fees, refunded=bool(refunds))
    if found is None:
        matched += _positions(primary + fees)
    else:
        differences.append(found)
    return matched, differences


def _events(sales: Indexed) -> tuple[Indexed, Indexed]:
    """Sale lines split into the first event paying each part of the order, and events paying a part again."""
    events: dict[str, Indexed] = {}
    for position, line in sales:
        events.setdefault(line.event or f"#{position}", []).append((position, line))
    covered: set[str] = set()
    primary: Indexed = []
    duplicates: Indexed = []
    for event in events.values():  # in the order their first line appears
        parts = {line.part for _, line in event}
        if parts & covered:
            duplicates += event
        else:
            covered |= parts
            primary += event
    return primary, duplicates


def _payout_difference(order: OrderFacts, primary: Indexed, fees: Indexed, *, refunded: bool) -> Difference | None:
    gross = sum(line.amount for _, line in primary)
    lines = _positions(primary + fees)
    expected = order.expected_gross()
    currencies = sorted({line.currency for _, line in primary + fees if line.currency})
    if set(currencies) - {order.currency}:
        return Difference(AMOUNT_MISMATCH, order.external_id, expected, gross,
                          f"paid in {', '.join(currencies)} where the order is in {order.currency}", lines,
                          order.currency)
    if order.cancelled and not refunded:
        return Difference(AMOUNT_MISMATCH, order.external_id, 0, gross, "the hub cancelled the order but the "
                          "platform paid it out with no refund", lines, order.currency)
    if gross != expected:
        return Difference(AMOUNT_MISMATCH, order.external_id, expected, gross,
                          f"paid {gross} where the order's total is {expected}", lines, order.currency)
    if order.terms is None:
        return None
    charged = sum(line.fee for _, line in primary + fees)
    allowed = order.terms.allowed_fee(gross)
    parts = len({line.part for _, line in primary})
    if charged > allowed + parts:  # each part's fee may have been rounded on its own
        return Difference(FEE_ABOVE_RATE, order.external_id, allowed, charged,
                          f"fees of {charged} where the channel's terms allow {allowed}", lines, order.currency)
    return None


def _duplicate(order: OrderFacts, primary: Indexed, duplicates: Indexed) -> Difference:
    paid = sum(line.amount for _, line in primary + duplicates)
    return Difference(DUPLICATE_PAYOUT, order.external_id, order.expected_gross(), paid,
                      "the same part of the order is paid by more than one payout", _positions(duplicates),
                      order.currency)


def _missing(order: OrderFacts, fees: Indexed) -> Difference:
    reason = "an accepted order of the period with no payout in the statements"
    if fees:
        reason = "fees were charged on the order but it was never paid out"
    return Difference(MISSING_PAYOUT, order.external_id, order.expected_gross(), 0, reason, _positions(fees),
                      order.currency)


def _unknown(external_id: str, items: Indexed) -> Difference:
    currency = next((line.currency for _, line in items if line.currency), None)
    return Difference(UNKNOWN_ORDER, external_id, 0, sum(line.amount for _, line in items),
                      "the statement names an order the hub does not have", _positions(items), currency)


def _positions(items: Indexed) -> tuple[int, ...]:
    return tuple(sorted(p for p, _ in items))


LANDED_KINDS = ("freight", "duty", "insurance", "other")
BASES = ("value", "quantity")
RETURN_COST_KINDS = ("shipping", "handling", "other")


def currency_code(code: str) -> bool:
    """Three ASCII capital letters, as ISO 4217 codes are."""
    return len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()


def exchange_rate(rate: Decimal) -> bool:
    """A rate as kept: above 0, finite, at most 10 decimals and 20 digits in all."""
    if not rate.is_finite() or rate <= 0:
        return False
    exponent = int(rate.as_tuple().exponent)
    return exponent >= -10 and len(rate.as_tuple().digits) + max(exponent, 0) <= 20


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` (at least 0) split in proportion to `weights` (equally when they are all 0), the units left over
    going to the largest remainders first (the earlier on a tie), so the parts add up to it exactly."""
    if not weights:
        return []
    weights = list(weights) if any(weights) else [1] * len(weights)
    total = sum(weights)
    parts = [amount * w // total for w in weights]
    for n in sorted(range(len(weights)), key=lambda n: (-(amount * weights[n] % total), n))[:amount - sum(parts)]:
        parts[n] += 1
    return parts

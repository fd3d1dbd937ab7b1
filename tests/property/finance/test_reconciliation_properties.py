"""Reconciliation as properties of the pure rules:

- whatever the lines and orders, every line is matched or in exactly one difference, never both, never twice;
- a statement that pays every order exactly (split into parts and events, fees within terms, fee lines apart,
  refunds of orders the hub cancelled or took back, payouts and adjustments) yields no difference at all;
- planting one difference of a kind into such a statement yields exactly that difference, for that order.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from flexhub.finance.formats.lines import ADJUSTMENT, FEE, KINDS, PAYOUT, REFUND, SALE, UNREADABLE, StatementLine
from flexhub.finance.rules import (
    AMOUNT_MISMATCH,
    DUPLICATE_PAYOUT,
    FEE_ABOVE_RATE,
    MISSING_PAYOUT,
    OTHER,
    REFUND_NOT_IN_HUB,
    UNKNOWN_ORDER,
    FeeTerms,
    OrderFacts,
    Reconciled,
    reconcile,
)

CURRENCY = "CNY"
terms = st.builds(FeeTerms, commission_ppm=st.integers(0, 300_000), payment_fee_ppm=st.integers(0, 30_000),
                  fixed_per_order=st.integers(0, 500), subsidy_ppm=st.integers(0, 100_000))


@st.composite
def any_orders(draw: st.DrawFn) -> dict[str, OrderFacts]:
    found = {}
    for n in range(draw(st.integers(0, 6))):
        cancelled = draw(st.booleans())
        found[f"O{n}"] = OrderFacts(
            external_id=f"O{n}", total=draw(st.integers(0, 100_000)), currency=draw(st.sampled_from(["CNY", "USD"])),
            accepted=not cancelled and draw(st.booleans()), cancelled=cancelled,
            refund_known=cancelled or draw(st.booleans()), in_period=draw(st.booleans()),
            terms=draw(st.none() | terms))
    return found


@st.composite
def any_lines(draw: st.DrawFn, ids: list[str]) -> list[StatementLine]:
    lines = []
    for n in range(draw(st.integers(0, 25))):
        lines.append(StatementLine(
            line_no=n + 1, raw=f"row {n}", kind=draw(st.sampled_from(KINDS)),
            external_id=draw(st.none() | st.sampled_from([*ids, "ELSEWHERE"])),
            amount=draw(st.integers(-50_000, 50_000)), fee=draw(st.integers(-500, 5_000)),
            currency=draw(st.sampled_from([None, "CNY", "USD"])), event=draw(st.none() | st.sampled_from("abc")),
            part=draw(st.sampled_from(["", "p1", "p2"])), error=draw(st.none() | st.just("bad"))))
    return lines


def assert_each_line_once(lines: list[StatementLine], result: Reconciled) -> None:
    held = Counter(result.matched)
    for difference in result.differences:
        held.update(difference.lines)
    assert held == Counter(range(len(lines)))


@given(st.data())
def test_every_line_is_matched_or_in_exactly_one_difference(data: st.DataObject) -> None:
    orders = data.draw(any_orders())
    lines = data.draw(any_lines(sorted(orders)))

    result = reconcile(lines, orders)

    assert_each_line_once(lines, result)
    unreadable = {p for p, line in enumerate(lines) if line.kind == UNREADABLE}
    assert unreadable <= {p for d in result.differences if d.kind == OTHER for p in d.lines}
    named = [(d.kind, d.external_id) for d in result.differences if d.kind != OTHER]
    assert len(named) == len(set(named))  # an order has at most one difference of a kind


def split(total: int, pieces: int, draw: st.DrawFn) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=pieces - 1, max_size=pieces - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@st.composite
def exact_statements(draw: st.DrawFn) -> tuple[list[StatementLine], dict[str, OrderFacts]]:
    """Orders the hub holds and lines paying each exactly, in any order, with payouts and adjustments between."""
    orders: dict[str, OrderFacts] = {}
    lines: list[StatementLine] = []
    for n in range(draw(st.integers(1, 5))):
        order_id = f"O{n}"
        state = draw(st.sampled_from(["accepted", "returned", "cancelled"]))
        order = OrderFacts(order_id, draw(st.integers(0, 100_000)), CURRENCY, accepted=state != "cancelled",
                           cancelled=state == "cancelled", refund_known=state != "accepted", terms=draw(terms))
        orders[order_id] = order
        lines += draw(exact_payout(order))
    lines += [StatementLine(line_no=0, raw="payout", kind=draw(st.sampled_from([PAYOUT, ADJUSTMENT])),
                            amount=draw(st.integers(-10_000, 10_000))) for _ in range(draw(st.integers(0, 3)))]
    shuffled = draw(st.permutations(lines))
    return [replace(line, line_no=n + 1) for n, line in enumerate(shuffled)], orders


@st.composite
def exact_payout(draw: st.DrawFn, order: OrderFacts) -> list[StatementLine]:
    assert order.terms is not None
    gross = order.expected_gross()
    parts = draw(st.integers(1, 3))
    one_event = draw(st.booleans())  # Amazon's rows of one shipment, or one payout per part (Douyin)
    amounts = split(gross, parts, draw)
    fees = split(draw(st.integers(0, order.terms.allowed_fee(gross))), parts + 1, draw)
    lines = [StatementLine(line_no=0, raw="sale", kind=SALE, external_id=order.external_id, amount=amount,
                           fee=fee, currency=CURRENCY, event=f"{order.external_id}/e" if one_event else None,
                           part=f"p{n}") for n, (amount, fee) in enumerate(zip(amounts, fees, strict=False))]
    if fees[-1]:
        lines.append(StatementLine(line_no=0, raw="fee", kind=FEE, external_id=order.external_id, fee=fees[-1],
                                   currency=CURRENCY))
    if order.refund_known:
        refunded = draw(st.integers(0, gross))
        lines.append(StatementLine(line_no=0, raw="refund", kind=REFUND, external_id=order.external_id,
                                   amount=-refunded, fee=-draw(st.integers(0, fees[0])), currency=CURRENCY))
    return lines


@given(exact_statements())
def test_a_statement_paying_every_order_exactly_has_no_difference(statement: tuple) -> None:
    lines, orders = statement

    result = reconcile(lines, orders)

    assert result.differences == ()
    assert result.matched == tuple(range(len(lines)))


def plant_missing_payout(lines: list[StatementLine], orders: dict[str, OrderFacts], target: OrderFacts,
                         draw: st.DrawFn) -> list[StatementLine]:
    orders[target.external_id] = replace(target, accepted=True, cancelled=False)
    return [line for line in lines if line.external_id != target.external_id or line.kind == REFUND]


def plant_amount_mismatch(lines: list[StatementLine], orders: dict[str, OrderFacts], target: OrderFacts,
                          draw: st.DrawFn) -> list[StatementLine]:
    sale = next(p for p, line in enumerate(lines) if line.kind == SALE and line.external_id == target.external_id)
    changed = lines[sale].amount + draw(st.integers(-1_000, 1_000).filter(bool))
    return [replace(line, amount=changed) if p == sale else line for p, line in enumerate(lines)]


def plant_unknown_order(lines: list[StatementLine], orders: dict[str, OrderFacts], target: OrderFacts,
                        draw: st.DrawFn) -> list[StatementLine]:
    return [*lines, StatementLine(line_no=0, raw="stranger", kind=draw(st.sampled_from([SALE, REFUND, FEE])),
                                  external_id="NOT-OURS", amount=draw(st.integers(-1_000, 1_000)))]


def plant_duplicate_payout(lines: list[StatementLine], orders: dict[str, OrderFacts], target: OrderFacts,
                           draw: st.DrawFn) -> list[StatementLine]:
    sale = next(line for line in lines if line.kind == SALE and line.external_id == target.external_id)
    return [*lines, replace(sale, event="paid again")]


def plant_fee_above_rate(lines: list[StatementLine], orders: dict[str, OrderFacts], target: OrderFacts,
                         draw: st.DrawFn) -> list[StatementLine]:
    assert target.terms is not None
    charged = sum(line.fee for line in lines if line.external_id == target.external_id and line.kind in (SALE, FEE))
    parts = len({line.part for line in lines if line.external_id == target.external_id and line.kind == SALE})
    excess = target.terms.allowed_fee(target.expected_gross()) + parts - charged + draw(st.integers(1, 1_000))
    return [*lines, StatementLine(line_no=0, raw="more fees", kind=FEE, external_id=target.external_id,
                                  fee=excess, currency=CURRENCY)]


def plant_refund_not_in_hub(lines: list[StatementLine], orders: dict[str, OrderFacts], target: OrderFacts,
                            draw: st.DrawFn) -> list[StatementLine]:
    orders[target.external_id] = replace(target, accepted=True, cancelled=False, refund_known=False)
    return [*lines, StatementLine(line_no=0, raw="refund", kind=REFUND, external_id=target.external_id,
                                  amount=-draw(st.integers(1, 10_000)), currency=CURRENCY)]


def plant_other(lines: list[StatementLine], orders: dict[str, OrderFacts], target: OrderFacts,
                draw: st.DrawFn) -> list[StatementLine]:
    return [*lines, StatementLine(line_no=0, raw="#garbled", kind=UNREADABLE, error="not an amount")]


PLANTS: dict[str, tuple[Callable[..., list[StatementLine]], bool]] = {  # kind: (planting, names the order)
    MISSING_PAYOUT: (plant_missing_payout, True), AMOUNT_MISMATCH: (plant_amount_mismatch, True),
    UNKNOWN_ORDER: (plant_unknown_order, False), DUPLICATE_PAYOUT: (plant_duplicate_payout, True),
    FEE_ABOVE_RATE: (plant_fee_above_rate, True), REFUND_NOT_IN_HUB: (plant_refund_not_in_hub, True),
    OTHER: (plant_other, False),
}


@given(exact_statements(), st.sampled_from(sorted(PLANTS)), st.data())
def test_one_planted_difference_is_found_alone(statement: tuple, kind: str, data: st.DataObject) -> None:
    lines, orders = statement
    target = data.draw(st.sampled_from(sorted(orders.values(), key=lambda o: o.external_id)))
    plant, names_order = PLANTS[kind]
    planted = plant(lines, orders, target, data.draw)

    result = reconcile(planted, orders)

    assert [d.kind for d in result.differences] == [kind]
    assert result.differences[0].external_id == (target.external_id if names_order else
                                                 ("NOT-OURS" if kind == UNKNOWN_ORDER else None))
    assert_each_line_once(planted, result)

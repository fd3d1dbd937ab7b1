"""The test oracle for profit: the same figures as `finance.profit` (DuckDB), computed order by order in plain
Python from the same queries, so a test can check one against the other on any data it makes. Not used by the
application.

    revenue (lines at their price + the shipping the buyer paid) − discounts − platform fees − cost of goods
    − shipping − refunds − return costs = gross profit;  margin = gross profit / (revenue − discounts − refunds)

Platform fees and refunds come from the channel's statements when a statement names the order, else from the
channel's fee terms of the order's day and the hub's refunded payment state. Cost of goods (the units shipped less
those returned to stock or written off), return costs, carriers' charges and the rate card's price come converted
to the order's currency per order and SKU from `finance.order_costs` (shared with profit); shipping is the charge
when one is known, else the rate card's. Per SKU and category, order-level amounts are shared over the order's
lines by their value and per-SKU amounts over the lines of the SKU by quantity, to the minor unit."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection

from flexhub.finance import order_costs, profit_queries, queries, rules
from flexhub.finance.profit import FIGURES, LINE_DIMENSIONS, checked
from flexhub.finance.profit_queries import ALL_SHIPPED, PLACED, SHIPPED
from flexhub.kernel.clock import as_utc


@dataclass(frozen=True, slots=True)
class LineSale:
    sku: str
    category: str | None
    quantity: int
    unit_price: int
    discount: int
    cogs: int
    return_costs: int


@dataclass(frozen=True, slots=True)
class Sale:
    """An order as profit reads it: its keys, its lines, and the amounts that belong to the whole order."""

    keys: dict[str, str | None]  # channel, store, streamer, live_room, day, month
    currency: str
    lines: tuple[LineSale, ...]
    shipping_fee: int  # paid by the buyer
    order_discount: int
    platform_fees: int
    shipping: int  # paid to the carrier
    refunds: int


def figures(sale: Sale) -> list[tuple[LineSale | None, dict[str, int]]]:
    """The order's figures per line (order-level amounts shared by line value), and (None, totals)."""
    weights = [max(line.quantity * line.unit_price - line.discount, 0) for line in sale.lines]
    shared = {name: share(amount, weights) for name, amount in (
        ("shipping_fee", sale.shipping_fee), ("order_discount", sale.order_discount),
        ("platform_fees", sale.platform_fees), ("shipping", sale.shipping), ("refunds", sale.refunds))}
    per_line = []
    for n, line in enumerate(sale.lines):
        per_line.append((line, {
            "revenue": line.quantity * line.unit_price + shared["shipping_fee"][n],
            "discounts": line.discount + shared["order_discount"][n],
            "platform_fees": shared["platform_fees"][n], "cogs": line.cogs, "shipping": shared["shipping"][n],
            "refunds": shared["refunds"][n], "return_costs": line.return_costs}))
    totals = {name: sum(f[name] for _, f in per_line) for name in FIGURES}
    return [*per_line, (None, totals)]


def share(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` split in proportion to `weights` (equally when they are all 0), largest remainders first, so the
    parts add up to it exactly."""
    if not weights:
        return []
    if amount < 0:
        return [-part for part in share(-amount, weights)]
    weights = list(weights) if any(weights) else [1] * len(weights)
    total = sum(weights)
    parts = [amount * w // total for w in weights]
    order = sorted(range(len(weights)), key=lambda n: (-(amount * weights[n] % total), n))
    for n in order[:amount - sum(parts)]:
        parts[n] += 1
    return parts


def rows(sales: Iterable[Sale], by: str) -> list[dict[str, Any]]:
    """One row per key of `by` and currency, with gross profit and margin."""
    sums: dict[tuple[str | None, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for sale in sales:
        for line, found in figures(sale):
            if (line is None) == (by in LINE_DIMENSIONS):
                continue
            key = (line.sku if by == "sku" else line.category) if line is not None else sale.keys[by]
            total = sums[(key, sale.currency)]
            for name in FIGURES:
                total[name] += found[name]
    return [_row(key, currency, total) for (key, currency), total in
            sorted(sums.items(), key=lambda item: (item[0][0] is None, item[0][0] or "", item[0][1]))]


def _row(key: str | None, currency: str, total: dict[str, int]) -> dict[str, Any]:
    gross_profit = total["revenue"] - total["discounts"] - total["platform_fees"] - total["cogs"] \
        - total["shipping"] - total["refunds"] - total["return_costs"]
    net = total["revenue"] - total["discounts"] - total["refunds"]
    return {"key": key, "currency": currency, **total, "gross_profit": gross_profit,
            "margin": round(gross_profit / net, 4) if net > 0 else None}


def oracle_view(connection: Connection, tenant_id: uuid.UUID, by: str, start: datetime | None = None,
                end: datetime | None = None, basis: str = SHIPPED) -> dict[str, Any]:
    start, end = checked(by, start, end, basis)
    return {"by": by, "basis": basis, "from": start, "to": end,
            "rows": rows(sales(connection, tenant_id, start, end, basis), by)}


def sales(connection: Connection, tenant_id: uuid.UUID, start: datetime | None, end: datetime | None,
          basis: str = SHIPPED) -> list[Sale]:
    """The orders booked in the period on `basis` with everything profit needs, read through `queries`."""
    orders = _booked(connection, tenant_id, start, end, basis)
    ids = [order.id for order in orders]
    lines = profit_queries.profit_lines(connection, tenant_id, ids)
    settled = profit_queries.settled_amounts(connection, tenant_id, [(o.channel_id, o.external_id) for o in orders])
    spent = order_costs.order_costs(connection, tenant_id, {str(o.id): (o.currency, as_utc(o.placed).date())
                                                            for o in orders})
    cogs, back = _per_order(spent.cogs), _per_order(spent.returned)
    terms = {channel_id: [(v.effective_from, rules.FeeTerms(v.commission_ppm, v.payment_fee_ppm, v.fixed_per_order,
                                                            v.subsidy_ppm))
                          for v in queries.fee_terms(connection, tenant_id, channel_id)]
             for channel_id in {order.channel_id for order in orders}}
    found = []
    for order in orders:
        placed, booked = as_utc(order.placed), as_utc(order.booked)
        statement = settled.get((order.channel_id, order.external_id))
        if statement is not None:
            fees, refunds = statement
        else:
            in_force = rules.terms_on(terms[order.channel_id], placed.date())
            fees = in_force.allowed_fee(order.total) if in_force else 0
            refunds = order.total if order.payment_state == "refunded" else 0
        found.append(Sale(
            keys={"channel": order.platform, "store": order.channel, "streamer": order.streamer,
                  "live_room": order.live_room, "day": booked.date().isoformat(), "month": booked.strftime("%Y-%m")},
            currency=order.currency, lines=_lines(lines.get(order.id, []), cogs.get(str(order.id), {}),
                                                  back.get(str(order.id), {})),
            shipping_fee=order.shipping_fee, order_discount=order.discount_total - sum(
                line.discount for line in lines.get(order.id, [])), platform_fees=fees,
            shipping=spent.charged.get(str(order.id), spent.routed.get(str(order.id), 0)), refunds=refunds))
    return found


def _booked(connection: Connection, tenant_id: uuid.UUID, start: datetime | None, end: datetime | None,
            basis: str) -> list[Any]:
    """The orders booked in the period, chosen here one by one from every order not cancelled: on basis `shipped`
    those whose every unit left (shipped, delivered or closed), booked when their last shipment left."""
    every = profit_queries.profit_orders(connection, tenant_id, None, None, PLACED)
    left = profit_queries.last_shipped(connection, tenant_id, [order.id for order in every])
    found = []
    for order in every:
        if basis == SHIPPED and (order.status not in ALL_SHIPPED or order.id not in left):
            continue
        booked = as_utc(left[order.id] if basis == SHIPPED else order.placed)
        if (start is None or booked >= start) and (end is None or booked < end):
            found.append(SimpleNamespace(**{**order._asdict(), "booked": booked}))
    return sorted(found, key=lambda order: (order.booked, order.id))


PerSku = dict[str, dict[uuid.UUID, int]]


def _per_order(amounts: dict[tuple[str, uuid.UUID], int]) -> PerSku:
    found: PerSku = defaultdict(dict)
    for (order_id, sku_id), amount in amounts.items():
        found[order_id][sku_id] = amount
    return found


def _lines(rows: list[Any], cogs: dict[uuid.UUID, int], spent: dict[uuid.UUID, int]) -> tuple[LineSale, ...]:
    """The order's lines with their cost of goods and return costs."""
    return tuple(LineSale(row.sku_code, row.category, row.quantity, row.unit_price, row.discount, cost, back)
                 for row, cost, back in zip(rows, _per_line(rows, cogs), _per_line(rows, spent), strict=True))


def _per_line(rows: list[Any], amounts: dict[uuid.UUID, int]) -> list[int]:
    """Per SKU amounts on the order's lines: their SKU's, shared by quantity among the lines selling it, and what
    is left (a bundle's components) shared by line value."""
    by_sku: dict[uuid.UUID, list[int]] = defaultdict(list)
    for n, row in enumerate(rows):
        by_sku[row.sku_id].append(n)
    own = [0] * len(rows)
    for sku_id, positions in by_sku.items():
        for n, part in zip(positions, share(amounts.get(sku_id, 0), [rows[n].quantity for n in positions]),
                           strict=True):
            own[n] = part
    rest = share(sum(amounts.values()) - sum(own), [max(row.quantity * row.unit_price - row.discount, 0)
                                                    for row in rows])
    return [mine + extra for mine, extra in zip(own, rest, strict=True)]

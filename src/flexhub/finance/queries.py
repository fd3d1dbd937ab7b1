"""Reading finance: a channel by code, its statements and their lines over a period, the orders and returns
reconciliation judges lines against, fee terms by date, resolutions. Costs and profit read in profit_queries.py.
Every query is scoped by tenant."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from flexhub.channels import UnknownChannel
from flexhub.channels.model import Channel
from flexhub.finance.formats.lines import ADJUSTMENT, PAYOUT, REFUND, SALE
from flexhub.finance.model import (
    DifferenceResolution,
    FeeTermsVersion,
    Statement,
    StatementRow,
)
from flexhub.ordering.model import Order
from flexhub.returns.model import Return

CHUNK = 500  # ids per IN (...) list, well inside SQLite's and PostgreSQL's parameter limits


def channel(connection: Connection, tenant_id: uuid.UUID, code: str) -> Any:
    """The tenant's channel `code` (id, code, platform); 404 channels.unknown_channel when it has none."""
    query = select(Channel.id, Channel.code, Channel.platform).where(Channel.tenant_id == tenant_id,
                                                                     Channel.code == code)
    found = connection.execute(query).first()
    if found is None:
        raise UnknownChannel(f"no channel {code}")
    return found


def statement_lines(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID,
                    start: datetime | None = None, end: datetime | None = None) -> list[Any]:
    """The channel's lines, in import order: those dated in [start, end), and undated ones (unreadable) of a
    statement whose lines reach into it."""
    query = (select(StatementRow).join(Statement, Statement.id == StatementRow.statement_id)
             .where(StatementRow.tenant_id == tenant_id, StatementRow.channel_id == channel_id)
             .order_by(Statement.imported_at, Statement.id, StatementRow.line_no))
    if start is not None:
        query = query.where(or_(StatementRow.occurred_at >= start,
                                and_(StatementRow.occurred_at.is_(None),
                                     or_(Statement.last_at.is_(None), Statement.last_at >= start))))
    if end is not None:
        query = query.where(or_(StatementRow.occurred_at < end,
                                and_(StatementRow.occurred_at.is_(None),
                                     or_(Statement.first_at.is_(None), Statement.first_at < end))))
    return list(connection.execute(query))


def placed_at() -> Any:
    """When an order was placed: the channel's time, else when the hub took it."""
    return func.coalesce(Order.placed_at, Order.created_at)


ORDER_COLUMNS = (Order.id, Order.external_id, Order.status, Order.payment_state, Order.total, Order.currency,
                 placed_at().label("placed"))


def orders_named(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID,
                 external_ids: Collection[str]) -> list[Any]:
    ids = sorted(external_ids)
    found = []
    for start in range(0, len(ids), CHUNK):
        query = select(*ORDER_COLUMNS).where(Order.tenant_id == tenant_id, Order.channel_id == channel_id,
                                             Order.external_id.in_(ids[start:start + CHUNK]))
        found += list(connection.execute(query))
    return found


def orders_placed(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID, start: datetime,
                  end: datetime) -> list[Any]:
    query = select(*ORDER_COLUMNS).where(Order.tenant_id == tenant_id, Order.channel_id == channel_id,
                                         placed_at() >= start, placed_at() < end)
    return list(connection.execute(query))


def returned(connection: Connection, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these orders have an RMA."""
    ids = sorted(set(order_ids))
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), CHUNK):
        query = select(Return.order_id).where(Return.tenant_id == tenant_id,
                                              Return.order_id.in_(ids[start:start + CHUNK]))
        found |= {row.order_id for row in connection.execute(query)}
    return found


def fee_terms(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID) -> list[Any]:
    """The channel's versions, oldest first."""
    query = (select(FeeTermsVersion).where(FeeTermsVersion.tenant_id == tenant_id,
                                           FeeTermsVersion.channel_id == channel_id)
             .order_by(FeeTermsVersion.effective_from))
    return list(connection.execute(query))


def fee_terms_view(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID) -> list[dict[str, Any]]:
    return [terms_view(v) for v in fee_terms(connection, tenant_id, channel_id)]


def terms_view(version: Any) -> dict[str, Any]:
    """A fee terms version as clients read it: rates in percent."""
    return {"effective_from": version.effective_from, "commission_pct": percent(version.commission_ppm),
            "payment_fee_pct": percent(version.payment_fee_ppm), "fixed_per_order": version.fixed_per_order,
            "subsidy_pct": percent(version.subsidy_ppm), "set_by": version.set_by, "set_at": version.set_at}


def percent(ppm: int) -> float:
    return ppm / 10_000


def resolutions(connection: Connection, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Any]:
    wanted = sorted(ids)
    found: dict[uuid.UUID, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(DifferenceResolution).where(DifferenceResolution.tenant_id == tenant_id,
                                                   DifferenceResolution.difference_id.in_(wanted[start:start + CHUNK]))
        found |= {row.difference_id: row for row in connection.execute(query)}
    return found


def statements(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
    """Statements imported, newest first."""
    query = (select(Statement, Channel.code.label("channel")).join(Channel, Channel.id == Statement.channel_id)
             .where(Statement.tenant_id == tenant_id).order_by(Statement.imported_at.desc()).limit(limit))
    if channel_id is not None:
        query = query.where(Statement.channel_id == channel_id)
    return [_statement_view(row) for row in connection.execute(query)]


def statement(connection: Connection, tenant_id: uuid.UUID, statement_id: uuid.UUID) -> dict[str, Any] | None:
    query = (select(Statement, Channel.code.label("channel")).join(Channel, Channel.id == Statement.channel_id)
             .where(Statement.tenant_id == tenant_id, Statement.id == statement_id))
    row = connection.execute(query).first()
    if row is None:
        return None
    return {**_statement_view(row), "unreadable": unreadable_lines(connection, tenant_id, statement_id)}


def statement_money(connection: Connection, tenant_id: uuid.UUID, statement_id: uuid.UUID) -> dict[str, Any] | None:
    """A statement's money per currency (minor units), for its journal in the ERP: sales and refunds at their
    gross amounts, every fee charged, adjustments and payouts (a payout's amount is negative: the balance leaving
    for the bank); its channel and the period its lines cover. Unreadable lines carry no money."""
    head = connection.execute(select(Statement, Channel.code.label("channel"))
                              .join(Channel, Channel.id == Statement.channel_id)
                              .where(Statement.tenant_id == tenant_id, Statement.id == statement_id)).first()
    if head is None:
        return None
    rows = connection.execute(
        select(StatementRow.currency, StatementRow.kind, func.sum(StatementRow.amount), func.sum(StatementRow.fee))
        .where(StatementRow.tenant_id == tenant_id, StatementRow.statement_id == statement_id,
               StatementRow.error.is_(None))
        .group_by(StatementRow.currency, StatementRow.kind))
    money: dict[str | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONEY, 0))
    for currency, kind, amount, fee in rows:
        totals = money[currency]
        if kind in MONEY_KINDS:
            totals[MONEY_KINDS[kind]] += int(amount or 0)
        totals["fees"] += int(fee or 0)
    return {"channel": head.channel, "format": head.format, "first_at": head.first_at, "last_at": head.last_at,
            "imported_at": head.imported_at,
            "currencies": [{"currency": currency, **totals} for currency, totals in
                           sorted(money.items(), key=lambda item: item[0] or "")]}


MONEY_KINDS = {SALE: "sales", REFUND: "refunds", ADJUSTMENT: "adjustments", PAYOUT: "payouts"}
MONEY = ("sales", "refunds", "fees", "adjustments", "payouts")


def unreadable_lines(connection: Connection, tenant_id: uuid.UUID, statement_id: uuid.UUID) -> list[dict[str, Any]]:
    query = (select(StatementRow.line_no, StatementRow.raw, StatementRow.error)
             .where(StatementRow.tenant_id == tenant_id, StatementRow.statement_id == statement_id,
                    StatementRow.error.is_not(None)).order_by(StatementRow.line_no))
    return [{"line_no": row.line_no, "raw": row.raw, "error": row.error} for row in connection.execute(query)]


def _statement_view(row: Any) -> dict[str, Any]:
    return {"id": str(row.id), "channel": row.channel, "format": row.format, "lines": row.line_count,
            "unreadable_count": row.unreadable_count, "first_at": row.first_at, "last_at": row.last_at,
            "imported_by": row.imported_by, "imported_at": row.imported_at}

"""The only place with finance's write SQL: statements and their lines, fee terms, resolutions. Every statement
is scoped by tenant."""

import uuid
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from flexhub.finance.model import (
    Books,
    CarrierCharge,
    DifferenceResolution,
    ExchangeRate,
    FeeTermsVersion,
    LandedCost,
    ReturnCost,
    Statement,
    StatementRow,
)

LINES_PER_INSERT = 1000


def statement_by_hash(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID, content_hash: str) -> Any:
    query = select(Statement).where(Statement.tenant_id == tenant_id, Statement.channel_id == channel_id,
                                    Statement.content_hash == content_hash)
    return connection.execute(query).first()


def insert_statement(connection: Connection, statement: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    connection.execute(insert(Statement).values(**statement))
    for start in range(0, len(lines), LINES_PER_INSERT):
        connection.execute(insert(StatementRow), lines[start:start + LINES_PER_INSERT])


def replace_fee_terms(connection: Connection, row: dict[str, Any]) -> None:
    """The channel's version from `effective_from`, replacing one set for the same date."""
    connection.execute(delete(FeeTermsVersion).where(
        FeeTermsVersion.tenant_id == row["tenant_id"], FeeTermsVersion.channel_id == row["channel_id"],
        FeeTermsVersion.effective_from == row["effective_from"]))
    connection.execute(insert(FeeTermsVersion).values(**row))


def resolution(connection: Connection, tenant_id: uuid.UUID, difference_id: uuid.UUID) -> Any:
    query = select(DifferenceResolution).where(DifferenceResolution.tenant_id == tenant_id,
                                               DifferenceResolution.difference_id == difference_id)
    return connection.execute(query).first()


def insert_resolution(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(DifferenceResolution).values(**row))


def insert_landed_cost(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(LandedCost).values(**row))


def insert_return_cost(connection: Connection, row: dict[str, Any]) -> None:
    connection.execute(insert(ReturnCost).values(**row))


def replace_carrier_charges(connection: Connection, tenant_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    """Each waybill's charge, replacing one recorded before."""
    waybills = [row["waybill_number"] for row in rows]
    for start in range(0, len(waybills), LINES_PER_INSERT):
        connection.execute(delete(CarrierCharge).where(
            CarrierCharge.tenant_id == tenant_id,
            CarrierCharge.waybill_number.in_(waybills[start:start + LINES_PER_INSERT])))
    for start in range(0, len(rows), LINES_PER_INSERT):
        connection.execute(insert(CarrierCharge), rows[start:start + LINES_PER_INSERT])


def replace_exchange_rates(connection: Connection, tenant_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    """Each (from, to, day)'s rate, replacing one recorded before."""
    for row in rows:
        connection.execute(delete(ExchangeRate).where(
            ExchangeRate.tenant_id == tenant_id, ExchangeRate.from_currency == row["from_currency"],
            ExchangeRate.to_currency == row["to_currency"], ExchangeRate.day == row["day"]))
    for start in range(0, len(rows), LINES_PER_INSERT):
        connection.execute(insert(ExchangeRate), rows[start:start + LINES_PER_INSERT])


def set_cost_currency(connection: Connection, tenant_id: uuid.UUID, currency: str, now: Any) -> None:
    connection.execute(delete(Books).where(Books.tenant_id == tenant_id))
    connection.execute(insert(Books).values(tenant_id=tenant_id, cost_currency=currency, updated_at=now))

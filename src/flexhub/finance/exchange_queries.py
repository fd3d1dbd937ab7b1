"""Reading the exchange rates a tenant recorded and the currency it keeps its costs in."""

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from flexhub.finance.exchange import DEFAULT_COST_CURRENCY, Rates
from flexhub.finance.model import Books, ExchangeRate


def rates(connection: Connection, tenant_id: uuid.UUID) -> Rates:
    query = (select(ExchangeRate.from_currency, ExchangeRate.to_currency, ExchangeRate.day, ExchangeRate.rate)
             .where(ExchangeRate.tenant_id == tenant_id))
    return Rates((row.from_currency, row.to_currency, row.day, Decimal(row.rate)) for row in connection.execute(query))


def cost_currency(connection: Connection, tenant_id: uuid.UUID) -> str:
    found = connection.execute(select(Books.cost_currency).where(Books.tenant_id == tenant_id)).scalar()
    return found or DEFAULT_COST_CURRENCY


def rate_list(connection: Connection, tenant_id: uuid.UUID, limit: int = 1000) -> list[dict[str, Any]]:
    """The latest days' rates first."""
    query = (select(ExchangeRate.from_currency, ExchangeRate.to_currency, ExchangeRate.day, ExchangeRate.rate,
                    ExchangeRate.source, ExchangeRate.recorded_by, ExchangeRate.recorded_at)
             .where(ExchangeRate.tenant_id == tenant_id)
             .order_by(ExchangeRate.day.desc(), ExchangeRate.from_currency, ExchangeRate.to_currency).limit(limit))
    return [{"from": row.from_currency, "to": row.to_currency, "date": row.day.isoformat(), "rate": row.rate,
             "source": row.source, "recorded_by": row.recorded_by, "recorded_at": row.recorded_at}
            for row in connection.execute(query)]

"""Each test gets a migrated, empty database of its own; PostgreSQL's is emptied between tests."""

import uuid

import pytest
from sqlalchemy import Engine, func, insert, select, text

from flexhub.db.migrate import check
from flexhub.db.outbox import OutboxEvent
from flexhub.kernel import clock
from flexhub.testing.api_client import api_over
from flexhub.testing.builders import order_body
from flexhub.testing.database import empty_all_tables


def add_outbox_event(engine: Engine) -> int:
    row = {"event_id": uuid.uuid4(), "tenant_id": uuid.uuid4(), "type": "Test", "body": {}}
    with engine.begin() as connection:
        result = connection.execute(insert(OutboxEvent).values(**row, occurred_at=clock.now()))
        return result.inserted_primary_key[0]


def test_the_database_is_migrated_and_empty(engine: Engine, database_url: str) -> None:
    check(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(OutboxEvent)) == 0


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_emptying_empties_tables_and_restarts_sequences(engine: Engine, database_url: str) -> None:
    add_outbox_event(engine)
    add_outbox_event(engine)

    empty_all_tables(database_url)

    assert add_outbox_event(engine) == 1


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_emptying_empties_tables_that_refer_to_each_other(engine: Engine, database_url: str) -> None:
    """A stocked shop and an order write rows that refer to each other across tables: all go, in any order."""
    with api_over(database_url) as api:
        api.stock_shop(stock=5)
        api.post("/api/v1/orders", order_body())

    empty_all_tables(database_url)

    with engine.connect() as connection:
        tables = connection.scalars(
            text("SELECT tablename FROM pg_tables"
                 " WHERE schemaname = current_schema() AND tablename <> 'alembic_version'")
        ).all()
        holding = [table for table in tables if connection.scalar(text(f'SELECT EXISTS (SELECT FROM "{table}")'))]
    assert holding == []

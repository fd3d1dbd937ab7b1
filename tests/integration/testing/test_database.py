"""Each test gets a migrated, empty database of its own; PostgreSQL's is emptied between tests."""

import uuid

import pytest
from sqlalchemy import Engine, func, insert, select

from flexhub.db.migrate import check
from flexhub.db.outbox import OutboxEvent
from flexhub.kernel import clock
from flexhub.testing.database import truncate_all_tables


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
def test_truncating_empties_tables_and_restarts_sequences(engine: Engine, database_url: str) -> None:
    add_outbox_event(engine)
    add_outbox_event(engine)

    truncate_all_tables(database_url)

    assert add_outbox_event(engine) == 1

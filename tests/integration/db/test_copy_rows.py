"""Many-row INSERTs on PostgreSQL go as COPY: the same rows come back, and the same errors come out."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, event, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from flexhub.db.copy_rows import MIN_ROWS, copy_plan
from flexhub.identity.model import AuditEntry, Tenant
from flexhub.kernel.ids import new_id

BEIJING = timezone(timedelta(hours=8))
AWKWARD = ["tab\there", "new\nline", "back\\slash", "\\N", "", "引号 \"quoted\" 'single'", "emoji 🛒", "comma, then"]


def audit_rows(tenant_id, count: int) -> list[dict]:
    """Rows with every kind of value COPY has to carry: text that needs escaping, NULLs, JSON, times."""
    base = datetime(2026, 11, 11, 0, 0, 0, 123456, tzinfo=UTC)
    return [
        {"id": new_id(), "tenant_id": tenant_id, "actor": AWKWARD[n % len(AWKWARD)], "role": "admin",
         "partner_id": None if n % 2 else new_id(), "action": "order.import", "entity": "order",
         "entity_id": f"E-{n}", "request_id": None if n % 3 else AWKWARD[(n + 1) % len(AWKWARD)],
         "detail": {"n": n, "text": AWKWARD[n % len(AWKWARD)], "nested": {"list": [1, None, "x"]}},
         "at": (base + timedelta(seconds=n)).astimezone(UTC if n % 4 else BEIJING)}
        for n in range(count)
    ]


def create_tenant(engine: Engine):
    tenant_id = new_id()
    with engine.begin() as connection:
        connection.execute(insert(Tenant).values(id=tenant_id, code=f"t-{tenant_id.hex[:8]}", name="T"))
    return tenant_id


def record_status(engine: Engine) -> list[str]:
    """The server's answer to each statement: `COPY n` for a copy, `INSERT 0 1` for one row of an executemany."""
    answers: list[str] = []
    event.listen(engine, "after_cursor_execute", lambda _c, cursor, *_: answers.append(cursor.statusmessage))
    return answers


@pytest.mark.parametrize("count", [3, MIN_ROWS, 300])
def test_rows_come_back_exactly_as_inserted(engine: Engine, count: int) -> None:
    tenant_id = create_tenant(engine)
    rows = audit_rows(tenant_id, count)

    with engine.begin() as connection:
        connection.execute(insert(AuditEntry), rows)
    with engine.connect() as connection:
        stored = {r.id: r._asdict() for r in connection.execute(select(AuditEntry).where(
            AuditEntry.tenant_id == tenant_id))}

    assert stored == {row["id"]: row for row in rows}


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_duplicate_key_is_an_integrity_error_and_nothing_is_kept(engine: Engine) -> None:
    tenant_id = create_tenant(engine)
    rows = audit_rows(tenant_id, MIN_ROWS + 4)
    rows[-1]["id"] = rows[0]["id"]

    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(AuditEntry), rows)
    with engine.connect() as connection:
        assert connection.execute(select(AuditEntry.id).where(AuditEntry.tenant_id == tenant_id)).all() == []


def test_only_plain_inserts_become_copies() -> None:
    plain = "INSERT INTO t (a, b) VALUES (%(a)s::UUID, %(b)s::TIMESTAMP WITH TIME ZONE)"

    assert copy_plan(plain) == ("COPY t (a, b) FROM STDIN", ("a", "b"))
    assert copy_plan(plain + " ON CONFLICT (a) DO NOTHING") is None
    assert copy_plan(plain + " RETURNING t.a") is None
    assert copy_plan("INSERT INTO t (a, b) VALUES (%(a)s, now())") is None
    assert copy_plan("UPDATE t SET a = %(a)s") is None


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgresql_many_rows_go_as_copy_and_upserts_do_not(engine: Engine) -> None:
    tenant_id = create_tenant(engine)
    answers = record_status(engine)
    rows = audit_rows(tenant_id, MIN_ROWS)

    with engine.begin() as connection:
        connection.execute(insert(AuditEntry), rows)
        connection.execute(pg_insert(AuditEntry).on_conflict_do_nothing(), rows)
        connection.execute(insert(AuditEntry), audit_rows(tenant_id, MIN_ROWS - 1))

    assert answers == [f"COPY {MIN_ROWS}", "INSERT 0 0", "INSERT 0 1"]

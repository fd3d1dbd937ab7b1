"""A batch's header-only newer versions (a flash sale's payments) are written together (ordering.newer_versions):
one statement for every order's header, each order with its own version, events and audit entry as one by one;
an older version answered with nothing written; a failure after the headers are written leaves nothing of the
batch behind."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from flexhub.bootstrap import Hub
from flexhub.db.outbox import OutboxEvent
from flexhub.identity.model import AuditEntry
from flexhub.kernel.messages import Actor
from flexhub.ordering import newer_versions
from flexhub.testing.builders import create_channel, create_shop, import_command, import_order, line
from flexhub.testing.clocks import MovableClock
from flexhub.testing.snapshots import order, snapshot

JUNE_1, JUNE_2 = (datetime(2025, 6, day, tzinfo=UTC).isoformat() for day in (1, 2))
ORDERS = 6


@pytest.fixture
def admin(any_hub: Hub, clock: MovableClock) -> Actor:
    """Acme with 10 TEE-RED-M, and a `web` channel that holds unpaid orders for 30 minutes; six unpaid orders."""
    actor = create_shop(any_hub, channel="web-0")
    create_channel(any_hub, actor, "web", unpaid_hold_minutes=30)
    for n in range(ORDERS):
        import_order(any_hub, actor, external_id=f"P-{n}", lines=[line(quantity=1)], payment_state="pending",
                     updated_at=JUNE_1)
    import_order(any_hub, actor, external_id="LATE", lines=[line(quantity=1)], payment_state="paid",
                 updated_at=JUNE_2)
    return actor


@pytest.fixture
def statements(any_hub: Hub) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(any_hub.engine, "before_cursor_execute", note)
    yield seen
    event.remove(any_hub.engine, "before_cursor_execute", note)


def payments(admin: Actor) -> list:
    return [import_command(admin, external_id=f"P-{n}", lines=[line(quantity=1)], payment_state="paid",
                           updated_at=JUNE_2) for n in range(ORDERS)]


def count(hub: Hub, table, *where) -> int:  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_a_sales_payments_are_written_together_each_order_with_its_version_events_and_audit(
        any_hub: Hub, admin: Actor, statements: list[str], request: pytest.FixtureRequest) -> None:
    older = import_command(admin, external_id="LATE", lines=[line(quantity=1)], payment_state="pending",
                           updated_at=JUNE_1)
    audited = count(any_hub, AuditEntry, AuditEntry.action == "order.update")

    answers = any_hub.writer.import_many([*payments(admin), older])

    assert [(a.status, a.created) for a in answers] == [("reserved", False)] * (ORDERS + 1)
    # Combined, the batch is one transaction and one statement for the six; per order, each is its own.
    together = request.node.callspec.params["any_hub"] == "combined"
    assert sum(s.lstrip().upper().startswith("UPDATE ORDERS") for s in statements) == (1 if together else ORDERS)
    for n, answer in enumerate(answers[:ORDERS]):
        stored = order(any_hub, admin, answer.order_id)
        assert (stored["external_id"], stored["payment_state"], stored["version"]) == (f"P-{n}", "paid", 2)
        assert [(r["state"], r["expires_at"]) for r in stored["reservations"]] == [("active", None)]
    late = order(any_hub, admin, answers[-1].order_id)
    assert (late["payment_state"], late["version"]) == ("paid", 1)  # the older version changed nothing
    for kind in ("OrderUpdated", "OrderStatusChanged"):
        assert count(any_hub, OutboxEvent, OutboxEvent.type == kind) == ORDERS
    assert count(any_hub, AuditEntry, AuditEntry.action == "order.update") == audited + ORDERS


def test_a_batch_killed_after_its_headers_are_written_leaves_nothing_behind(
        any_hub: Hub, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(any_hub)
    assert sum(r[-1] is not None for r in before.reservations) == ORDERS  # the unpaid orders' lapse
    record_each = newer_versions.audit.record_each

    def killed(uow, entries):  # type: ignore[no-untyped-def]
        raise RuntimeError("the process died mid-batch")

    monkeypatch.setattr(newer_versions.audit, "record_each", killed)
    with pytest.raises(RuntimeError, match="mid-batch"):
        any_hub.writer.import_many(payments(admin))
    assert snapshot(any_hub) == before  # no header, no reservation kept, no event, no audit

    monkeypatch.setattr(newer_versions.audit, "record_each", record_each)
    assert [a.status for a in any_hub.writer.import_many(payments(admin))] == ["reserved"] * ORDERS
    assert count(any_hub, OutboxEvent, OutboxEvent.type == "OrderUpdated") == ORDERS
    assert [r[-1] for r in snapshot(any_hub).reservations] == [None] * (ORDERS + 1)  # every order paid now

"""The order writer's transaction killed mid-batch: nothing of the batch is written, and the writer goes on.

PostgreSQL: the batch's backend is terminated (pg_terminate_backend, from another connection) after its
rows went in by COPY and before the stock row is taken: the batch is retried on a new connection (imports are
idempotent) and its callers answered. SQLite: the batch raises after its orders and lines are inserted and its
callers are told. Either way orders, lines, reservations, ledger, levels,
outbox and audit are as before; the ledger still agrees with the levels (`flexhub inventory verify`).
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import text

from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.ordering import intake, order_ids
from flexhub.ordering.intake import Imported
from flexhub.ordering.writer import postgres
from flexhub.testing.builders import create_shop, import_command, line
from flexhub.testing.snapshots import ledger_differences, level, outbox, reservation_mismatches, snapshot


def kill_mid_batch(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Arrange for the next batch to die half-way; returns where it died, once it has."""
    died: list[str] = []
    if hub.engine.dialect.name == "postgresql":
        original = postgres._Batch._write_take_and_commit

        def terminated_first(batch: Any) -> None:
            if not died:
                with hub.engine.connect() as other:
                    pid = batch.connection.info.backend_pid
                    other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
                died.append(f"backend {pid} terminated before the batch's writes")
            original(batch)

        monkeypatch.setattr(postgres._Batch, "_write_take_and_commit", terminated_first)
    else:
        original_hold = intake.reservations.hold

        def raising_first(*args: Any, **kwargs: Any) -> None:
            if not died:
                died.append("raised after orders and lines were inserted")
                raise RuntimeError("the writer died mid-batch")
            original_hold(*args, **kwargs)

        monkeypatch.setattr(intake.reservations, "hold", raising_first)
    return died


def all_at_once(actions: list[Callable[[], Any]]) -> list[Any]:
    def run(action: Callable[[], Any]) -> Any:
        try:
            return action()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            return error

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


def received(hub: Hub) -> set[str]:
    """The orders the outbox announces (each batch's OrdersReceived), each once."""
    announced = [order_id for row in outbox(hub) if row.type == "OrdersReceived" for order_id in order_ids(row.body)]
    assert len(announced) == len(set(announced))
    return set(announced)


def assert_consistent(hub: Hub, admin: Actor) -> None:
    assert ledger_differences(hub) == []  # what `flexhub inventory verify` checks
    assert reservation_mismatches(hub, admin.tenant_id) == []


def test_a_batch_killed_mid_way_writes_nothing_and_the_writer_goes_on(combined_hub: Hub,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    hub = combined_hub
    admin = create_shop(hub, stock=50)
    before = snapshot(hub)
    died = kill_mid_batch(hub, monkeypatch)
    commands = [import_command(admin, external_id=f"KILL-{n:02d}", lines=[line(quantity=1)]) for n in range(8)]

    outcomes = all_at_once([lambda cmd=cmd: hub.writer.import_order(cmd) for cmd in commands])

    assert died, "the batch was not interrupted"
    failed = [o for o in outcomes if not isinstance(o, Imported)]
    if hub.engine.dialect.name == "postgresql":  # a dropped connection: the idempotent batch is written again
        assert failed == []
    else:  # the batch itself raised: its callers are told
        assert failed and all(not isinstance(o, Imported) for o in failed)
    stored = [o for o in outcomes if isinstance(o, Imported)]  # batches after the killed one went through
    after = snapshot(hub)
    assert len(after.orders) == len(before.orders) + len(stored)
    assert after.order_lines == before.order_lines + len(stored)
    assert len(after.reservations) == len(before.reservations) + len(stored)
    assert after.ledger_rows == before.ledger_rows + len(stored)
    assert level(hub, admin, "TEE-RED-M")["reserved"] == len(stored)
    assert after.audit_rows - before.audit_rows == len(stored)
    assert received(hub) == {str(o.order_id) for o in stored}
    assert_consistent(hub, admin)

    again = [hub.writer.import_order(cmd) for cmd in commands]  # the failed ones now, the others replayed

    assert all(isinstance(o, Imported) and o.status == "reserved" for o in again)
    assert len({o.order_id for o in again}) == 8
    assert level(hub, admin, "TEE-RED-M")["reserved"] == 8
    final = snapshot(hub)
    assert len(final.orders) == len(before.orders) + 8
    assert final.audit_rows - before.audit_rows == 8
    assert received(hub) == {str(o.order_id) for o in again}
    assert_consistent(hub, admin)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_orders_posted_while_postgresql_backends_are_terminated_are_each_answered_and_stored_once(
        combined_hub: Hub) -> None:
    """Connections dropped under load (pg_terminate_backend on the writer's held connections between and during
    batches): an import is idempotent by (channel, external id), so the writer retries it on a new connection
    with bounded attempts; every order is answered 2xx and stored once. SQLite has no connection to drop."""
    hub = combined_hub
    admin = create_shop(hub, stock=100)
    before = snapshot(hub)
    commands = [import_command(admin, external_id=f"DROP-{n:02d}", lines=[line(quantity=1)]) for n in range(24)]

    def terminate_the_writers() -> None:
        with hub.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                               " AND datname = current_database() AND backend_type = 'client backend'"))

    outcomes = []
    for start in range(0, 24, 6):
        terminate_the_writers()
        outcomes += all_at_once([lambda cmd=cmd: hub.writer.import_order(cmd) for cmd in commands[start:start + 6]])

    assert [type(o).__name__ for o in outcomes] == ["Imported"] * 24
    assert len({o.order_id for o in outcomes}) == 24
    after = snapshot(hub)
    assert len(after.orders) == len(before.orders) + 24
    assert level(hub, admin, "TEE-RED-M")["reserved"] == 24
    assert received(hub) == {str(o.order_id) for o in outcomes}
    assert_consistent(hub, admin)

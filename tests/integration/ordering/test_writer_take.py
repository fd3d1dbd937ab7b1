"""PostgreSQL's hot path takes the stock rows and writes their StockChanged in one statement sent with its COMMIT: the
event reports the levels as the take left them, and stock another process took between the batch's read and its
take sends the batch back to be decided lock-first, nothing of it kept and nothing oversold."""

from dataclasses import replace
from typing import Any

import pytest

from flexhub.bootstrap import Hub
from flexhub.inventory import InsufficientStock
from flexhub.ordering.intake import Imported
from flexhub.ordering.writer import postgres
from flexhub.testing.builders import create_shop, import_command, line, receive
from flexhub.testing.hubs import running_hub
from flexhub.testing.snapshots import ledger_differences, level, outbox, reservation_mismatches, snapshot

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("database_url", ["postgres"], indirect=True)]


def buyers(admin: Any, count: int, prefix: str) -> list[Any]:
    return [import_command(replace(admin, name=f"buyer-{n}"), external_id=f"{prefix}-{n}", lines=[line(quantity=1)],
                           on_shortage="reject") for n in range(count)]


def test_the_batch_stock_changed_reports_the_level_as_its_take_left_it(combined_hub: Hub) -> None:
    hub = combined_hub
    admin = create_shop(hub, stock=20)

    outcomes = hub.writer.import_many(buyers(admin, 5, "TELL"))

    assert [o.status for o in outcomes] == ["reserved"] * 5
    assert hub.writer.postgres is not None and hub.writer.postgres.locked_first == 0  # decided on the snapshot
    (changed,) = [e for e in outbox(hub) if e.type == "StockChanged" and e.body["cause"] == "reserve"]
    (reported,) = changed.body["levels"]
    now = level(hub, admin, "TEE-RED-M")
    assert {k: reported[k] for k in ("on_hand", "reserved", "available", "pool")} == {
        "on_hand": 20, "reserved": 5, "available": 15, "pool": "spot"} == {
        k: now[k] for k in ("on_hand", "reserved", "available")} | {"pool": "spot"}


def test_stock_taken_between_the_read_and_the_take_sends_the_batch_lock_first(combined_hub: Hub,
                                                                              database_url: str,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    hub = combined_hub
    admin = create_shop(hub, stock=10)
    original = postgres._Batch._write_take_and_commit
    meanwhile: list[Any] = []
    batches: list[Any] = []

    def another_process_first(batch: Any) -> None:
        batches.append(batch)
        if len(batches) == 1:  # another hub (another process's writer) sells 8 of the 10 units meanwhile
            with running_hub(database_url) as other:
                meanwhile.extend(other.writer.import_order(cmd) for cmd in buyers(admin, 8, "OTHER"))
        original(batch)

    monkeypatch.setattr(postgres._Batch, "_write_take_and_commit", another_process_first)

    outcomes = hub.writer.import_many(buyers(admin, 4, "LATE"))

    assert [o.status for o in meanwhile] == ["reserved"] * 8
    assert hub.writer.postgres is not None and hub.writer.postgres.locked_first == 1
    assert [type(o) for o in outcomes] == [Imported, Imported, InsufficientStock, InsufficientStock]
    now = level(hub, admin, "TEE-RED-M")
    assert (now["on_hand"], now["reserved"], now["available"]) == (10, 10, 0)
    assert ledger_differences(hub) == [] and reservation_mismatches(hub, admin.tenant_id) == []
    reported = [e.body["levels"][0]["reserved"] for e in outbox(hub)
                if e.type == "StockChanged" and e.body["cause"] == "reserve"]
    assert sorted(reported)[-1] == 10 and len(reported) == 8 + 1  # the other's eight, and the batch's one
    assert len(batches) == 1 + 8  # the batch on the snapshot, then the other's eight (lock-first went through intake)


def test_after_a_sell_out_orders_are_refused_on_the_snapshot_with_the_level_locked_and_nothing_written(
        combined_hub: Hub) -> None:
    hub = combined_hub
    admin = create_shop(hub, stock=3)
    first = hub.writer.import_many(buyers(admin, 3, "SOLD"))
    assert hub.writer.postgres is not None
    lock_first_before, before = hub.writer.postgres.locked_first, snapshot(hub)
    events_before = len(outbox(hub))

    outcomes = hub.writer.import_many([*buyers(admin, 4, "LATE"), buyers(admin, 1, "SOLD")[0]])

    assert [type(o) for o in outcomes] == [InsufficientStock] * 4 + [Imported]
    assert outcomes[4].order_id == first[0].order_id and not outcomes[4].created  # a replay beside the refusals
    assert hub.writer.postgres.locked_first == lock_first_before  # decided on the snapshot, confirmed under lock
    assert snapshot(hub) == before and len(outbox(hub)) == events_before  # nothing written for a refusal


def test_a_level_with_more_stock_than_the_snapshot_showed_sends_the_refusals_lock_first(
        combined_hub: Hub, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = combined_hub
    admin = create_shop(hub, stock=2)
    hub.writer.import_many(buyers(admin, 2, "SOLD"))
    original = postgres._Batch._confirm_refusals

    def restocked_meanwhile(batch: Any) -> None:
        receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1)  # a receipt between the batch's read and its lock
        original(batch)

    monkeypatch.setattr(postgres._Batch, "_confirm_refusals", restocked_meanwhile)
    assert hub.writer.postgres is not None
    before = hub.writer.postgres.locked_first

    outcomes = hub.writer.import_many(buyers(admin, 2, "LATE"))

    assert [type(o) for o in outcomes] == [Imported, InsufficientStock]
    assert hub.writer.postgres.locked_first == before + 1
    now = level(hub, admin, "TEE-RED-M")
    assert (now["on_hand"], now["reserved"], now["available"]) == (3, 3, 0)
    assert ledger_differences(hub) == [] and reservation_mismatches(hub, admin.tenant_id) == []

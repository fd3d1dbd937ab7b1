"""A batch's audit entries: one row per actor, an actor's single entry a row of its own, and read back as entries."""

from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

from flexhub.identity.audit import BATCH, Audited, entries_of, rows_together
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor

AT = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
TENANT = new_id()


def imported(actor: Actor, external_id: str) -> tuple[Actor, Audited]:
    return actor, Audited("order.import", "order", f"order-{external_id}", {"external_id": external_id})


def test_an_actors_entries_share_one_row_and_read_back_each_with_its_request_id() -> None:
    shop = Actor(tenant_id=TENANT, role="operator", name="shop")
    channel = Actor(tenant_id=TENANT, role="system", name="channel:web", request_id="message-9")
    entries = [imported(replace(shop, request_id=f"req-{n}"), str(n)) for n in range(3)]

    rows = rows_together([*entries, imported(channel, "9")], at=AT, ids=new_id)

    batch, single = rows
    assert (batch["actor"], batch["entity_id"], batch["request_id"], batch["at"]) == ("shop", BATCH, None, AT)
    assert (single["actor"], single["entity_id"], single["request_id"]) == ("channel:web", "order-9", "message-9")
    read = entries_of([SimpleNamespace(**row) for row in rows])
    assert [(e.actor, e.entity_id, e.request_id, e.detail) for e in read] == [
        ("shop", "order-0", "req-0", {"external_id": "0"}), ("shop", "order-1", "req-1", {"external_id": "1"}),
        ("shop", "order-2", "req-2", {"external_id": "2"}),
        ("channel:web", "order-9", "message-9", {"external_id": "9"})]
    assert [e.entity_id for e in entries_of([SimpleNamespace(**row) for row in rows], "order-1")] == ["order-1"]


def test_one_request_for_the_whole_batch_is_kept_on_its_row() -> None:
    till = Actor(tenant_id=TENANT, role="operator", name="till", request_id="req-bulk")

    (row,) = rows_together([imported(till, "1"), imported(till, "2")], at=AT, ids=new_id)

    assert (row["entity_id"], row["request_id"]) == (BATCH, "req-bulk")

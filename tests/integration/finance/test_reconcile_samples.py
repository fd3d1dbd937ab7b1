"""Each format's sample statement, imported and reconciled against orders made in the test, on SQLite and
PostgreSQL, by both import paths: every planted difference found (missing payout, amount mismatch, unknown
order, duplicate payout, fee above rate, refund not in the hub, and the unreadable line as `other`), none
invented, the rest matched; importing it again, or twice at once, changes nothing."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from flexhub.bootstrap import Hub
from flexhub.finance.commands import ImportStatement, StatementKept
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.finance.rules import DIFFERENCE_KINDS
from flexhub.testing.finance import FORMATS, finance_rows, sample, shop_for
from flexhub.testing.snapshots import snapshot


@pytest.mark.parametrize("name", FORMATS)
def test_a_sample_reconciles_to_exactly_the_differences_it_plants(any_hub: Hub, name: str) -> None:
    planted = sample(name)
    admin = shop_for(any_hub, planted)

    kept = any_hub.handle(ImportStatement(actor=admin, channel=planted.channel, format=name, content=planted.content))
    with any_hub.uow(write=False) as uow:
        view = channel_reconciliation(uow.connection, admin.tenant_id, planted.channel).view()

    found = sorted((d["kind"], d["external_id"], d["expected"], d["actual"]) for d in view["differences"])
    assert found == planted.differences
    assert {kind for kind, *_ in found} == set(DIFFERENCE_KINDS)  # one of every kind
    assert view["matched"] == planted.matched
    assert view["lines"] == kept.lines == planted.matched + sum(len(d["lines"]) for d in view["differences"])
    (unreadable,) = kept.unreadable
    (other,) = [d for d in view["differences"] if d["kind"] == "other"]
    assert other["lines"] == [{"statement_id": str(kept.id), "line_no": unreadable["line_no"],
                               "raw": unreadable["raw"], "error": unreadable["error"]}]
    assert unreadable["raw"] in planted.content


@pytest.mark.parametrize("name", FORMATS)
def test_the_same_statement_again_is_the_same_statement_and_writes_nothing(any_hub: Hub, name: str) -> None:
    planted = sample(name)
    admin = shop_for(any_hub, planted)
    first = any_hub.handle(ImportStatement(actor=admin, channel=planted.channel, format=name, content=planted.content))
    before = snapshot(any_hub)

    again = any_hub.handle(ImportStatement(actor=admin, channel=planted.channel, format=name, content=planted.content))

    assert (again.id, again.lines, again.created, first.created) == (first.id, first.lines, False, True)
    assert again.unreadable == first.unreadable
    assert snapshot(any_hub) == before  # no new outbox or audit rows


def test_the_same_statement_sent_at_once_is_kept_once(hub: Hub) -> None:
    planted = sample("douyin_settlement")
    admin = shop_for(hub, planted)
    command = ImportStatement(actor=admin, channel=planted.channel, format=planted.format, content=planted.content)
    start = threading.Barrier(6)

    def send(_: int) -> StatementKept:
        start.wait()
        kept: StatementKept = hub.handle(command)
        return kept

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(send, range(6)))

    assert len({a.id for a in answers}) == 1 and sorted(a.created for a in answers) == [False] * 5 + [True]
    assert finance_rows(hub)[:2] == (1, answers[0].lines)

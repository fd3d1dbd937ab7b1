"""Every write of many push rows goes in the listings' order, whatever order its caller gave: two transactions that
lock the same rows in different orders deadlock on PostgreSQL (a planning turn against the pusher's confirmations)."""

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from flexhub.sync import repository

AT = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
LISTINGS = [uuid.UUID(int=n) for n in (7, 3, 9, 1, 5)]  # not in order


class Recording:
    """A connection that answers a select with `rows` and keeps the parameters of every other statement."""

    def __init__(self, rows: list[Any] = ()) -> None:  # type: ignore[assignment]
        self.rows, self.written = list(rows), list[list[dict[str, Any]]]()

    def execute(self, statement: Any, parameters: Any = None) -> Any:
        if parameters is None:
            return iter(self.rows)
        self.written.append(parameters)
        return None


def push_row(listing: uuid.UUID, quantity: int = 4) -> SimpleNamespace:
    return SimpleNamespace(listing_id=listing, quantity=quantity, version=2, state="synced", attempts=0,
                           changed_at=AT, next_attempt_at=AT, figure_at=AT)


def listing_order(parameters: list[dict[str, Any]]) -> list[Any]:
    return [p.get("b_listing", p.get("listing_id")) for p in parameters]


def test_the_planners_moved_and_new_figures_are_written_in_listing_order() -> None:
    existing = [push_row(listing) for listing in LISTINGS[:3]]
    connection = Recording(existing)
    figures = {listing: 2 for listing in LISTINGS}

    changed = repository.upsert_figures(connection, uuid.uuid4(), figures,  # type: ignore[arg-type]
                                        dict.fromkeys(LISTINGS, uuid.uuid4()), AT)

    assert changed == 5
    moved, fresh = connection.written
    assert listing_order(moved) == sorted(LISTINGS[:3]) and listing_order(fresh) == sorted(LISTINGS[3:])


def test_confirmations_retries_reads_and_feeds_are_written_in_listing_order() -> None:
    rows = [push_row(listing) for listing in LISTINGS]
    connection = Recording()

    repository.confirm_pushes(connection, rows, AT)  # type: ignore[arg-type]
    repository.retry_pushes(connection, [{"listing": r.listing_id, "attempts": 1, "error": "x",  # type: ignore[arg-type]
                                          "state": "pending", "next": AT} for r in rows])
    repository.note_read(connection, {listing: 1 for listing in LISTINGS}, AT)  # type: ignore[arg-type]
    repository.refuse_in_feed(connection, [(r, "no") for r in rows], 5, AT)  # type: ignore[arg-type]

    assert [listing_order(written) for written in connection.written] == [sorted(LISTINGS)] * 4

"""64+ buyers for the last units through the order writer, on SQLite and PostgreSQL, per order and combined,
from threads (the sync API) and from coroutines (the async API): nothing oversold, each refusal a 409."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from flexhub.bootstrap import Hub
from flexhub.inventory.errors import InsufficientStock
from flexhub.ordering.intake import Imported
from flexhub.testing import aio
from flexhub.testing.builders import create_shop, import_command, import_order, line
from flexhub.testing.snapshots import ledger_differences, level, order, reservation_mismatches, tenant_rows


def commands_for(hub: Hub, buyers: int, stock: int) -> tuple:
    admin = create_shop(hub, stock=stock)
    return admin, [import_command(replace(admin, name=f"buyer-{n}"), external_id=f"LAST-{n:03d}",
                                  lines=[line(quantity=1)], on_shortage="reject") for n in range(buyers)]


def assert_sold_exactly(hub: Hub, admin, outcomes: list, stock: int, buyers: int) -> None:
    accepted = [o for o in outcomes if isinstance(o, Imported)]
    assert len(accepted) == stock and len({o.order_id for o in accepted}) == stock
    assert all(o.created and o.status == "reserved" for o in accepted)
    refused = [o for o in outcomes if not isinstance(o, Imported)]
    assert len(refused) == buyers - stock and all(isinstance(o, InsufficientStock) for o in refused)
    assert all(o.status == 409 for o in refused)
    lv = level(hub, admin, "TEE-RED-M")
    assert (lv["on_hand"], lv["reserved"], lv["available"]) == (stock, stock, 0)
    assert ledger_differences(hub) == [] and reservation_mismatches(hub, admin.tenant_id) == []


def test_64_threads_for_the_last_50_units(any_hub: Hub) -> None:
    admin, commands = commands_for(any_hub, 64, 50)
    start = threading.Barrier(64)

    def buy(cmd):
        start.wait()
        try:
            return any_hub.writer.import_order(cmd)
        except InsufficientStock as error:
            return error

    with ThreadPoolExecutor(max_workers=64) as pool:
        outcomes = list(pool.map(buy, commands))
    assert_sold_exactly(any_hub, admin, outcomes, 50, 64)


def test_128_coroutines_for_the_last_100_units_and_a_replay_of_each_changes_nothing(any_hub: Hub) -> None:
    admin, commands = commands_for(any_hub, 128, 100)

    async def buy(cmd):
        try:
            return await any_hub.writer.submit(cmd)
        except InsufficientStock as error:
            return error

    async def everyone(batch):
        return await asyncio.gather(*(buy(cmd) for cmd in batch))

    outcomes = aio.run(everyone(commands))
    assert_sold_exactly(any_hub, admin, outcomes, 100, 128)
    before = tenant_rows(any_hub, admin.tenant_id)
    again = aio.run(everyone(commands))
    assert [o.order_id for o in again if isinstance(o, Imported)] == [o.order_id for o in outcomes
                                                                      if isinstance(o, Imported)]
    assert tenant_rows(any_hub, admin.tenant_id) == before


def test_text_with_tabs_newlines_and_backslashes_is_stored_as_sent(any_hub: Hub) -> None:
    """The writer's COPY text escapes what COPY would read as a separator or an escape."""
    admin = create_shop(any_hub)
    awkward = "Zhang\tSan\\n \\N\r\nline two \\\\ end"
    imported = import_order(any_hub, admin, external_id="A\\B\tC", lines=[line(external_line_id="L\\1")],
                            buyer={"name": awkward, "phone": "1"}, live_room=awkward, streamer="\\N")

    found = order(any_hub, admin, imported.order_id)
    assert (found["external_id"], found["buyer"]["name"], found["live_room"], found["streamer"]) == (
        "A\\B\tC", awkward, awkward, "\\N")


def test_an_external_id_an_array_literal_quotes_is_found_again_on_replay(any_hub: Hub) -> None:
    """The known-orders probe sends the batch's external ids as one array literal: quotes, commas, braces, a
    backslash and the word NULL are each one id, found again when the order is replayed."""
    admin = create_shop(any_hub)
    awkward = ['say "hi"', "A,B", "{C}", "D\\E", "NULL", " F "]
    first = [import_order(any_hub, admin, external_id=external_id) for external_id in awkward]
    again = any_hub.writer.import_many([import_command(admin, external_id=external_id) for external_id in awkward])

    assert [(o.order_id, o.created) for o in again] == [(o.order_id, False) for o in first]
    assert [order(any_hub, admin, o.order_id)["external_id"] for o in first] == awkward

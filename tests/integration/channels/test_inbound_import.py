"""Kept channel messages become orders on each backend and each import path: one order's versions in arrival
order (the newer wins, an older one is ignored), many channels' orders in one turn each imported once and
reserved exactly, a bad message an exception beside good ones, the listing map read once per channel and turn,
and a turn that never settled only imports again."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import OperationalError

from flexhub.bench.oversell import audit_stock
from flexhub.bootstrap import Hub
from flexhub.channels import inbound
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Channel, ChannelException, InboundMessage
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.model import Order
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant, order_body, receive
from flexhub.testing.hubs import running_hub

PLACED = datetime(2026, 11, 11, 0, 0, tzinfo=UTC)


@pytest.fixture(params=["per_order", "combined"])
def shop(request: pytest.FixtureRequest, database_url: str) -> Iterator[tuple[Hub, Actor]]:
    """Three generic stores listing TEE-RED-M as `<store>-TEE`, 20 units in one warehouse."""
    with running_hub(database_url, combine=request.param == "combined") as hub:
        admin = create_tenant(hub)
        create_sku(hub, admin, "TEE-RED-M")
        create_location(hub, admin, "WH-CENTRAL")
        receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 20)
        for code in ("s0", "s1", "s2"):
            create_channel(hub, admin, code)
            hub.handle(CreateListing(actor=admin, channel=code, external_sku=f"{code}-TEE", sku="TEE-RED-M"))
        yield hub, admin


def keep(hub: Hub, code: str, external_id: str, *, minutes: int = 0, paid: bool = False, sku: str | None = None,
         quantity: int = 1) -> None:
    moment = PLACED + timedelta(minutes=minutes)
    body = order_body(external_id, lines=[{"sku": sku or f"{code}-TEE", "quantity": quantity, "unit_price": 9900}],
                      payment_state="paid" if paid else "pending", placed_at=PLACED.isoformat(),
                      updated_at=moment.isoformat())
    keep_text(hub, code, json.dumps(body))


def keep_text(hub: Hub, code: str, text: str) -> None:
    with hub.uow(write=False) as uow:
        channel = uow.connection.execute(select(Channel).where(Channel.code == code)).one()
    inbound.keep(hub, channel, "webhook", {}, text)


def orders(hub: Hub) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return {row.external_id: row for row in uow.connection.execute(select(Order))}


def states(hub: Hub) -> list[str]:
    with hub.uow(write=False) as uow:
        query = select(InboundMessage.state).order_by(InboundMessage.received_at, InboundMessage.id)
        return list(uow.connection.execute(query).scalars())


def exceptions(hub: Hub) -> list[tuple[str, str | None]]:
    with hub.uow(write=False) as uow:
        query = select(ChannelException.kind, ChannelException.external_id)
        return sorted(tuple(row) for row in uow.connection.execute(query))


def test_two_versions_of_one_order_in_one_turn_end_with_the_newer(shop: tuple[Hub, Actor]) -> None:
    hub, _ = shop
    keep(hub, "s0", "A-1", minutes=0)
    keep(hub, "s0", "A-1", minutes=5, paid=True)
    keep(hub, "s1", "B-1", minutes=5, paid=True)  # the newer first: the older that follows is ignored
    keep(hub, "s1", "B-1", minutes=0)

    assert inbound.process_pending(hub) == 4

    found = orders(hub)
    assert {code: found[code].payment_state for code in found} == {"A-1": "paid", "B-1": "paid"}
    assert found["A-1"].channel_updated_at == PLACED + timedelta(minutes=5)
    assert found["B-1"].channel_updated_at == PLACED + timedelta(minutes=5)
    assert states(hub) == ["done"] * 4 and exceptions(hub) == []


def test_many_channels_orders_in_one_turn_import_once_each_and_reserve_exactly(shop: tuple[Hub, Actor]) -> None:
    hub, admin = shop
    for n in range(30):
        keep(hub, f"s{n % 3}", f"O-{n}")
        if n % 4 == 0:
            keep(hub, f"s{n % 3}", f"O-{n}")  # the platform delivered it twice

    assert inbound.process_pending(hub) == 38
    assert inbound.process_pending(hub) == 0

    found = orders(hub)
    assert sorted(found) == sorted(f"O-{n}" for n in range(30))
    assert sorted(row.status for row in found.values()) == ["awaiting_stock"] * 10 + ["reserved"] * 20
    with hub.uow(write=False) as uow:
        stock = audit_stock(uow.connection, admin.tenant_id)
    assert (stock.reserved, stock.orders_reserved, stock.oversold) == (20, 20, 0)
    assert states(hub) == ["done"] * 38 and exceptions(hub) == []


def test_a_bad_message_among_good_ones_becomes_an_exception_while_the_others_import(
        shop: tuple[Hub, Actor]) -> None:
    hub, admin = shop
    keep(hub, "s0", "G-1")
    keep_text(hub, "s0", "{not json")
    keep(hub, "s0", "U-1", sku="NOT-LISTED")
    keep(hub, "s0", "G-2", quantity=2)
    keep(hub, "s1", "G-3")

    assert inbound.process_pending(hub) == 5

    assert sorted(orders(hub)) == ["G-1", "G-2", "G-3"]
    assert states(hub) == ["done", "exception", "exception", "done", "done"]
    assert exceptions(hub) == [("channels.unmapped_sku", "U-1"), ("channels.unparseable", None)]
    with hub.uow(write=False) as uow:
        assert audit_stock(uow.connection, admin.tenant_id).reserved == 4


def test_the_listing_map_is_read_once_per_channel_and_turn(shop: tuple[Hub, Actor]) -> None:
    hub, _ = shop
    for n in range(12):
        keep(hub, f"s{n % 2}", f"L-{n}")
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, ...)
    event.listen(hub.engine, "before_cursor_execute", listener)
    try:
        inbound.process_pending(hub)
    finally:
        event.remove(hub.engine, "before_cursor_execute", listener)

    assert sum("FROM channel_listings" in statement for statement in statements) == 2
    assert len(orders(hub)) == 12


def test_a_turn_that_never_settled_only_imports_again(shop: tuple[Hub, Actor]) -> None:
    hub, admin = shop
    for n in range(6):
        keep(hub, f"s{n % 3}", f"R-{n}", minutes=n, paid=n % 2 == 0)
    inbound.process_pending(hub)
    before = {code: (row.id, row.status, row.version) for code, row in orders(hub).items()}
    with hub.uow() as uow:  # as if the process died before the settling committed
        uow.connection.execute(update(InboundMessage).values(state="pending"))
        uow.commit()

    assert inbound.process_pending(hub) == 6

    assert {code: (row.id, row.status, row.version) for code, row in orders(hub).items()} == before
    with hub.uow(write=False) as uow:
        assert audit_stock(uow.connection, admin.tenant_id).reserved == 6
    assert states(hub) == ["done"] * 6


def test_an_import_the_database_failed_waits_with_its_later_versions_while_the_others_settle(
        shop: tuple[Hub, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    hub, _ = shop
    keep(hub, "s0", "F-1")
    keep(hub, "s0", "OK-1")
    keep(hub, "s0", "F-1", minutes=5, paid=True)
    one, many = hub.writer.import_order, hub.writer.import_many

    def refuse_f1(commands: list[ImportOrder]) -> None:
        if any(command.order.external_id == "F-1" for command in commands):
            raise OperationalError("INSERT", {}, Exception("connection lost"))

    monkeypatch.setattr(hub.writer, "import_order", lambda command: refuse_f1([command]) or one(command))
    monkeypatch.setattr(hub.writer, "import_many", lambda commands: refuse_f1(commands) or many(commands))
    assert inbound.process_pending(hub) == 3  # F-1's batch fails whole: its orders are tried one by one
    assert sorted(orders(hub)) == ["OK-1"] and states(hub) == ["pending", "done", "pending"]

    monkeypatch.undo()
    assert inbound.process_pending(hub) == 2
    assert orders(hub)["F-1"].payment_state == "paid"
    assert states(hub) == ["done"] * 3 and exceptions(hub) == []


@pytest.mark.parametrize("external_id", ["S-1", "S-\ud800"])
def test_a_message_with_unstorable_text_becomes_one_exception_and_is_not_retried(
        shop: tuple[Hub, Actor], external_id: str) -> None:
    hub, admin = shop
    body = order_body(external_id, lines=[{"sku": "s0-TEE", "quantity": 1, "unit_price": 9900}],
                      buyer={"name": "张\ud800三"})
    keep_text(hub, "s0", json.dumps(body))  # ASCII JSON: kept as sent, the surrogate an escape
    keep(hub, "s0", "G-1")

    assert inbound.process_pending(hub) == 2
    assert inbound.process_pending(hub) == 0

    assert sorted(orders(hub)) == ["G-1"]
    assert sorted(states(hub)) == ["done", "exception"]
    [(kind, _)] = exceptions(hub)
    assert kind == "channels.unparseable"  # the generic adapter validates the canonical order as it parses
    with hub.uow(write=False) as uow:
        assert audit_stock(uow.connection, admin.tenant_id).reserved == 1


def test_a_replayed_message_opens_one_exception_per_channel_and_identity(shop: tuple[Hub, Actor]) -> None:
    hub, _ = shop
    keep(hub, "s0", "U-1", sku="NOT-LISTED")
    keep(hub, "s0", "U-1", sku="NOT-LISTED")  # replayed within the turn
    keep_text(hub, "s0", "{not json")
    keep_text(hub, "s0", "{not json")
    keep(hub, "s1", "U-1", sku="NOT-LISTED")  # another channel's order of the same id is its own
    assert inbound.process_pending(hub) == 5
    keep(hub, "s0", "U-1", sku="NOT-LISTED")  # replayed in a later turn, the first still open
    keep_text(hub, "s0", "{not json")
    assert inbound.process_pending(hub) == 2

    assert states(hub) == ["exception"] * 7  # every copy settled, none retried
    assert exceptions(hub) == [("channels.unmapped_sku", "U-1"), ("channels.unmapped_sku", "U-1"),
                               ("channels.unparseable", None)]


@pytest.mark.parametrize("shop", ["combined"], indirect=True)
def test_a_channels_turn_reaches_the_writer_as_one_batch_per_round(shop: tuple[Hub, Actor]) -> None:
    hub, admin = shop
    for n in range(60):
        keep(hub, "s0", f"T-{n}")
    for n in range(0, 60, 3):
        keep(hub, "s0", f"T-{n}", minutes=5, paid=True)  # their newer versions, a second round

    assert inbound.process_pending(hub) == 80

    with hub.uow(write=False) as uow:
        stock = audit_stock(uow.connection, admin.tenant_id)
    assert (stock.reserved, stock.oversold) == (20, 0)
    assert stock.reserving_transactions == 1  # the 60 first versions in one transaction, not one each
    found = orders(hub)
    assert sum(row.payment_state == "paid" for row in found.values()) == 20 and len(found) == 60
    assert states(hub) == ["done"] * 80


def test_an_unreadable_message_names_the_field_path(shop: tuple[Hub, Actor]) -> None:
    hub, _ = shop
    body = order_body("G-9", lines=[{"sku": "s0-TEE", "quantity": 1, "unit_price": 9900},
                                    {"sku": "s0-TEE", "quantity": 1, "unit_price": 99.5}])
    keep_text(hub, "s0", json.dumps(body))

    inbound.process_pending(hub)

    with hub.uow(write=False) as uow:
        found = uow.connection.execute(select(ChannelException.kind, ChannelException.message,
                                              ChannelException.detail)).one()
    assert found.kind == "channels.unparseable" and found.detail == {"field": "lines[1].unit_price"}
    assert found.message.startswith("unparseable at lines[1].unit_price: ") and "99.5" in found.message

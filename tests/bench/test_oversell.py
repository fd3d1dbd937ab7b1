"""The oversold counter can be seen to count: every fault planted past a guard shows in the audit the benches
report (`flexhub.bench.oversell`), part by part, and in the JSON an order run prints; an honest shop audits to 0."""

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import IntegrityError

from flexhub.bench.load import Load
from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import order_report
from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.testing import faults
from flexhub.testing.builders import create_shop, import_order, line
from flexhub.testing.hubs import running_hub

SKU = "TEE-RED-M"


@pytest.fixture
def shop(database_url: str) -> Iterator[tuple[Hub, Actor]]:
    """5 units received, 2 of them reserved by an order the hub took."""
    with running_hub(database_url) as hub:
        admin = create_shop(hub, stock=5, sku=SKU)
        import_order(hub, admin, external_id="A-1", lines=[line(SKU, 2)])
        yield hub, admin


def audited(hub: Hub, admin: Actor, *plant) -> dict:  # type: ignore[no-untyped-def]
    """Plant the faults, audit and report inside one transaction, then roll it all back."""
    with hub.engine.connect() as connection, connection.begin() as transaction:
        for fault in plant:
            fault(connection)
        stock = audit_stock(connection, admin.tenant_id)
        transaction.rollback()
    return order_report(scenario="planted", mode="per-order", database="any", concurrency=1,
                        load=Load(latencies=[0.001], outcomes=Counter(reserved=1), seconds=0.01), stock=stock)


def test_an_honest_shop_audits_to_nothing_oversold(shop) -> None:
    hub, admin = shop

    report = audited(hub, admin)

    assert report["oversold"] == 0
    assert report["oversold_detail"] == {"beyond_stock": 0, "beyond_on_hand": 0, "unaccounted": 0,
                                         "ledger_differences": 0}
    assert (report["stock"], report["reserved_units"], report["orders_reserved_in_database"]) == (5, 2, 1)


def test_a_reservation_written_around_the_levels_is_oversold(shop) -> None:
    hub, admin = shop

    report = audited(hub, admin, lambda c: faults.reserve_around_the_levels(c, admin.tenant_id, SKU, 6))

    assert report["oversold_detail"]["beyond_stock"] == 2 + 6 - 5
    assert report["oversold_detail"]["unaccounted"] == 6  # the level row holds 2, the reservations 8
    assert report["oversold"] == 3 + 6


def test_with_the_check_constraint_lifted_a_level_past_on_hand_is_oversold(shop) -> None:
    hub, admin = shop

    def past_on_hand(connection) -> None:  # type: ignore[no-untyped-def]
        with faults.stock_check_lifted(connection):
            faults.reserve_past_on_hand(connection, admin.tenant_id, SKU, 4)

    report = audited(hub, admin, past_on_hand)

    assert report["oversold_detail"] == {"beyond_stock": 1, "beyond_on_hand": 1, "unaccounted": 0,
                                         "ledger_differences": 0}
    assert report["oversold"] == 2
    assert audited(hub, admin)["oversold"] == 0  # rolled back: the constraint and the rows as they were


def test_stock_the_ledger_does_not_explain_is_oversold(shop) -> None:
    hub, admin = shop

    report = audited(hub, admin, lambda c: faults.change_on_hand_around_the_ledger(c, admin.tenant_id, SKU, 3))

    assert report["oversold_detail"]["ledger_differences"] == 3
    assert report["oversold"] == 3


def test_the_constraint_still_refuses_a_level_past_on_hand(shop) -> None:
    """The fault above needs the constraint lifted: without it the database refuses the write."""
    hub, admin = shop

    with pytest.raises(IntegrityError), hub.engine.connect() as connection, connection.begin():
        faults.reserve_past_on_hand(connection, admin.tenant_id, SKU, 4)
    assert audited(hub, admin)["oversold"] == 0


def test_a_fault_planted_in_an_order_run_shows_in_its_json(bench, monkeypatch: pytest.MonkeyPatch,
                                                          server_url: str) -> None:
    """`bench hot-sku` end to end, with a reservation written around the guard as the shop opens."""
    from flexhub.bench import run

    opened = run.open_shop

    def open_with_a_fault(hub: Hub, stock):  # type: ignore[no-untyped-def]
        shop = opened(hub, stock)
        with hub.engine.begin() as connection:
            faults.reserve_around_the_levels(connection, shop.admin.tenant_id, next(iter(stock)), 3)
        return shop

    monkeypatch.setattr(run, "open_shop", open_with_a_fault)
    report = bench("hot-sku", "--orders", "10", "--concurrency", "2", "--database-url", server_url)

    assert report["orders_accepted"] == report["stock"] == 9  # the guard never saw the planted 3
    assert report["oversold_detail"] == {"beyond_stock": 3, "beyond_on_hand": 0, "unaccounted": 3,
                                         "ledger_differences": 0}
    assert report["oversold"] == 6


def test_a_fault_planted_in_an_inbound_run_shows_in_its_json(bench, monkeypatch: pytest.MonkeyPatch,
                                                            server_url: str) -> None:
    """`bench inbound` end to end, with the stock of one SKU changed around the ledger before the import."""
    from flexhub.bench import inbound
    from flexhub.bench.inbound import served

    opened = inbound.open_sale

    def open_with_a_fault(hub: Hub, channels: int, units: int):  # type: ignore[no-untyped-def]
        sale = opened(hub, channels, units)
        with hub.engine.begin() as connection:
            faults.change_on_hand_around_the_ledger(connection, sale.admin.tenant_id, "SKU-000", 2)
        return sale

    monkeypatch.setattr(inbound, "open_sale", open_with_a_fault)  # kept messages, in process
    monkeypatch.setattr(served, "open_sale", open_with_a_fault)  # webhooks over HTTP (the default)
    report = bench("inbound", "--messages", "12", "--channels", "2", "--database-url", server_url)

    assert report["oversold"] == 2

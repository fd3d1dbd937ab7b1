"""A store quiet for a minute has measured no round (nothing of it confirmed lately), yet its first figures of a sale
take the round its platform's limits allow: it holds back for that one (sync.published_rounds), over its listings of
the SKUs moving now, and of any SKU a caller names as moving: by default, a sale's announced with its times, so that
a quiet store begins holding back ahead of it its published round's lead before it starts."""

import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from flexhub.catalog.model import Sku
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Channel, Listing, StockPush
from flexhub.channels.queries import allocation_changes
from flexhub.kernel import clock
from flexhub.planning import CreateEvent
from flexhub.sandbox.hub import connect
from flexhub.sandbox.market import Market
from flexhub.sync import figures as figures_module
from flexhub.sync.allocation import HoldBack
from flexhub.sync.figures import FigurePlanner
from flexhub.testing.builders import create_shop, create_sku, import_order, line, receive
from flexhub.testing.hubs import running_hub

SKUS = [f"SKU-{n:04d}" for n in range(9)]
tenants = itertools.count(1)


@contextmanager
def quiet_shop(database_url: str) -> Iterator[tuple]:
    """30 units of each of nine SKUs, listed at the web shop (no credentials: no published round) and at an Amazon
    store (a SKU a call at 5/s); every figure planned and confirmed two minutes ago."""
    with running_hub(database_url) as hub:
        admin = create_shop(hub, code=f"seed-{next(tenants)}", stock=30, sku=SKUS[0])
        for code in SKUS[1:]:
            create_sku(hub, admin, code)
            receive(hub, admin, code, "WH-CENTRAL", 30)
        for code in SKUS:
            hub.handle(CreateListing(actor=admin, channel="web", external_sku=code, sku=code))
        connect(hub, admin, Market(base_url="http://sandbox.test").open_store("amazon", "amz", SKUS))
        yield hub, admin


def confirmed_long_ago(hub, admin) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    with hub.uow() as uow:
        uow.connection.execute(update(StockPush).where(StockPush.tenant_id == admin.tenant_id).values(
            state="synced", changed_at=now - timedelta(seconds=121), pushed_at=now - timedelta(seconds=120)))
        uow.commit()


def sold_one_of_each(hub, admin, planner: FigurePlanner, skus: list[str]) -> None:  # type: ignore[no-untyped-def]
    for n, code in enumerate(skus):
        import_order(hub, admin, channel="web", external_id=f"web-{n}", lines=[line(sku=code)])
    planner.note(admin.tenant_id, sku_ids(hub, admin).values(), clock.now())
    planner.run_once()


def sku_ids(hub, admin) -> dict[str, uuid.UUID]:  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        return dict(uow.connection.execute(select(Sku.code, Sku.id).where(Sku.tenant_id == admin.tenant_id)).all())


def shown(hub, admin, channel: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        return dict(uow.connection.execute(
            select(Listing.external_sku, StockPush.quantity).join(StockPush, StockPush.listing_id == Listing.id)
            .join(Channel, Channel.id == Listing.channel_id)
            .where(Listing.tenant_id == admin.tenant_id, Channel.code == channel)).all())


@pytest.fixture(autouse=True)
def rounds_read_every_turn(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(figures_module, "ROUNDS_FRESH_S", 0.0)
    monkeypatch.setattr(figures_module, "SALES_FRESH_S", 0.0)


def test_a_quiet_stores_first_figures_of_a_sale_hold_back_for_its_published_round(database_url: str) -> None:
    with quiet_shop(database_url) as (hub, admin):
        planner = FigurePlanner(hub.uow, HoldBack(quantile=0.99), vault=hub.vault)
        planner.run_once()
        confirmed_long_ago(hub, admin)

        sold_one_of_each(hub, admin, planner, SKUS)

        with hub.uow(write=False) as uow:
            changes = allocation_changes(uow.connection, admin.tenant_id)
    # Each SKU sold 1 (0.2 a second over the 5 s window). Nine SKUs moving at Amazon: nine patches at 4.5 a second, a
    # 2 s round, 0.4 sales on average and 2 in 99 rounds of 100. Measured alone its round was 0: 29 shown.
    assert shown(hub, admin, "amz") == {code: 27 for code in SKUS}
    assert shown(hub, admin, "web") == {code: 29 for code in SKUS}  # no published round, none measured lately
    assert sorted((c["channel"], c["after"]["held_back"], c["after"]["round_s"]) for c in changes) == [
        ("amz", 2, 2.0)] * len(SKUS)


def test_skus_a_caller_names_as_moving_count_in_the_round(database_url: str) -> None:
    with quiet_shop(database_url) as (hub, admin):
        asked = []

        def announced(connection, tenant_id, now):  # type: ignore[no-untyped-def]
            asked.append(tenant_id)
            return sku_ids(hub, admin).values()

        planner = FigurePlanner(hub.uow, HoldBack(quantile=0.99), vault=hub.vault, moving=announced)
        planner.run_once()
        confirmed_long_ago(hub, admin)

        sold_one_of_each(hub, admin, planner, SKUS[:1])

    # One SKU sold, nine named: Amazon's round is the nine's 2 s, 2 held (its own alone, 0.2 s: 1 held, 28 shown).
    assert shown(hub, admin, "amz") == {SKUS[0]: 27, **{code: 30 for code in SKUS[1:]}}
    assert set(asked) == {admin.tenant_id}


def test_an_announced_sales_skus_count_as_moving_so_a_quiet_store_holds_back_its_published_rounds_lead_ahead(
        database_url: str, clock) -> None:  # type: ignore[no-untyped-def]
    with quiet_shop(database_url) as (hub, admin):
        hold = HoldBack(quantile=0.99, lead_rounds=2.0, lead_s=15.0)
        planner = FigurePlanner(hub.uow, hold, vault=hub.vault, sweep_s=3600.0)
        planner.run_once()
        starts = clock.at + timedelta(minutes=5)
        hub.handle(CreateEvent(actor=admin, name="live", kind="live_room", skus=SKUS, starts_at=starts,
                               ends_at=starts + timedelta(seconds=90), units_per_sku=90, discount_percent=20))
        # Nine SKUs moving at Amazon: nine patches at 4.5 a second, a 2 s round: a lead of 2 x 2 + 15 = 19 s.
        lead = timedelta(seconds=hold.lead(2.0))
        figures = []
        for moment in (starts - lead - timedelta(seconds=1), starts - lead):
            clock.at = moment
            confirmed_long_ago(hub, admin)
            planner.run_once()
            figures.append((shown(hub, admin, "amz"), shown(hub, admin, "web")))

    assert figures[0] == ({code: 30 for code in SKUS}, {code: 30 for code in SKUS})
    # 90 units over 90 s, 1 a second: 2 in the 2 s round on average, 6 in 99 of 100. The web shop: no round.
    assert figures[1] == ({code: 24 for code in SKUS}, {code: 30 for code in SKUS})

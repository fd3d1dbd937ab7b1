"""A figure the planner decides again, unchanged, is pushed again when the store sold since it was given it: a store
takes its own sales off at once, so it shows less than the figure (bench sync, an announced sale: generic-1 was
given 2 while 2 more were held back; it sold 2, the hold ended and the figure was 2 again, and the store showed 0 with
the hub holding 2 until the settle ran out)."""

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from flexhub.bootstrap import Hub
from flexhub.channels.model import StockPush
from flexhub.kernel import clock
from flexhub.sync import repository
from flexhub.testing.builders import create_shop, import_order, line
from flexhub.testing.hubs import running_hub
from flexhub.testing.pushes import pushed, web_listings


def test_an_unchanged_figure_goes_again_when_the_store_sold_since(database_url: str) -> None:
    with running_hub(database_url) as hub:
        admin = create_shop(hub, stock=20)
        sold, quiet = web_listings(hub, admin, 2)
        given = clock.now() - timedelta(seconds=5)
        with hub.engine.begin() as connection:  # both given 5 and confirmed 5 s ago
            connection.execute(insert(StockPush), [pushed(listing, admin.tenant_id, given, state="synced")
                                                   for listing in (sold, quiet)])
        import_order(hub, admin, external_id="W-1", lines=[line(quantity=2)])  # on `web`: both listings' store
        before = versions(hub)

        with hub.uow() as uow:
            changed = repository.upsert_figures(uow.connection, admin.tenant_id, {sold.id: 5},
                                                {sold.id: sold.channel_id}, clock.now())
            uow.commit()

        after = versions(hub)
        assert changed == 1
        assert after[sold.id] == (5, before[sold.id][1] + 1, "pending")
        assert after[quiet.id] == before[quiet.id]  # not planned: untouched


def test_an_unchanged_figure_whose_store_sold_nothing_stays_as_it_is(database_url: str) -> None:
    with running_hub(database_url) as hub:
        admin = create_shop(hub, stock=20)
        (listing,) = web_listings(hub, admin, 1)
        import_order(hub, admin, external_id="W-1", lines=[line(quantity=2)])  # sold before the figure was given
        with hub.engine.begin() as connection:
            connection.execute(insert(StockPush), [pushed(listing, admin.tenant_id, clock.now(), state="synced")])
        before = versions(hub)

        with hub.uow() as uow:
            changed = repository.upsert_figures(uow.connection, admin.tenant_id, {listing.id: 5},
                                                {listing.id: listing.channel_id}, clock.now())
            uow.commit()

        assert changed == 0 and versions(hub) == before


def versions(hub: Hub) -> dict[Any, tuple[int, int, str]]:
    with hub.uow(write=False) as uow:
        return {row.listing_id: (row.quantity, row.version, row.state) for row in uow.connection.execute(
            select(StockPush.listing_id, StockPush.quantity, StockPush.version, StockPush.state))}

"""The sync lag the overview and the channels page show (`sync_lag_ms`): decided → confirmed per listing, p50 and
p99 over the confirmed figures, and the age of the oldest figure still waiting; another tenant's never counts."""

from datetime import timedelta

from sqlalchemy import insert, select

from flexhub.channels.dashboard import sync_lag_ms
from flexhub.channels.model import StockPush
from flexhub.kernel import clock
from flexhub.sync import repository
from flexhub.testing.builders import create_shop
from flexhub.testing.hubs import running_hub
from flexhub.testing.pushes import pushed, web_listings


def test_lag_is_read_from_each_listings_decided_and_confirmed_moments(database_url: str) -> None:
    with running_hub(database_url) as hub:
        admin = create_shop(hub)
        other = create_shop(hub, code="other")
        now = clock.now()
        # Ten figures confirmed 100, 200, … 1000 ms after they were decided; one decided 30 s ago still waiting.
        rows = [pushed(listing, admin.tenant_id, now, state="synced", lag_ms=100 * (n + 1))
                for n, listing in enumerate(web_listings(hub, admin, 10))]
        rows.append(pushed(web_listings(hub, admin, 1, first=10)[0], admin.tenant_id, now - timedelta(seconds=30),
                           state="pending"))
        # Another tenant's slow figure: 60 s.
        rows.append(pushed(web_listings(hub, other, 1)[0], other.tenant_id, now, state="synced", lag_ms=60_000))
        with hub.engine.begin() as connection:
            connection.execute(insert(StockPush), rows)

        with hub.uow(write=False) as uow:
            lag = sync_lag_ms(uow.connection, admin.tenant_id)

    assert (lag["p50"], lag["p99"]) == (600.0, 1000.0)
    assert 30_000 <= lag["oldest_waiting"] < 60_000


def test_a_figure_confirmed_while_a_newer_one_came_counts_the_lag_from_the_one_sent(database_url: str) -> None:
    """A hot SKU's figure moves while its push is on the way: the store then holds the figure sent, so what is left
    waiting is late only since the newer figure — no earlier than the sent one's decision (figure_at) — not since
    the first change of the burst, which made a flash sale's lag grow for as long as the sale lasted."""
    with running_hub(database_url) as hub:
        admin = create_shop(hub)
        listing = web_listings(hub, admin, 1)[0]
        t0 = clock.now() - timedelta(seconds=30)
        decide(hub, admin, listing, 7, t0)
        decide(hub, admin, listing, 6, t0 + timedelta(seconds=10))  # while still waiting: one row, version 2
        sent = row_of(hub, listing)  # the pusher reads version 2 and sends it…
        decide(hub, admin, listing, 5, t0 + timedelta(seconds=20))  # …and a sale moves the figure meanwhile
        with hub.uow() as uow:
            repository.confirm_pushes(uow.connection, [sent], t0 + timedelta(seconds=21))
            uow.commit()
        moved = row_of(hub, listing)
        with hub.uow() as uow:  # the newest figure confirmed at t0 + 22 s
            repository.confirm_pushes(uow.connection, [moved], t0 + timedelta(seconds=22))
            uow.commit()
        with hub.uow(write=False) as uow:
            lag = sync_lag_ms(uow.connection, admin.tenant_id)

    assert (sent.version, sent.quantity) == (2, 6)
    assert moved.state == "pending" and moved.version == 3 and moved.pushed_version == 2
    assert clock.as_utc(moved.changed_at) == t0 + timedelta(seconds=10)  # not t0: the store holds version 2
    assert lag["p50"] == 12_000.0  # t0 + 22 s less the sent figure's t0 + 10 s (before: 22,000 from t0)


def decide(hub, admin, listing, quantity: int, at) -> None:  # type: ignore[no-untyped-def]
    with hub.uow() as uow:
        repository.upsert_figures(uow.connection, admin.tenant_id, {listing.id: quantity},
                                  {listing.id: listing.channel_id}, at)
        uow.commit()


def row_of(hub, listing):  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        return uow.connection.execute(select(StockPush).where(StockPush.listing_id == listing.id)).one()

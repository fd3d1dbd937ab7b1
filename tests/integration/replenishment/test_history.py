"""Demand history from the hub's own records, on SQLite and PostgreSQL: reserved lines by day and
channel, cancellations left out, returns netted, stock-out days censored."""

from datetime import timedelta

import numpy as np

from flexhub.bootstrap import Hub
from flexhub.replenishment.history import read_history
from flexhub.testing import builders
from flexhub.testing.clocks import MovableClock


def sell_daily(hub: Hub, admin, clock: MovableClock, days: int, quantity: int = 2) -> list:
    """One order a day of `quantity` TEE-RED-M through channel web; the imported orders."""
    imported = []
    for day in range(days):
        imported.append(builders.import_order(hub, admin, external_id=f"D-{day}",
                                              lines=[builders.line(quantity=quantity)]))
        clock.advance(days=1)
    return imported


def test_history_counts_reserved_lines_per_day_nets_returns_and_censors_stockouts(hub: Hub, clock: MovableClock):
    admin = builders.create_shop(hub, stock=20)
    start = clock.at.date()
    imported = sell_daily(hub, admin, clock, days=14)  # 20 units last 10 days; then orders wait for stock
    builders.cancel_order(hub, admin, imported[1].order_id)  # its 2 units go back: day 1 sold nothing
    clock.advance(hours=1)
    builders.receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1)
    hub.handle(builders.AdjustStock(actor=admin, sku="TEE-RED-M", location="WH-CENTRAL", quantity_delta=1,
                                    reason="buyer sent it back", kind="return"))
    with hub.uow(write=False) as uow:
        history = read_history(uow.connection, admin.tenant_id, today=start + timedelta(days=15), days=15)
    assert len(history.keys) == 1
    sold = history.sold[0]
    assert sold[:10].tolist() == [2, 0, 2, 2, 2, 2, 2, 2, 2, 2]  # the cancelled order of day 1 is no demand
    assert sold[10:].sum() == 0  # the orders of days 10–13 wait for stock: nothing was reserved for them
    assert history.returned[0, 14] == 1
    assert history.net[0, 14] == -1
    censored = history.censored[0]
    assert not censored[:9].any()
    assert censored[9:].all()  # sold out on day 9: what buyers wanted from then on is unknown
    demand = history.demand()[0]
    assert np.isnan(demand[9:]).all() and demand[:9].tolist() == [2, 0, 2, 2, 2, 2, 2, 2, 2]
    channels = list(history.by_channel)
    assert len(channels) == 1 and history.by_channel[channels[0]].sum() == sold.sum()


def test_history_is_tenant_scoped(hub: Hub, clock: MovableClock):
    admin = builders.create_shop(hub, stock=10)
    other = builders.create_shop(hub, code="other", stock=10)
    sell_daily(hub, admin, clock, days=3)
    with hub.uow(write=False) as uow:
        mine = read_history(uow.connection, admin.tenant_id, today=clock.at.date(), days=5)
        theirs = read_history(uow.connection, other.tenant_id, today=clock.at.date(), days=5)
    assert mine.sold.sum() == 6
    assert theirs.sold.sum() == 0

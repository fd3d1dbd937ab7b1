"""A sale announced with its times holds back ahead at the slow stores, on SQLite and PostgreSQL: with nothing sold
and nothing else planning its SKU, each store's held figure is decided (waiting for the pusher) from the store's
lead before the sale starts (its round twice and 15 s), the slowest first, each before the start; the hold is
recorded naming the sale, and at the sale's end every store shows all there is again."""

from datetime import datetime, timedelta

import pytest

from flexhub.channels.allocation import describe
from flexhub.channels.commands import CreateListing
from flexhub.channels.queries import allocation_changes
from flexhub.planning import CreateEvent
from flexhub.sync import figures as figures_module
from flexhub.sync.allocation import HoldBack
from flexhub.sync.figures import FigurePlanner
from flexhub.testing.builders import create_channel, create_shop
from flexhub.testing.clocks import MovableClock
from flexhub.testing.holds import confirmed_in_rounds, planned_figures
from flexhub.testing.hubs import running_hub

STORES = {"web": 0.0, "wechat": 22.2, "amazon": 44.4}  # each store's round (s): its pushes' lag, decided to confirmed
HOLD = HoldBack(quantile=0.99, lead_rounds=2.0, lead_s=15.0)


@pytest.fixture(autouse=True)
def read_every_turn(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(figures_module, "ROUNDS_FRESH_S", 0.0)
    monkeypatch.setattr(figures_module, "SALES_FRESH_S", 0.0)


def open_shop(hub):  # type: ignore[no-untyped-def]
    admin = create_shop(hub, code="ahead", stock=22)
    for code in list(STORES)[1:]:
        create_channel(hub, admin, code)
    for code in STORES:
        hub.handle(CreateListing(actor=admin, channel=code, external_sku=f"{code.upper()}-TEE", sku="TEE-RED-M"))
    return admin


def test_each_slow_store_holds_back_from_its_lead_before_an_announced_sale_and_shows_all_after_it(
        database_url: str, clock: MovableClock) -> None:
    with running_hub(database_url) as hub:
        admin = open_shop(hub)
        planner = FigurePlanner(hub.uow, HOLD, vault=hub.vault, sweep_s=3600.0)  # only the sale's moments plan it
        planner.run_once()
        starts = clock.at + timedelta(minutes=10)
        ends = starts + timedelta(seconds=90)
        hub.handle(CreateEvent(actor=admin, name="12.12 live", kind="live_room", skus=["TEE-RED-M"],
                               starts_at=starts, ends_at=ends, units_per_sku=25, discount_percent=30))

        def planned_at(moment: datetime) -> dict[str, int]:
            clock.at = moment
            confirmed_in_rounds(hub, admin, STORES, moment)
            planner.run_once()
            return planned_figures(hub, admin)

        amazon_lead, wechat_lead = (timedelta(seconds=HOLD.lead(STORES[code])) for code in ("amazon", "wechat"))
        assert planned_at(starts - amazon_lead - timedelta(seconds=1)) == {"web": 22, "wechat": 22, "amazon": 22}
        # 25 units over 90 s: 0.28 a second; 13 in 99 of WeChat's 22.2 s rounds, 21 in 99 of Amazon's 44.4 s ones
        assert planned_at(starts - amazon_lead) == {"web": 22, "wechat": 22, "amazon": 1}
        assert planned_at(starts - wechat_lead) == {"web": 22, "wechat": 9, "amazon": 1}
        assert planned_at(starts - timedelta(seconds=1)) == {"web": 22, "wechat": 9, "amazon": 1}
        with hub.uow(write=False) as uow:
            changes = allocation_changes(uow.connection, admin.tenant_id)
        assert planned_at(ends) == {"web": 22, "wechat": 22, "amazon": 22}

    assert {(c["channel"], c["after"]["held_back"], c["after"]["sale"]) for c in changes} == {
        ("amazon", 21, "12.12 live"), ("wechat", 13, "12.12 live")}
    amazon = next(c for c in changes if c["channel"] == "amazon")
    assert describe(amazon["after"]) == "shared · held back 21 for a 44.4 s round ahead of 12.12 live"

"""The sync lag the demo's summary prints is the one the overview shows (issue 13: "its summary and overview agree"):
both read `channels.dashboard.sync_lag_ms` over the tenant's listings. Planted here: ten figures confirmed 100 …
1,000 ms after they were decided and one still waiting; the summary's line, the overview's tile and the figures its
live stream starts from all say p50 600.0 and p99 1000.0."""

import io
import json
import re
from datetime import timedelta
from types import SimpleNamespace

from rich.console import Console
from sqlalchemy import insert

from flexhub.channels.model import StockPush
from flexhub.demo import summary
from flexhub.demo.planning import Planning
from flexhub.kernel import clock
from flexhub.sandbox.buyers import Tally
from flexhub.testing.api_client import Api
from flexhub.testing.pushes import pushed, web_listings


def test_the_summary_and_the_overview_show_one_sync_lag(shop: Api) -> None:
    hub, admin, now = shop.hub, shop.tenant.admin, clock.now()
    rows = [pushed(listing, admin.tenant_id, now, state="synced", lag_ms=100 * (n + 1))
            for n, listing in enumerate(web_listings(hub, admin, 10))]
    rows.append(pushed(web_listings(hub, admin, 1, first=10)[0], admin.tenant_id, now, state="pending"))
    with hub.engine.begin() as connection:
        connection.execute(insert(StockPush), rows)

    console = Console(record=True, width=160, file=io.StringIO())
    for table in summary.tables(hub, admin, Tally(), 10.0, SimpleNamespace(shipped=0, collected=0),
                                Planning(supplier_key="k")):
        console.print(table)
    printed = re.search(r"sync lag p50 / p99 \(ms\)\s*│ (\S+) / (\S+)\s", console.export_text())
    assert shop.client.post("/login", data={"api_key": shop.tenant.tokens["admin"]}).status_code == 200
    page = shop.client.get("/").text
    tile = re.search(r'data-figure="lag_p99">([^<]*)<', page)
    figures = json.loads(re.search(r'<script type="application/json" id="figures">(.*?)</script>', page, re.S)[1])

    assert printed and tile, page
    assert (printed[1], printed[2]) == ("600.0", "1000.0")
    assert tile[1] == printed[2]
    assert (figures["lag"]["p50"], figures["lag"]["p99"]) == (600.0, 1000.0)
    assert timedelta(0) <= timedelta(milliseconds=figures["lag"]["oldest_waiting"]) < timedelta(seconds=30)

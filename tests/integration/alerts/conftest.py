"""A shop with eight weeks of sales: 3 tees and 2 caps a day from WH-CENTRAL, 10 tees and 4 caps left."""

from collections.abc import Iterator

import pytest

from flexhub.catalog.commands import CreateSku
from flexhub.testing import builders
from flexhub.testing.api_client import Api, api_over
from flexhub.testing.clocks import MovableClock
from flexhub.testing.purchasing import add_supplier


@pytest.fixture
def selling(database_url: str, clock: MovableClock) -> Iterator[Api]:
    with api_over(database_url) as api:
        admin = api.tenant.admin
        # The SKU's own attributes say 3 days and packs of 6; the supplier's terms are to override them.
        api.hub.handle(CreateSku(actor=admin, code="TEE-RED-M", name="Tee",
                                 attributes={"lead_time_days": 3, "pack": 6, "unit_cost": 2500}))
        builders.create_sku(api.hub, admin, "CAP-BLK")
        builders.create_location(api.hub, admin, "WH-CENTRAL", priority=10)
        builders.create_channel(api.hub, admin)
        builders.receive(api.hub, admin, "TEE-RED-M", "WH-CENTRAL", 3 * 56 + 10)
        builders.receive(api.hub, admin, "CAP-BLK", "WH-CENTRAL", 2 * 56 + 4)
        for day in range(56):
            builders.import_order(api.hub, admin, external_id=f"D-{day}",
                                  lines=[builders.line(quantity=3), builders.line("CAP-BLK", quantity=2)])
            clock.advance(days=1)
        add_supplier(api, "mill-1")
        yield api

"""The own-site sandbox store of the fulfilment tests: one SKU, ten units in Hangzhou, shown in the store."""

from collections.abc import Iterator

import pytest

from flexhub.sandbox.stage import Stage, staged, wait_until
from flexhub.testing.builders import create_location, create_sku, receive

SKU = "TEE-RED-M"


@pytest.fixture
def stage(database_url: str) -> Iterator[Stage]:
    with staged(database_url, push_interval_s=0.2) as stage:
        create_sku(stage.hub, stage.admin, SKU, weight_g=300)
        create_location(stage.hub, stage.admin, "WH-HZ", "regional", country="CN", province="浙江省", city="杭州市")
        stage.open("generic", "web-shop", [SKU])
        receive(stage.hub, stage.admin, SKU, "WH-HZ", 10)
        wait_until(lambda: stage.market.store("generic", "web-shop").listing(SKU).quantity == 10)
        yield stage

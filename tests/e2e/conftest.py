"""The own-site sandbox store of the fulfilment tests: one SKU, ten units in Hangzhou, shown in the store; and the
sandbox SF Express, with the brand's account, for the tests that ship."""

from collections.abc import Iterator

import pytest

from flexhub.fulfillment.commands import CreateCarrierAccount
from flexhub.sandbox.carrier import SfSandbox, create_app
from flexhub.sandbox.server import served
from flexhub.sandbox.stage import Stage, staged, wait_until
from flexhub.testing.builders import create_location, create_sku, receive

SKU = "TEE-RED-M"
TOKEN = "sandbox-push-token"


@pytest.fixture
def stage(database_url: str) -> Iterator[Stage]:
    with staged(database_url, push_interval_s=0.2) as stage:
        create_sku(stage.hub, stage.admin, SKU, weight_g=300)
        create_location(stage.hub, stage.admin, "WH-HZ", "regional", country="CN", province="浙江省", city="杭州市")
        stage.open("generic", "web-shop", [SKU])
        receive(stage.hub, stage.admin, SKU, "WH-HZ", 10)
        wait_until(lambda: stage.market.store("generic", "web-shop").listing(SKU).quantity == 10)
        yield stage


@pytest.fixture
def sf(stage: Stage) -> Iterator[SfSandbox]:
    sandbox = SfSandbox()
    with served(create_app(sandbox)) as url:
        account = stage.hub.handle(CreateCarrierAccount(actor=stage.admin, carrier="sf_express",
                                                        credentials=sandbox.credentials(url, TOKEN)))
        sandbox.push_url = f"{stage.market.hub_url}/webhooks/carriers/sf_express/{account.id}?token={TOKEN}"
        yield sandbox
    sandbox.close()

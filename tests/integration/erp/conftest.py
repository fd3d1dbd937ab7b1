"""A shop on each backend whose hub talks to a sandbox Odoo holding the shop's SKU, through one connection."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from flexhub.bootstrap import Hub, bootstrap
from flexhub.erp.commands import CreateConnection
from flexhub.kernel.messages import Actor
from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.settings import Settings
from flexhub.testing.erp import ODOO_LOGIN, ODOO_URL, behind_sandbox
from flexhub.testing.fulfillment import shipping_shop


@dataclass
class OdooShop:
    hub: Hub
    admin: Actor
    odoo: OdooSandbox
    product_id: int


@pytest.fixture
def shop(database_url: str) -> Iterator[OdooShop]:
    hub = bootstrap(Settings(database_url=database_url))
    try:
        admin = shipping_shop(hub)
        odoo = behind_sandbox(hub, OdooSandbox())
        product = odoo.add("product.product", {"name": "Tee, red, M", "default_code": "TEE-RED-M",
                                               "standard_price": 25.0})
        hub.handle(CreateConnection(actor=admin, code="odoo", kind="odoo", url=ODOO_URL, credentials=ODOO_LOGIN))
        yield OdooShop(hub, admin, odoo, product)
    finally:
        hub.close()

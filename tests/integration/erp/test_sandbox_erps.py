"""The three sandbox ERPs served over HTTP on loopback (as `flexhub sandbox` serves them), on SQLite and PostgreSQL:
connected with the bodies the sandbox prints, an order goes out to each once and a sync reads each one's products,
through the hub's own HTTP client."""

from collections.abc import Iterator

import pytest

from flexhub.erp.commands import SyncConnection
from flexhub.sandbox.erp.app import SandboxErps, create_app
from flexhub.sandbox.server import served
from flexhub.testing.api_client import Api, api_over
from flexhub.testing.builders import line, order_body
from flexhub.testing.erp import documents


@pytest.fixture
def api(database_url: str) -> Iterator[tuple[Api, SandboxErps]]:
    erps = SandboxErps()
    erps.stock(["TEE-RED-M"])
    with served(create_app(erps.handlers())) as url, api_over(database_url) as api:
        api.stock_shop(stock=5)
        api.hub.relay.run_once()  # the shop's opening stock, published before any ERP is connected
        for body in erps.connections(url):
            api.post("/api/v1/erp/connections", body)
        yield api, erps


def test_an_order_reaches_each_served_erp_once_and_each_ones_products_are_read(
        api: tuple[Api, SandboxErps]) -> None:
    hub, erps = api[0], api[1]
    hub.post("/api/v1/orders", order_body(external_id="A-1", lines=[line(quantity=2)]))
    hub.hub.relay.run_once()

    synced = [hub.hub.handle(SyncConnection(actor=hub.tenant.admin, code=code))
              for code in ("odoo", "erpnext", "kingdee")]
    again = [hub.hub.handle(SyncConnection(actor=hub.tenant.admin, code=code))
             for code in ("odoo", "erpnext", "kingdee")]

    assert [(s.sent, s.failed, s.errors, s.read["products"]) for s in synced] == [(1, 0, [], 1)] * 3
    assert [(s.sent, s.read["products"]) for s in again] == [(0, 0)] * 3
    assert [d.state for d in documents(hub.hub)] == ["sent"] * 3
    assert (len(erps.odoo.records("sale.order")), len(erps.erpnext.records("Sales Order")),
            len(erps.kingdee.records("SAL_SaleOrder"))) == (1, 1, 1)

"""The periodic poll, on SQLite and PostgreSQL: every tenant's connections read once, each as its own tenant; an ERP
that refuses the sign-in is logged and skipped, the others read, and its cursors stay unset."""

import httpx2
from sqlalchemy import select

from flexhub.erp.commands import CreateConnection
from flexhub.erp.model import ErpCursor
from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.testing.builders import create_tenant
from flexhub.testing.erp import ODOO_LOGIN

from .conftest import OdooShop


def test_the_poll_reads_every_tenants_erp_and_skips_one_that_fails(shop: OdooShop) -> None:
    other = create_tenant(shop.hub, code="globex", name="Globex")
    refusing = OdooSandbox(users={})  # signs nobody in
    shop.hub.handle(CreateConnection(actor=other, code="odoo", kind="odoo", url="http://refusing.sandbox.test",
                                     credentials=ODOO_LOGIN))

    def route(request: httpx2.Request) -> httpx2.Response:
        erp = refusing if request.url.host == "refusing.sandbox.test" else shop.odoo
        return erp.handle(request)

    shop.hub.http = httpx2.Client(transport=httpx2.MockTransport(route))

    read = shop.hub.erp_reader.poll_all()

    assert read == 1  # the shop's one product
    with shop.hub.uow(write=False) as uow:
        kept = [(r.tenant_id, r.stream) for r in uow.connection.execute(select(ErpCursor))]
    assert kept == [(shop.admin.tenant_id, "products")]

"""A batch of new orders writes one audit row (per actor) and one OrdersReceived listing every order: each order is
found in the audit by its id, and every consumer of the event (ERP documents, members' points) takes each order once,
a redelivery of the event adding nothing. On PostgreSQL both writer paths: COPY (stock to spare) and lock-first (near
sell-out); on SQLite the one path (executemany)."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from flexhub import ordering
from flexhub.bootstrap import Hub
from flexhub.bus.transport import Envelope
from flexhub.erp.commands import CreateConnection
from flexhub.erp.model import ErpDocument
from flexhub.identity.model import AuditEntry
from flexhub.members.commands import RegisterMember
from flexhub.members.model import PointsEntry
from flexhub.ordering.intake import Imported
from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.testing.builders import create_shop, import_command, line
from flexhub.testing.erp import ODOO_LOGIN, ODOO_URL, behind_sandbox
from flexhub.testing.snapshots import outbox

ORDERS = 6
BUYER = {"name": "张三", "phone": "13800000000"}  # order_body's buyer: the member registered below


def a_batch(hub: Hub, stock: int) -> tuple[list[Imported], list[str]]:
    """Six paid orders of a member, each from a request of its own, imported as one batch."""
    admin = create_shop(hub, stock=stock)
    hub.handle(RegisterMember(actor=admin, phone=BUYER["phone"], name="张三"))
    hub.handle(CreateConnection(actor=admin, code="odoo", kind="odoo", url=ODOO_URL, credentials=ODOO_LOGIN))
    requests = [f"req-{n}" for n in range(ORDERS)]
    commands = [import_command(replace(admin, request_id=request), external_id=f"B-{n}", payment_state="paid",
                               buyer=BUYER, lines=[line(quantity=1)]) for n, request in enumerate(requests)]
    outcomes = hub.writer.import_many(commands)
    assert all(isinstance(o, Imported) and o.status == "reserved" for o in outcomes), outcomes
    return outcomes, requests  # type: ignore[return-value]


@pytest.mark.parametrize("stock", [50, ORDERS + 1], ids=["stock to spare", "near sell-out"])
def test_a_batch_writes_one_audit_row_and_one_event_and_each_order_is_found_and_consumed_once(
        combined_hub: Hub, stock: int) -> None:
    hub = combined_hub
    behind_sandbox(hub, OdooSandbox())
    imported, requests = a_batch(hub, stock)
    order_ids = [str(o.order_id) for o in imported]

    (event,) = [e for e in outbox(hub) if e.type == "OrdersReceived"]
    assert ordering.order_ids(event.body) == order_ids
    with hub.uow(write=False) as uow:
        rows = list(uow.connection.execute(select(AuditEntry).where(AuditEntry.action == "order.import")))
        assert len(rows) == 1  # one row for the batch: its one actor
        for order, request in zip(imported, requests, strict=True):
            (entry,) = ordering.order_audit(uow.connection, event.tenant_id, order.order_id)
            assert (entry.action, entry.entity_id, entry.request_id, entry.detail["status"]) == (
                "order.import", str(order.order_id), request, "reserved")

    hub.relay.run_once()
    envelope = Envelope(event.event_id, event.tenant_id, event.type, event.body, event.occurred_at)
    hub.transport.publish([envelope])  # delivered again

    with hub.uow(write=False) as uow:
        documents = uow.connection.execute(select(ErpDocument.hub_ref).where(ErpDocument.kind == "sale_order"))
        earned = uow.connection.execute(select(PointsEntry.order_ref).where(PointsEntry.kind == "earn"))
        assert sorted(documents.scalars()) == sorted(order_ids)
        assert sorted(earned.scalars()) == sorted(order_ids)

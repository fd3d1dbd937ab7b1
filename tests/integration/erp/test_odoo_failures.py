"""Bad answers from a sandbox Odoo, on SQLite and PostgreSQL: a validation error parks the document at once with a
readable reason, an expired session signs in again, a rate limit and a timeout are tried again later, a SKU Odoo
does not know waits in the unmapped queue; each shows in the connection's status, and nothing is lost: once the
cause is gone, the document goes out exactly once."""

from datetime import timedelta

from sqlalchemy import select

from flexhub.db.jobs import QueuedJob
from flexhub.erp import queries
from flexhub.erp.commands import MapRecord, RetryDocument
from flexhub.erp.outbound import KIND
from flexhub.kernel import clock
from flexhub.testing.erp import documents, publish
from flexhub.testing.fulfillment import routed_order

from .conftest import OdooShop


def status(shop: OdooShop) -> dict:
    with shop.hub.uow(write=False) as uow:
        return queries.status(uow.connection, shop.admin.tenant_id, "odoo")


def job(shop: OdooShop) -> QueuedJob:
    with shop.hub.uow(write=False) as uow:
        return uow.connection.execute(select(QueuedJob).where(QueuedJob.kind == KIND)).one()


def test_a_validation_error_parks_the_document_with_its_reason_until_retried(shop: OdooShop) -> None:
    shop.odoo.fail_next("validation", model="sale.order", method="create")
    routed_order(shop.hub, shop.admin)

    publish(shop)

    (parked,) = documents(shop.hub)
    assert (parked.state, parked.attempts) == ("dead", 1)
    assert parked.last_error == "validation error: The operation cannot be completed: sandbox refused it"
    seen = status(shop)
    assert (seen["backlog"], seen["dead"], seen["errors"][0]["error"]) == (0, 1, parked.last_error)
    assert job(shop).state == "dead"
    assert shop.odoo.records("sale.order") == []

    shop.hub.handle(RetryDocument(actor=shop.admin, code="odoo", document_id=str(parked.id)))
    publish(shop)

    (sent,) = documents(shop.hub)
    assert (sent.state, sent.last_error) == ("sent", None)
    assert len(shop.odoo.records("sale.order")) == 1
    assert status(shop)["errors"] == []


def test_an_expired_session_signs_in_again_within_the_same_try(shop: OdooShop) -> None:
    shop.odoo.fail_next("session_expired", model="sale.order", method="create")
    routed_order(shop.hub, shop.admin)

    publish(shop)

    (sent,) = documents(shop.hub)
    assert (sent.state, sent.attempts) == ("sent", 1)
    assert [c["method"] for c in shop.odoo.calls].count("authenticate") == 2
    assert len(shop.odoo.records("sale.order")) == 1


def test_a_rate_limit_waits_as_long_as_odoo_asked_and_a_timeout_backs_off(shop: OdooShop) -> None:
    shop.odoo.fail_next("rate_limit", "timeout", model="sale.order")
    routed_order(shop.hub, shop.admin)
    before = clock.now()

    publish(shop)

    (limited,) = documents(shop.hub)
    assert (limited.state, limited.last_error) == ("pending", "rate limit: HTTP 429, retry after 2 s")
    waiting = job(shop)
    assert timedelta(seconds=1.5) < clock.as_utc(waiting.run_after) - before < timedelta(seconds=10)
    assert shop.hub.erp_sender.run_once() == 0  # not due yet
    assert shop.hub.erp_sender.send_now(limited.id) is False  # asked for now: Odoo times out
    (timed_out,) = documents(shop.hub)
    assert (timed_out.state, timed_out.attempts) == ("pending", 2)
    assert timed_out.last_error.startswith("timeout: no answer in time")
    assert status(shop)["backlog"] == 1

    assert shop.hub.erp_sender.send_now(limited.id) is True
    assert [d.state for d in documents(shop.hub)] == ["sent"]
    assert len(shop.odoo.records("sale.order")) == 1


def test_a_sku_odoo_does_not_know_waits_in_the_unmapped_queue_until_mapped(shop: OdooShop) -> None:
    shop.odoo.models["product.product"][shop.product_id]["default_code"] = "TEE-RED-M-OLD"
    routed_order(shop.hub, shop.admin)

    publish(shop)

    (waiting,) = documents(shop.hub)
    assert waiting.state == "pending"
    assert waiting.last_error == "unmapped: SKU TEE-RED-M has no item in the ERP: map it, or create it there"
    with shop.hub.uow(write=False) as uow:
        queue = queries.mappings(uow.connection, shop.admin.tenant_id, "odoo")
    assert [(m["kind"], m["hub_code"], m["erp_ref"], m["mapped"]) for m in queue] == \
        [("sku", "TEE-RED-M", None, False)]
    assert status(shop)["unmapped"] == 1

    shop.hub.handle(MapRecord(actor=shop.admin, code="odoo", kind="sku", hub_code="TEE-RED-M",
                              erp_ref=str(shop.product_id)))
    assert shop.hub.erp_sender.send_now(waiting.id) is True

    (line,) = shop.odoo.records("sale.order.line")
    assert line["product_id"][0] == shop.product_id
    assert status(shop)["unmapped"] == 0


def test_a_revoked_key_parks_the_document_as_access_denied(shop: OdooShop) -> None:
    shop.odoo.users["hub@brand.example"] = (2, "rotated-key")
    routed_order(shop.hub, shop.admin)

    publish(shop)

    (parked,) = documents(shop.hub)
    assert parked.state == "dead"
    assert parked.last_error == "access denied: Odoo refused the login 'hub@brand.example' on 'flexhub'"

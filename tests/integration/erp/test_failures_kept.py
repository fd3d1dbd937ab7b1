"""Failures with the ERP are kept where a person sees them, on SQLite and PostgreSQL, not only logged: a read that
fails stays on its connection with its reason (the status's `reading` and `errors`, the exceptions queue) and the
poll leaves that ERP alone for a back-off that doubles, then reads again and clears it; a document that keeps
timing out is tried with back-off until it is parked with the reason, and goes out once when retried."""

from datetime import UTC, datetime, timedelta

from flexhub.erp import queries
from flexhub.erp.commands import RetryDocument, SyncConnection
from flexhub.testing.clocks import movable_clock
from flexhub.testing.erp import documents, publish
from flexhub.testing.fulfillment import routed_order

from .conftest import OdooShop

REFUSED = "access denied: Odoo refused the login 'hub@brand.example' on 'flexhub'"


def status(shop: OdooShop) -> dict:
    with shop.hub.uow(write=False) as uow:
        return queries.status(uow.connection, shop.admin.tenant_id, "odoo")


def failures(shop: OdooShop) -> list[dict]:
    with shop.hub.uow(write=False) as uow:
        return queries.failures(uow.connection, shop.admin.tenant_id)


def test_a_failing_read_is_kept_with_its_reason_and_the_poll_backs_off_until_it_reads_again(shop: OdooShop) -> None:
    shop.odoo.users["hub@brand.example"] = (2, "rotated-key")  # the key was changed in Odoo
    with movable_clock(datetime.now(UTC).replace(microsecond=0)) as moving:
        failed_at = moving.at
        assert shop.hub.erp_reader.poll_all() == 0

        seen = status(shop)
        assert seen["reading"] == {"error": REFUSED, "failures": 1, "failed_at": seen["reading"]["failed_at"],
                                   "next_try_at": seen["reading"]["next_try_at"]}
        assert _utc(seen["reading"]["next_try_at"]) - failed_at == timedelta(seconds=60)
        (error,) = seen["errors"]
        assert (error["source"], error["kind"], error["error"], error["attempts"]) == ("read", "read", REFUSED, 1)
        assert [(f["connection"], f["source"], f["error"]) for f in failures(shop)] == [("odoo", "read", REFUSED)]

        calls = len(shop.odoo.calls)
        moving.advance(seconds=59)
        assert shop.hub.erp_reader.poll_all() == 0
        assert len(shop.odoo.calls) == calls  # left alone during its back-off

        moving.advance(seconds=2)
        shop.hub.erp_reader.poll_all()
        again = status(shop)["reading"]
        assert (again["failures"], _utc(again["next_try_at"]) - moving.at) == (2, timedelta(seconds=120))

        shop.odoo.users["hub@brand.example"] = (2, "odoo-key-1")  # the key put right
        moving.advance(seconds=121)
        assert shop.hub.erp_reader.poll_all() == 1  # the shop's product

        cleared = status(shop)
        assert cleared["reading"] == {"error": None, "failures": 0, "failed_at": None, "next_try_at": None}
        assert cleared["errors"] == [] and failures(shop) == []


def test_a_sync_asked_for_reads_at_once_and_says_why_reading_failed(shop: OdooShop) -> None:
    shop.odoo.fail_next("timeout", model="product.product", method="search_read")

    synced = shop.hub.handle(SyncConnection(actor=shop.admin, code="odoo"))

    assert synced.errors == ["reading: timeout: no answer in time (ReadTimeout)"]
    assert status(shop)["reading"]["error"] == "timeout: no answer in time (ReadTimeout)"
    assert shop.hub.handle(SyncConnection(actor=shop.admin, code="odoo")).errors == []  # not held by the back-off
    assert status(shop)["reading"]["error"] is None


def test_a_document_that_keeps_timing_out_is_parked_with_the_reason_and_goes_out_once_retried(
        shop: OdooShop) -> None:
    tries = shop.hub.erp_sender.policy.max_attempts
    shop.odoo.fail_next(*["timeout"] * tries, model="sale.order", method="search_read")
    routed_order(shop.hub, shop.admin)
    publish(shop)
    (document,) = documents(shop.hub)
    (failing,) = failures(shop)
    assert (failing["state"], failing["attempts"], failing["next_try_at"] is not None) == ("pending", 1, True)

    for _ in range(tries - 1):  # each try asked for now, before its back-off
        assert shop.hub.erp_sender.send_now(document.id) is False

    (parked,) = documents(shop.hub)
    assert (parked.state, parked.attempts) == ("dead", tries)
    assert parked.last_error == "timeout: no answer in time (ReadTimeout)"
    (shown,) = failures(shop)
    assert (shown["source"], shown["state"], shown["next_try_at"], shown["hub_ref"]) == \
        ("document", "dead", None, parked.hub_ref)
    assert shop.odoo.records("sale.order") == []

    shop.hub.handle(RetryDocument(actor=shop.admin, code="odoo", document_id=str(parked.id)))
    shop.hub.erp_sender.run_once()

    assert [(d.state, d.last_error) for d in documents(shop.hub)] == [("sent", None)]
    assert len(shop.odoo.records("sale.order")) == 1 and failures(shop) == []


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value

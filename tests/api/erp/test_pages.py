"""The ERP page over HTTP (no browser), in English and Chinese: staff see each connection's backlog and what
failed with its reason, an operator retries a parked document from it, a viewer cannot (refused, nothing
changed), a partner sees no ERP page."""

from collections.abc import Iterator

import httpx2
import pytest

from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.testing.api_client import Api, api_over
from flexhub.testing.builders import line, order_body
from flexhub.testing.erp import behind_sandbox, documents, erp_rows, odoo_body
from flexhub.testing.snapshots import snapshot


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        api.stock_shop(stock=5)
        api.hub.relay.run_once()  # the shop's opening stock, published before any ERP is connected
        odoo = behind_sandbox(api.hub, OdooSandbox())
        odoo.add("product.product", {"name": "Tee", "default_code": "TEE-RED-M"})
        odoo.fail_next("validation", model="sale.order", method="create")
        api.post("/api/v1/erp/connections", odoo_body())
        api.post("/api/v1/orders", order_body(external_id="A-1", lines=[line(quantity=1)]))
        api.hub.relay.run_once()
        api.hub.erp_sender.run_once()
        yield api


def sign_in(api: Api, role: str) -> None:
    api.client.cookies.clear()
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303


def test_an_operator_sees_the_parked_order_with_its_reason_and_retries_it(api: Api) -> None:
    (parked,) = documents(api.hub)
    sign_in(api, "operator")

    listed = api.client.get("/erp").text
    detail = api.client.get("/erp/odoo").text

    assert 'data-connection="odoo"' in listed and 'href="/erp"' in listed
    assert f'data-document="{parked.id}"' in detail
    assert "validation error: The operation cannot be completed: sandbox refused it" in detail
    assert f'action="/erp/odoo/documents/{parked.id}/retry"' in detail
    retried = api.client.post(f"/erp/odoo/documents/{parked.id}/retry", follow_redirects=False)
    assert (retried.status_code, retried.headers["location"]) == (303, "/erp/odoo")
    api.hub.erp_sender.run_once()
    assert [d.state for d in documents(api.hub)] == ["sent"]
    assert "Nothing failed." in api.client.get("/erp/odoo").text


def test_the_page_speaks_chinese(api: Api) -> None:
    sign_in(api, "viewer")
    api.client.get("/lang/zh_Hans", follow_redirects=False)

    page = api.client.get("/erp/odoo").text

    assert "上次同步" in page and "失败项" in page and "已搁置" in page and "从 ERP 读取" in page


def test_a_viewer_cannot_retry_and_a_refused_retry_changes_nothing(api: Api) -> None:
    (parked,) = documents(api.hub)
    sign_in(api, "viewer")
    assert "/retry" not in api.client.get("/erp/odoo").text
    before = (snapshot(api.hub), erp_rows(api.hub), [(d.state, d.attempts) for d in documents(api.hub)])

    refused = api.client.post(f"/erp/odoo/documents/{parked.id}/retry", follow_redirects=False)

    assert refused.status_code == 403
    assert (snapshot(api.hub), erp_rows(api.hub), [(d.state, d.attempts) for d in documents(api.hub)]) == before


def test_a_partner_has_no_erp_page(api: Api) -> None:
    sign_in(api, "partner")

    assert 'href="/erp"' not in api.client.get("/").text
    assert api.client.get("/erp").status_code == 403
    assert api.client.get("/erp/odoo").status_code == 403


def test_the_parked_document_and_a_failing_read_wait_in_the_exceptions_queue(api: Api) -> None:
    (parked,) = documents(api.hub)
    api.hub.http = httpx2.Client(transport=httpx2.MockTransport(lambda request: httpx2.Response(503)))
    api.hub.erp_reader.poll_all()  # Odoo down: the read fails

    queue = api.get("/api/v1/exceptions")["erp"]

    assert [(e["connection"], e["source"], e["error"]) for e in queue] == [
        ("odoo", "read", "ERP unavailable: HTTP 503"),
        ("odoo", "document", "validation error: The operation cannot be completed: sandbox refused it")]
    assert queue[1]["id"] == str(parked.id) and queue[1]["state"] == "dead"
    status = api.get("/api/v1/erp/connections/odoo/status")
    assert [e["source"] for e in status["errors"]] == ["read", "document"]
    assert status["reading"]["error"] == "ERP unavailable: HTTP 503" and status["reading"]["failures"] == 1
    sign_in(api, "operator")
    page = api.client.get("/exceptions").text
    assert f'action="/erp/odoo/documents/{parked.id}/retry"' in page and 'href="/erp/odoo"' in page
    assert "ERP unavailable: HTTP 503" in page
    assert 'data-reading="failing"' in api.client.get("/erp").text

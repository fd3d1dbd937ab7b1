"""The Odoo connector against recorded exchanges (tests/fixtures/erp/odoo, sources in SOURCES.md): it sends exactly
the requests recorded, reads the recorded answers (errors as their reasons), and the sandbox Odoo answers the same
requests in the same shape."""

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from flexhub.erp.connectors.base import Document, ErpFailure
from flexhub.erp.connectors.odoo import OdooConnector, OdooSession
from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.testing.erp import ODOO_LOGIN, ODOO_URL

SAMPLES = Path(__file__).parents[2] / "fixtures" / "erp" / "odoo"
HUB_REF = "0193a1b2-0000-7000-8000-000000000001"


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text())


class Recorded:
    """Answers each request with the next recorded answer (its id set to the request's), keeping what was sent."""

    def __init__(self, *names: str) -> None:
        self.answers = [sample(name)["response"] for name in names]
        self.sent: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/jsonrpc" and request.method == "POST"
        sent = json.loads(request.content)
        self.sent.append(sent)
        return httpx2.Response(200, json={**self.answers.pop(0), "id": sent["id"]})


def session(recorded: Recorded, credentials: dict[str, str] = ODOO_LOGIN) -> OdooSession:
    return OdooConnector().session(httpx2.Client(transport=httpx2.MockTransport(recorded)), ODOO_URL, credentials)


def without_id(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k != "id"}


def test_finding_an_item_sends_authenticate_then_search_read_as_recorded() -> None:
    recorded = Recorded("authenticate", "search_read_product")

    found = session(recorded).find_item("TEE-RED-M")

    assert found == "101"
    assert [without_id(m) for m in recorded.sent] == \
        [without_id(sample(n)["request"]) for n in ("authenticate", "search_read_product")]


def test_a_sales_order_is_created_as_recorded() -> None:
    recorded = Recorded("authenticate", "create_sale_order")
    document = Document(kind="sale_order", hub_ref=HUB_REF, customer="102", note=f"flexhub sale_order {HUB_REF}",
                        lines=[{"item": "101", "sku": "TEE-RED-M", "quantity": 3, "unit_price": 9900}])

    created = session(recorded).create_document(document)

    assert created == "103"
    assert without_id(recorded.sent[1]) == without_id(sample("create_sale_order")["request"])


def test_purchase_orders_are_read_with_their_supplier_as_recorded() -> None:
    recorded = Recorded("authenticate", "search_read_purchase_orders")
    lines = {"jsonrpc": "2.0", "id": 0, "result": [
        {"id": 31, "product_id": [101, "Tee, red, M"], "product_qty": 60.0, "price_unit": 21.5,
         "date_planned": "2026-12-20 08:00:00"}]}
    recorded.answers.append(lines)

    page = session(recorded).changed("purchase_orders", None, 100)

    assert without_id(recorded.sent[1]) == without_id(sample("search_read_purchase_orders")["request"])
    (order,) = page.records
    assert (order["ref"], order["supplier_ref"], order["supplier_name"], order["expected_on"]) == \
        ("21", "7", "Mill One", "2026-12-20")
    assert order["currency"] == "CNY"
    assert order["lines"] == [{"item": "101", "quantity": 60, "unit_cost": 2150}]
    assert page.cursor == "2026-12-01 08:00:00|21"


@pytest.mark.parametrize(("name", "reason", "detail"), [
    ("error_validation", "validation", "The field(s) partner_id of sale.order are required."),
    ("error_access", "access_denied", "You are not allowed to create 'Journal Entry' (account.move) records."),
])
def test_recorded_errors_are_read_as_their_reasons(name: str, reason: str, detail: str) -> None:
    recorded = Recorded("authenticate", name)

    with pytest.raises(ErpFailure) as failed:
        session(recorded).find_item("TEE-RED-M")

    assert (failed.value.reason, failed.value.detail) == (reason, detail)


def test_an_expired_session_signs_in_again_once_then_gives_up() -> None:
    recorded = Recorded("authenticate", "error_session_expired", "authenticate", "error_session_expired")

    with pytest.raises(ErpFailure) as failed:
        session(recorded).find_item("TEE-RED-M")

    assert failed.value.reason == "session_expired"
    assert [m["params"]["method"] for m in recorded.sent] == ["authenticate", "execute_kw"] * 2


def test_a_refused_login_is_access_denied() -> None:
    recorded = Recorded("authenticate_refused")

    with pytest.raises(ErpFailure) as failed:
        session(recorded, {**ODOO_LOGIN, "api_key": "wrong-key"}).find_item("TEE-RED-M")

    assert failed.value.reason == "access_denied"


def shape(value: Any) -> Any:
    """A message's structure: its keys all the way down, and the type of each leaf."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k != "debug"}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


@pytest.mark.parametrize("name", ["authenticate", "authenticate_refused", "search_read_product", "create_sale_order",
                                  "error_validation"])
def test_the_sandbox_answers_the_recorded_requests_in_odoos_shape(name: str) -> None:
    odoo = OdooSandbox()  # its first records take the recorded ids: product 101, partner 102
    assert odoo.add("product.product", {"name": "Tee, red, M", "default_code": "TEE-RED-M"}) == 101
    assert odoo.add("res.partner", {"name": "Channel web", "ref": "flexhub:channel:web"}) == 102
    recorded = sample(name)
    request = recorded["request"]

    answered = odoo.handle(httpx2.Request("POST", f"{ODOO_URL}/jsonrpc", json=request)).json()

    assert shape(answered) == shape(recorded["response"])
    assert answered["id"] == request["id"]


def test_the_sandboxs_session_expiry_matches_the_recorded_error() -> None:
    odoo = OdooSandbox()
    odoo.fail_next("session_expired")
    recorded = sample("error_session_expired")

    answered = odoo.handle(httpx2.Request("POST", f"{ODOO_URL}/jsonrpc", json=recorded["request"])).json()

    assert shape(answered) == shape(recorded["response"])
    assert (answered["error"]["code"], answered["error"]["message"]) == (100, "Odoo Session Expired")

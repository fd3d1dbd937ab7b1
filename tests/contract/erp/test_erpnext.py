"""The ERPNext connector against recorded exchanges (tests/fixtures/erp/erpnext, sources in SOURCES.md): it sends
the requests recorded, reads the recorded answers (errors as their reasons), and the sandbox ERPNext answers the
same requests in the same shape."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx2
import pytest

from flexhub.erp.connectors.base import Document, ErpFailure
from flexhub.erp.connectors.erpnext import ErpNextConnector, ErpNextSession
from flexhub.sandbox.erp.erpnext import ErpNextSandbox

SAMPLES = Path(__file__).parents[2] / "fixtures" / "erp" / "erpnext"
URL = "https://erp.brand.example"
LOGIN = {"api_key": "erpnext-key", "api_secret": "erpnext-secret"}
HUB_REF = "0193a1b2-0000-7000-8000-000000000001"


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text())


class Recorded:
    def __init__(self, *names: str) -> None:
        self.answers = [sample(name)["response"] for name in names]
        self.sent: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append({"method": request.method, "path": unquote(request.url.path),
                          "query": dict(request.url.params), "authorization": request.headers["authorization"],
                          "body": json.loads(request.content) if request.content else None})
        answer = self.answers.pop(0)
        return httpx2.Response(answer["status"], json=answer["body"])


def session(recorded: Recorded, credentials: dict[str, str] = LOGIN) -> ErpNextSession:
    return ErpNextConnector().session(httpx2.Client(transport=httpx2.MockTransport(recorded)), URL, credentials)


def as_sent(name: str) -> dict[str, Any]:
    request = sample(name)["request"]
    return {"method": request["method"], "path": request["path"], "query": request.get("query", {}),
            "authorization": request["headers"]["Authorization"], "body": request.get("body")}


def test_finding_an_item_is_a_filtered_list_as_recorded() -> None:
    recorded = Recorded("list_item")

    assert session(recorded).find_item("TEE-RED-M") == "TEE-RED-M"
    assert recorded.sent == [as_sent("list_item")]


def test_a_sales_order_is_posted_as_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = Recorded("create_sales_order")
    document = Document(kind="sale_order", hub_ref=HUB_REF, customer="Channel web",
                        lines=[{"item": "TEE-RED-M", "sku": "TEE-RED-M", "quantity": 3, "unit_price": 9900}])

    made = session(recorded).create_document(document)

    assert made == "SAL-ORD-2026-00001"
    sent, expected = recorded.sent[0], as_sent("create_sales_order")
    today = sent["body"]["delivery_date"]  # the day it is sent: the sample's day stands in for it
    expected["body"]["delivery_date"] = expected["body"]["items"][0]["delivery_date"] = today
    assert sent == expected


@pytest.mark.parametrize(("name", "reason", "detail"), [
    ("error_validation", "validation", "[Sales Order, New Sales Order]: delivery_date, items"),
    ("error_auth", "access_denied", "Invalid API key or secret"),
])
def test_recorded_errors_are_read_as_their_reasons(name: str, reason: str, detail: str) -> None:
    with pytest.raises(ErpFailure) as failed:
        session(Recorded(name)).find_item("TEE-RED-M")

    assert (failed.value.reason, failed.value.detail) == (reason, detail)


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k not in ("modified", "creation")}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def replay(sandbox: ErpNextSandbox, name: str) -> httpx2.Response:
    request = sample(name)["request"]
    return sandbox.handle(httpx2.Request(request["method"], URL + request["path"], params=request.get("query"),
                                         headers=request["headers"], json=request.get("body")))


@pytest.mark.parametrize("name", ["list_item", "create_sales_order", "error_validation", "error_auth"])
def test_the_sandbox_answers_the_recorded_requests_in_erpnexts_shape(name: str) -> None:
    sandbox = ErpNextSandbox()
    sandbox.add("Item", {"item_code": "TEE-RED-M", "item_name": "Tee, red, M"})
    sandbox.add("Customer", {"customer_name": "Channel web"})

    answered = replay(sandbox, name)

    recorded = sample(name)["response"]
    assert answered.status_code == recorded["status"]
    body = answered.json()
    if name == "create_sales_order":  # the sandbox's document has more fields than the sample shows
        body = {"data": {k: v for k, v in body["data"].items() if k in recorded["body"]["data"]}}
        body["data"]["items"] = [{k: v for k, v in item.items() if k in recorded["body"]["data"]["items"][0]}
                                 for item in body["data"]["items"]]
    assert shape(body) == shape(recorded["body"])

"""The Kingdee connector against recorded exchanges (tests/fixtures/erp/kingdee, sources in SOURCES.md): it signs in
and calls as recorded, reads the recorded answers (errors as their reasons), and the sandbox Kingdee answers the
same calls in the same shape."""

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from flexhub.erp.connectors.base import Document, ErpFailure
from flexhub.erp.connectors.kingdee import KingdeeConnector, KingdeeSession
from flexhub.sandbox.erp.kingdee import KingdeeSandbox
from flexhub.testing.erp import KINGDEE_LOGIN, KINGDEE_URL

SAMPLES = Path(__file__).parents[2] / "fixtures" / "erp" / "kingdee"
HUB_REF = "0193a1b2-0000-7000-8000-000000000001"


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text())


class Recorded:
    def __init__(self, *names: str) -> None:
        self.answers = [sample(name)["response"] for name in names]
        self.sent: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append({"service": request.url.path.rsplit("/", 1)[-1], "body": json.loads(request.content),
                          "cookie": request.headers.get("cookie")})
        answer = self.answers.pop(0)
        headers = {"Set-Cookie": answer["set_cookie"]} if "set_cookie" in answer else {}
        return httpx2.Response(answer["status"], json=answer["body"], headers=headers)


def session(recorded: Recorded, credentials: dict[str, str] = KINGDEE_LOGIN) -> KingdeeSession:
    return KingdeeConnector().session(httpx2.Client(transport=httpx2.MockTransport(recorded)), KINGDEE_URL,
                                      credentials)


def as_sent(name: str) -> dict[str, Any]:
    return {"service": sample(name)["request"]["service"], "body": sample(name)["request"]["body"]}


def test_finding_an_item_signs_in_then_queries_as_recorded() -> None:
    recorded = Recorded("login", "query_material")

    assert session(recorded).find_item("TEE-RED-M") == "TEE-RED-M"
    assert [{k: m[k] for k in ("service", "body")} for m in recorded.sent] == \
        [as_sent("login"), as_sent("query_material")]
    assert recorded.sent[1]["cookie"] == "kdservice-sessionid=5a1f0c2e-session"


def test_a_sales_order_is_saved_submitted_and_audited_as_recorded() -> None:
    recorded = Recorded("login", "save_sale_order", "audit", "audit")
    document = Document(kind="sale_order", hub_ref=HUB_REF, customer="channel-web",
                        lines=[{"item": "TEE-RED-M", "sku": "TEE-RED-M", "quantity": 3, "unit_price": 9900}])

    assert session(recorded).create_document(document) == "XSDD000001"

    saved = recorded.sent[1]
    expected = as_sent("save_sale_order")
    expected["body"]["data"]["Model"]["FDate"] = saved["body"]["data"]["Model"]["FDate"]  # the day it is sent
    assert saved == {**expected, "cookie": "kdservice-sessionid=5a1f0c2e-session"}
    submitted, audited = recorded.sent[2], recorded.sent[3]
    assert submitted["service"].endswith("DynamicFormService.Submit.common.kdsvc")
    assert {k: audited[k] for k in ("service", "body")} == as_sent("audit")
    assert submitted["body"] == audited["body"]


@pytest.mark.parametrize(("names", "reason", "detail"), [
    (("login", "error_save"), "validation", "字段“FCustId”是必填项"),
    (("login", "error_session_lost", "login", "error_session_lost"), "session_expired", "会话信息已丢失，请重新登录"),
    (("login_refused",), "access_denied", "第三方系统登录授权验证失败"),
])
def test_recorded_errors_are_read_as_their_reasons(names: tuple[str, ...], reason: str, detail: str) -> None:
    recorded = Recorded(*names)
    call = session(recorded)

    with pytest.raises(ErpFailure) as failed:
        if "error_save" in names:
            call.create_document(Document(kind="sale_order", hub_ref=HUB_REF, customer="channel-web"))
        else:
            call.find_item("TEE-RED-M")

    assert (failed.value.reason, failed.value.detail) == (reason, detail)


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k not in ("Context",)}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


@pytest.mark.parametrize("name", ["login", "login_refused", "query_material", "save_sale_order", "error_save"])
def test_the_sandbox_answers_the_recorded_calls_in_kingdees_shape(name: str) -> None:
    sandbox = KingdeeSandbox()
    sandbox.add("BD_MATERIAL", {"FNumber": "TEE-RED-M", "FName": "T恤"})
    sandbox.add("BD_Customer", {"FNumber": "channel-web", "FName": "Channel web"})
    signed = sandbox.handle(httpx2.Request("POST", f"{KINGDEE_URL}/{sample('login')['request']['service']}",
                                           json=sample("login")["request"]["body"]))
    request = sample(name)["request"]

    answered = sandbox.handle(httpx2.Request("POST", f"{KINGDEE_URL}/{request['service']}", json=request["body"],
                                             headers={"Cookie": signed.headers["set-cookie"].split(";")[0]}))

    recorded = sample(name)["response"]
    assert answered.status_code == recorded["status"]
    assert shape(answered.json()) == shape(recorded["body"])

"""The fast lane for POST /webhooks/{platform}/{channel_code} (api/webhook_lane.py): for good and bad webhooks alike
it answers as the route answers, status, code and body, and a webhook it refuses keeps nothing (no message, no
nonce); the signature picks the tenant whose channel it is; and it answers without the route ever being reached."""

import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount

from flexhub.api import webhook_lane
from flexhub.api.app import create_app
from flexhub.api.webhook_lane import WebhookLane
from flexhub.bootstrap import Hub
from flexhub.channels.model import InboundMessage, PushNonce
from flexhub.channels.platforms.generic import HEADER
from flexhub.integrations.signing import hmac_sha256_hex
from flexhub.sandbox.platforms.wechat_push import order_push
from flexhub.testing.asgi import Route
from flexhub.testing.builders import create_channel, create_tenant, order_body
from flexhub.testing.hubs import running_hub

WECHAT = {"appid": "wx0000000000000000", "appsecret": "fake_appsecret", "access_token": "FAKE",
          "token": "fake_token", "encoding_aes_key": "ZmxleGh1Yi1mYWtlLWVuY29kaW5nLWFlcy1rZXktMzI"}
SECRETS = {"acme": "secret-of-acme", "other": "secret-of-other"}  # both tenants have a generic channel `shop`
MAX_BODY = 4096


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    body: bytes


def generic(external_id: str, secret: str = SECRETS["acme"], code: str = "shop", platform: str = "generic",
            body: bytes | None = None) -> Post:
    content = body if body is not None else json.dumps(order_body(external_id)).encode()
    return Post(f"/webhooks/{platform}/{code}",
                {"content-type": "application/json", HEADER: "sha256=" + hmac_sha256_hex(secret, content)}, content)


def wechat(external_id: str, sent_at: int | None = None) -> Post:
    push = order_push("wx", WECHAT, external_id, sent_at=sent_at)
    return Post(push.path, dict(push.headers), push.body)


# Each case: the posts in turn, made afresh for the lane and for the route (order n, sent at the same second), so
# each meets the same situation.
CASES: dict[str, Callable[[int, int], list[Post]]] = {
    "kept": lambda n, _: [generic(f"K-{n}")],
    "bad signature": lambda n, _: [generic(f"B-{n}", secret="not-the-secret")],
    "unknown channel": lambda n, _: [generic(f"U-{n}", code="nowhere")],
    "unknown platform": lambda n, _: [generic(f"P-{n}", platform="nowhere")],
    "not UTF-8": lambda n, _: [generic("", body=b"\xff\xfe")],
    "oversize": lambda n, _: [generic("", body=b"{" + b" " * MAX_BODY + b"}")],
    "nonce replayed": lambda n, at: [wechat(f"37000000000000{n}", at)] * 2,
    "another tenant's secret": lambda n, _: [generic(f"T-{n}", secret=SECRETS["other"])],
}


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    with running_hub(database_url, max_body_bytes=MAX_BODY) as hub:
        for code, secret in SECRETS.items():
            admin = create_tenant(hub, code)
            create_channel(hub, admin, "shop", credentials={"webhook_secret": secret})
            if code == "acme":
                create_channel(hub, admin, "wx", platform="wechat", credentials=WECHAT)
        yield hub


def kept(hub: Hub) -> tuple[int, int]:
    with hub.uow(write=False) as uow:
        return tuple(uow.connection.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[return-value]
                     for table in (InboundMessage, PushNonce))


def tenant_of(hub: Hub, message_id: str) -> str:
    with hub.uow(write=False) as uow:
        return str(uow.connection.execute(select(InboundMessage.tenant_id)
                                          .where(InboundMessage.id == uuid.UUID(message_id))).scalar_one())


def answered(hub: Hub, client: TestClient, posts: list[Post]) -> list[dict[str, Any]]:
    """Each answer as compared (a kept message's id stands as `<id>`), with what it kept and for which tenant."""
    seen = []
    for post in posts:
        before = kept(hub)
        answer = client.post(post.path, content=post.body, headers=post.headers)
        body = answer.json()
        tenant = tenant_of(hub, body["id"]) if answer.status_code == 200 else None
        seen.append({"status": answer.status_code, "type": answer.headers["content-type"],
                     "body": {**body, "id": "<id>"} if "id" in body else body,
                     "kept": tuple(now - was for now, was in zip(kept(hub), before, strict=True)), "tenant": tenant})
    return seen


@pytest.mark.parametrize("case", CASES)
def test_the_lane_answers_as_the_route_and_a_refusal_keeps_nothing(hub: Hub, case: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client, now = TestClient(create_app(hub)), int(time.time())
    through_lane = answered(hub, client, CASES[case](1, now))
    monkeypatch.setattr(webhook_lane, "PATH", webhook_lane.re.compile(r"(?!)"))  # the lane steps aside
    through_route = answered(hub, client, CASES[case](2, now))

    assert through_lane == through_route
    for answer in through_lane:
        assert (answer["status"] == 200) == (answer["kept"] != (0, 0)), answer  # a refusal keeps nothing
    expected = {"kept": [200], "bad signature": [401], "unknown channel": [404], "unknown platform": [422],
                "not UTF-8": [400], "oversize": [413], "nonce replayed": [200, 401], "another tenant's secret": [200]}
    assert [answer["status"] for answer in through_lane] == expected[case]


def test_the_signature_picks_the_tenant_whose_channel_it_is(hub: Hub) -> None:
    client = TestClient(create_app(hub))
    ours, theirs = answered(hub, client, [generic("O-1"), generic("O-2", secret=SECRETS["other"])])

    assert ours["tenant"] != theirs["tenant"] and None not in (ours["tenant"], theirs["tenant"])
    assert ours["kept"] == theirs["kept"] == (1, 0)


def test_the_lane_answers_every_channel_webhook_without_the_route_and_leaves_the_rest(hub: Hub) -> None:
    route = Route()
    app = Starlette(routes=[Mount("/", route)], middleware=[Middleware(WebhookLane)])
    app.state.hub = hub
    lane = TestClient(app)
    posts = [generic("R-1"), generic("R-2", secret="wrong"), generic("R-3", code="nowhere"), wechat("3700000000000077")]

    statuses = [lane.post(post.path, content=post.body, headers=post.headers).status_code for post in posts]
    reached = route.reached
    others = [lane.get("/webhooks/generic/shop").status_code,
              lane.post("/webhooks/carriers/sf/acct", content=b"{}").status_code,
              lane.post("/webhooks/generic/shop/", content=b"{}").status_code]

    assert statuses == [200, 401, 404, 200] and reached == 0
    assert others == [418, 418, 418] and route.reached == 3

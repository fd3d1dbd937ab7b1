"""A signed nonce is good once: a WeChat push replayed within its freshness window, to the same API process or to
another on the same database, is refused 401 channels.replayed_push with nothing kept; a new push is kept."""

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from flexhub.api.app import create_app
from flexhub.bootstrap import Hub
from flexhub.channels import inbound
from flexhub.channels.errors import ReplayedPush
from flexhub.channels.model import ChannelException, InboundMessage, PushNonce
from flexhub.sandbox.platform import Webhook
from flexhub.sandbox.platforms.wechat_push import order_push
from flexhub.testing.builders import create_channel, create_tenant
from flexhub.testing.clocks import movable_clock
from flexhub.testing.hubs import running_hub

CREDENTIALS = {"appid": "wx0000000000000000", "appsecret": "fake_appsecret", "access_token": "FAKE",
               "token": "fake_token", "encoding_aes_key": "ZmxleGh1Yi1mYWtlLWVuY29kaW5nLWFlcy1rZXktMzI"}


@pytest.fixture
def hubs(database_url: str) -> Iterator[tuple[Hub, Hub]]:
    """Two hubs on one database, as two API processes are."""
    with running_hub(database_url) as first, running_hub(database_url) as second:
        create_channel(first, create_tenant(first), "wx", platform="wechat", credentials=CREDENTIALS)
        yield first, second


def post(hub: Hub, push: Webhook):  # type: ignore[no-untyped-def]
    with TestClient(create_app(hub)) as client:
        return client.post(push.path, headers=push.headers, content=push.body)


def counts(hub: Hub) -> tuple[int, int, int]:
    with hub.uow(write=False) as uow:
        return tuple(uow.connection.execute(select(func.count()).select_from(table)).scalar_one()
                     for table in (InboundMessage, PushNonce, ChannelException))  # type: ignore[return-value]


def test_a_push_replayed_to_another_api_process_is_refused_and_nothing_kept(hubs: tuple[Hub, Hub]) -> None:
    first, second = hubs
    push = order_push("wx", CREDENTIALS, "3700000000000001")

    kept = post(first, push)
    replayed = post(second, push)
    again = post(first, push)

    assert kept.status_code == 200, kept.text
    for answer in (replayed, again):
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "channels.replayed_push", answer.text
    assert counts(first) == (1, 1, 0)


def test_a_new_push_with_its_own_nonce_is_kept_by_either_process(hubs: tuple[Hub, Hub]) -> None:
    first, second = hubs

    answers = [post(hub, order_push("wx", CREDENTIALS, f"370000000000000{n}")) for n, hub in enumerate(hubs)]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert counts(second) == (2, 2, 0)


def test_a_nonce_is_forgotten_once_its_push_would_be_stale(database_url: str) -> None:
    with running_hub(database_url) as hub, movable_clock(datetime.now(UTC)) as clock:
        create_channel(hub, create_tenant(hub), "wx", platform="wechat", credentials=CREDENTIALS)
        first = order_push("wx", CREDENTIALS, "3700000000000001", sent_at=clock.now().timestamp())
        receive(hub, first)
        with pytest.raises(ReplayedPush) as refused:
            receive(hub, first)
        assert (refused.value.code, refused.value.status) == ("channels.replayed_push", 401)

        clock.advance(minutes=6)  # the first push's window is over: its nonce is not kept past it
        receive(hub, order_push("wx", CREDENTIALS, "3700000000000002", sent_at=clock.now().timestamp()))

        with hub.uow(write=False) as uow:
            assert uow.connection.execute(select(func.count()).select_from(PushNonce)).scalar_one() == 1
        assert counts(hub)[0] == 2


def receive(hub: Hub, push: Webhook) -> None:
    signals = dict(parse_qsl(urlsplit(push.path).query))
    inbound.receive_webhook(hub, "wechat", "wx", {**signals, **push.headers}, push.body)

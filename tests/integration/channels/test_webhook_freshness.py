"""Signed pushes must be fresh: a WeChat push whose signed timestamp is outside the window (a capture replayed
later, or one from the future) is refused 401 channels.stale_push with nothing kept, while a fresh one is kept."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import func, select

from flexhub.bootstrap import Hub
from flexhub.channels import inbound
from flexhub.channels.errors import StalePush
from flexhub.channels.model import InboundMessage
from flexhub.kernel import clock
from flexhub.sandbox.platforms.wechat_push import order_push
from flexhub.testing.builders import create_channel, create_tenant
from flexhub.testing.hubs import running_hub

CREDENTIALS = {"appid": "wx0000000000000000", "appsecret": "fake_appsecret", "access_token": "FAKE",
               "token": "fake_token", "encoding_aes_key": "ZmxleGh1Yi1mYWtlLWVuY29kaW5nLWFlcy1rZXktMzI"}


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    with running_hub(database_url) as hub:
        create_channel(hub, create_tenant(hub), "wx", platform="wechat", credentials=CREDENTIALS)
        previous = clock._now  # put back whatever was in force
        yield hub
        clock.set_clock(previous)


def receive(hub: Hub, at: datetime) -> None:
    push = order_push("wx", CREDENTIALS, "3700000000000001")
    clock.set_clock(lambda: at)  # the hub's clock when the push arrives
    signals = dict(parse_qsl(urlsplit(push.path).query))
    inbound.receive_webhook(hub, "wechat", "wx", {**signals, **push.headers}, push.body)


def kept(hub: Hub) -> int:
    with hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(InboundMessage)).scalar_one()


def test_a_fresh_wechat_push_is_kept(hub: Hub) -> None:
    receive(hub, datetime.now(UTC) + timedelta(minutes=4))
    assert kept(hub) == 1


@pytest.mark.parametrize("offset", [timedelta(minutes=6), timedelta(hours=-1)])
def test_a_stale_or_future_wechat_push_is_refused_and_nothing_kept(hub: Hub, offset: timedelta) -> None:
    with pytest.raises(StalePush) as refused:
        receive(hub, datetime.now(UTC) + offset)
    assert (refused.value.code, refused.value.status) == ("channels.stale_push", 401)
    assert kept(hub) == 0

"""Webhooks received together (channels.receipt): a batch's good pushes kept in one transaction, each answered with
its own message; a bad signature, an unknown channel, a body that is not text or a nonce replayed within the batch
refused alone with nothing of it kept; a transaction that fails keeps nothing of the batch and claims no nonce; and
concurrent requests through the hub's desk share one batch."""

import asyncio
import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import func, select

from flexhub.bootstrap import Hub
from flexhub.channels import receipt, repository
from flexhub.channels.model import InboundMessage, PushNonce
from flexhub.channels.platforms.generic import HEADER
from flexhub.channels.receipt import Receipt, receive_webhooks
from flexhub.integrations.signing import hmac_sha256_hex
from flexhub.kernel.errors import FlexhubError
from flexhub.sandbox.platform import Webhook
from flexhub.sandbox.platforms.wechat_push import order_push
from flexhub.testing.builders import create_channel, create_tenant, order_body
from flexhub.testing.hubs import running_hub

SECRETS = {"s0": "secret-0", "s1": "secret-1"}
WECHAT = {"appid": "wx0000000000000000", "appsecret": "fake_appsecret", "access_token": "FAKE",
          "token": "fake_token", "encoding_aes_key": "ZmxleGh1Yi1mYWtlLWVuY29kaW5nLWFlcy1rZXktMzI"}


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    with running_hub(database_url) as hub:
        admin = create_tenant(hub)
        for code, secret in SECRETS.items():
            create_channel(hub, admin, code, credentials={"webhook_secret": secret})
        create_channel(hub, admin, "wx", platform="wechat", credentials=WECHAT)
        yield hub


def signed(code: str, external_id: str, *, secret: str | None = None) -> Receipt:
    body = json.dumps(order_body(external_id)).encode()
    signature = "sha256=" + hmac_sha256_hex(secret or SECRETS[code], body)
    return Receipt("generic", code, {"content-type": "application/json", HEADER: signature}, body)


def wechat(push: Webhook) -> Receipt:
    return Receipt("wechat", "wx", {**dict(parse_qsl(urlsplit(push.path).query)), **push.headers}, push.body)


def kept(hub: Hub) -> dict[uuid.UUID, tuple[str, str]]:
    with hub.uow(write=False) as uow:
        rows = uow.connection.execute(select(InboundMessage.id, InboundMessage.channel_id, InboundMessage.body))
        return {row.id: (str(row.channel_id), row.body) for row in rows}


def nonces(hub: Hub) -> int:
    with hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(PushNonce)).scalar_one()


def test_a_batchs_good_webhooks_are_kept_each_with_its_own_id_and_the_bad_refused_alone(hub: Hub) -> None:
    batch = [signed("s0", "A-1"), signed("s1", "B-1"), signed("s0", "A-2", secret="not-the-secret"),
             signed("nowhere", "C-1", secret="x"), Receipt("generic", "s1", {}, b"\xff\xfe"), signed("s1", "B-2")]

    answers = receive_webhooks(hub, batch)

    refused = {at: (answer.code, answer.status) for at, answer in enumerate(answers)
               if isinstance(answer, FlexhubError)}
    assert refused == {2: ("channels.bad_signature", 401), 3: ("channels.unknown_channel", 404),
                       4: ("channels.unreadable_payload", 400)}
    stored = kept(hub)
    good = [answers[at] for at in (0, 1, 5)]
    assert set(stored) == set(good) and len(set(good)) == 3
    assert [json.loads(stored[answer][1])["external_id"] for answer in good] == ["A-1", "B-1", "B-2"]  # type: ignore[index]


def test_a_nonce_replayed_within_one_batch_keeps_the_first_push_only(hub: Hub) -> None:
    push, other = order_push("wx", WECHAT, "3700000000000001"), order_push("wx", WECHAT, "3700000000000002")

    answers = receive_webhooks(hub, [wechat(push), wechat(push), wechat(other)])

    assert isinstance(answers[0], uuid.UUID) and isinstance(answers[2], uuid.UUID)
    assert isinstance(answers[1], FlexhubError) and answers[1].code == "channels.replayed_push"
    assert set(kept(hub)) == {answers[0], answers[2]} and nonces(hub) == 2


def test_a_batch_whose_transaction_fails_keeps_nothing_and_claims_no_nonce(
        hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    """The nonces are claimed and then the insert fails: the transaction rolls back whole, so the platform's retry
    of every push of the batch is kept then (none of them looks like a replay)."""
    batch = [signed("s0", "A-1"), wechat(order_push("wx", WECHAT, "3700000000000001")), signed("s1", "B-1")]

    def failing(connection, rows):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away mid-batch")

    monkeypatch.setattr(repository, "keep_messages", failing)
    with pytest.raises(RuntimeError, match="mid-batch"):
        receive_webhooks(hub, batch)
    assert kept(hub) == {} and nonces(hub) == 0

    monkeypatch.undo()
    assert all(isinstance(answer, uuid.UUID) for answer in receive_webhooks(hub, batch))
    assert len(kept(hub)) == 3 and nonces(hub) == 1


def test_concurrent_requests_share_the_desks_batches_and_each_gets_its_answer(hub: Hub) -> None:
    receipts = [signed(code, f"{code}-{n}") for n in range(40) for code in SECRETS]
    receipts.append(signed("s0", "FORGED", secret="wrong"))
    calls = []
    keep_in = receipt._keep_in

    def counted(uow, verified, source="webhook"):  # type: ignore[no-untyped-def]
        calls.append(len(verified))
        return keep_in(uow, verified, source)

    async def post_all() -> list[uuid.UUID | BaseException]:
        return await asyncio.gather(*(hub.receipts.receive(r) for r in receipts), return_exceptions=True)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(receipt, "_keep_in", counted)
        # A loop of its own, in a thread of its own: the worker's thread may hold a running loop another test left.
        with ThreadPoolExecutor(1) as thread:
            answers = thread.submit(asyncio.run, post_all()).result()

    assert isinstance(answers[-1], FlexhubError) and answers[-1].code == "channels.bad_signature"
    ids = answers[:-1]
    assert all(isinstance(answer, uuid.UUID) for answer in ids) and set(kept(hub)) == set(ids)
    assert sum(calls) == 80 and len(calls) < 80  # kept in batches, not one transaction each
    assert hub.inbound_arrived.is_set()

"""Receiving webhooks: each verified against its channel's secret and its body kept raw, many in one transaction.

Receiving stores the raw body and nothing else, so the platform gets its answer fast and a crash loses nothing;
importing follows (inbound.py). Concurrent webhooks are received together (`ReceiptDesk`, a combiner): the batch's
channels read in one statement, each signature checked on its own, and every verified body kept in one
transaction, so a flash sale's thousands of pushes a second are a few commits rather than one each. Each webhook
gets its own answer: its kept message's id, or the error that refused it alone (a bad signature, a stale or
replayed push, an unknown channel), with nothing of it kept.

Where a platform signs when it sent a push and a nonce (WeChat: `timestamp`, `nonce`; Douyin, Kuaishou and Shopee
sign neither, JD and Taobao have no HTTP push), a push outside the window is refused, and so is one whose nonce the
channel has seen within it: the nonce is claimed in the transaction that keeps the body, in the database, so every
API process refuses a replay (one replayed within a batch too).

Every keep announces itself (`KEPT`, db/wakes.py) as it commits, so the import job wakes at once in whichever process
runs it; this process's own job is also woken by the desk's event.
"""

import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from httpx2 import Headers

from flexhub.bus.combiner import Combiner
from flexhub.channels import registry, repository
from flexhub.channels.adapter import ChannelAdapter
from flexhub.channels.capabilities import NONCED_PUSHES, SEALED_PUSHES, TIMED_PUSHES, capable
from flexhub.channels.deps import Inbox, Storing
from flexhub.channels.errors import BadSignature, ReplayedPush, StalePush, UnknownChannel, UnreadablePayload
from flexhub.db.wakes import announce
from flexhub.integrations.signing import SignatureInvalid
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id

KEPT_HEADERS = ("content-type", "user-agent")  # plus every header the platform signs with (x-*, *sign*)
OPENED_KEPT = 1024  # channels' opened credentials a desk remembers, by their sealed text
KEPT = "flexhub_channel_messages_kept"  # announced by a transaction that kept messages: the import job's wake-up


@dataclass(frozen=True, slots=True)
class Receipt:
    """A webhook as it came: its platform and channel code (from the path), its signals (headers and query), body."""

    platform: str
    code: str
    signals: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class SignedNonce:
    """A push's signed nonce and signed time, kept until the push would be stale anyway."""

    nonce: str
    signed_at: datetime
    until: datetime


@dataclass(frozen=True, slots=True)
class _Verified:
    channel: Any
    text: str
    headers: Mapping[str, str]
    nonce: SignedNonce | None


class ReceiptDesk:
    """Webhooks of concurrent requests received together: `await desk.receive(receipt)` answers with the kept
    message's id or raises the FlexhubError that refused it. Each batch wakes the import (`inbound_arrived`)."""

    def __init__(self, inbox: Inbox, arrived: threading.Event, *, max_wait_s: float, max_batch: int,
                 in_flight: int = 2) -> None:
        self._inbox, self._arrived = inbox, arrived
        self._opened: dict[str, dict[str, str]] = {}
        self._combiner: Combiner[Receipt, uuid.UUID | FlexhubError] = Combiner(
            self._receive_batch, max_wait_s=max_wait_s, max_batch=max_batch, in_flight=in_flight,
            name="webhook-receipts")

    async def receive(self, receipt: Receipt) -> uuid.UUID:
        answer = await self._combiner.submit_async(receipt)
        if isinstance(answer, FlexhubError):
            raise answer
        return answer

    def close(self) -> None:
        self._combiner.close()

    def _receive_batch(self, receipts: Sequence[Receipt]) -> list[uuid.UUID | FlexhubError]:
        if len(self._opened) > OPENED_KEPT:
            self._opened.clear()
        answers = receive_webhooks(self._inbox, receipts, opened=self._opened)
        self._arrived.set()
        return answers


def receive_webhook(inbox: Inbox, platform: str, code: str, headers: Mapping[str, str], body: bytes) -> uuid.UUID:
    """Verify one webhook's signature against the channel's secret and keep its body; raises BadSignature."""
    answer = receive_webhooks(inbox, [Receipt(platform, code, headers, body)])[0]
    if isinstance(answer, FlexhubError):
        raise answer
    return answer


def receive_webhooks(inbox: Inbox, receipts: Sequence[Receipt], *,
                     opened: dict[str, dict[str, str]] | None = None) -> list[uuid.UUID | FlexhubError]:
    """Each webhook verified, then every verified one kept with its nonce claimed: its message's id, or the error
    refusing it. The batch's channels are read in the transaction that keeps it (one transaction a batch, not a
    read and a write: each is a connection's check-out and round trips the answers wait for). `opened`: channels'
    opened credentials by sealed text, kept between calls."""
    opened = {} if opened is None else opened
    with inbox.uow() as uow:
        candidates = repository.channels_for_webhooks(uow.connection, {(r.platform, r.code) for r in receipts})
        answers: list[uuid.UUID | FlexhubError | _Verified] = []
        for receipt in receipts:
            try:
                answers.append(_verified(inbox, receipt, candidates.get((receipt.platform, receipt.code), []),
                                         opened))
            except FlexhubError as refused:
                answers.append(refused)
        verified = [(at, answer) for at, answer in enumerate(answers) if isinstance(answer, _Verified)]
        if not verified:
            return [answer for answer in answers if not isinstance(answer, _Verified)]
        kept = _keep_in(uow, [v for _, v in verified])
        uow.commit()
    for at, answer in zip([at for at, _ in verified], kept, strict=True):
        answers[at] = answer
    return [answer for answer in answers if not isinstance(answer, _Verified)]


def _verified(inbox: Inbox, receipt: Receipt, candidates: list[Any], opened: dict[str, dict[str, str]]) -> _Verified:
    adapter = registry.adapter_for(receipt.platform)
    try:
        text = receipt.body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadablePayload("the body is not UTF-8 text") from error
    if not candidates:
        raise UnknownChannel(f"no {receipt.platform} channel {receipt.code}")
    channel, credentials = _signer(inbox, adapter, candidates, receipt.signals, receipt.body, opened)
    nonce = signed_nonce(adapter, receipt.signals, check_fresh(adapter, receipt.signals))
    if (sealed := capable(adapter, SEALED_PUSHES)) is not None:  # kept as the plain text they carry
        text = sealed.open_webhook(credentials, Headers(receipt.signals), receipt.body).decode("utf-8")
    return _Verified(channel, text, receipt.signals, nonce)


def _keep_verified(store: Storing, verified: list[_Verified],
                   source: str = "webhook") -> list[uuid.UUID | FlexhubError]:
    """The verified bodies kept in a transaction of their own (`_keep_in`)."""
    with store.uow() as uow:
        answers = _keep_in(uow, verified, source)
        uow.commit()
    return answers


def _keep_in(uow: Any, verified: list[_Verified], source: str = "webhook") -> list[uuid.UUID | FlexhubError]:
    """The verified bodies kept in the caller's transaction, each push's nonce claimed in it first: one the channel
    has seen within its window (in this batch too) refuses its push alone (ReplayedPush, 401), nothing of it kept."""
    now = clock.now()
    answers: list[uuid.UUID | FlexhubError] = []
    rows = []
    for item in verified:
        nonce = item.nonce
        if nonce is not None and not repository.claim_push_nonce(
                uow.connection, item.channel.id, nonce.nonce, nonce.signed_at, nonce.until, now):
            answers.append(ReplayedPush("this push's signed nonce was seen already within its freshness window: "
                                        "a replay; nothing was stored", signed_at=nonce.signed_at.isoformat()))
            continue
        message_id = new_id()
        rows.append(_row(message_id, item.channel, source, item.headers, item.text, now))
        answers.append(message_id)
    if rows:
        repository.keep_messages(uow.connection, rows)
        announce(uow.connection, KEPT)
    return answers


def keep(store: Storing, channel: Any, source: str, headers: Mapping[str, str], text: str, *,
         nonce: SignedNonce | None = None) -> uuid.UUID:
    """One body kept for processing (a poll's order, a test's webhook), and the push's nonce claimed in the same
    transaction: a nonce the channel has seen within its window refuses the push (ReplayedPush, 401), nothing kept."""
    answer = _keep_verified(store, [_Verified(channel, text, headers, nonce)], source)[0]
    if isinstance(answer, FlexhubError):
        raise answer
    return answer


def keep_all(store: Storing, channel: Any, source: str, texts: Sequence[str]) -> int:
    """Bodies a poll read (no headers, no nonce) kept for processing in one transaction: a page of orders is one
    write, not one each (on SQLite every write waits for the one write lock); how many."""
    if not texts:
        return 0
    now = clock.now()
    with store.uow() as uow:
        repository.keep_messages(uow.connection, [{
            "id": new_id(), "tenant_id": channel.tenant_id, "channel_id": channel.id, "source": source, "headers": {},
            "body": text, "state": "pending", "attempts": 0, "received_at": now} for text in texts])
        announce(uow.connection, KEPT)
        uow.commit()
    return len(texts)


def _row(message_id: uuid.UUID, channel: Any, source: str, headers: Mapping[str, str], text: str,
         now: datetime) -> dict[str, Any]:
    kept = {k.lower(): v for k, v in headers.items()
            if k.lower() in KEPT_HEADERS or k.lower().startswith("x-") or "sign" in k.lower()}
    return {"id": message_id, "tenant_id": channel.tenant_id, "channel_id": channel.id, "source": source,
            "headers": kept, "body": text, "state": "pending", "attempts": 0, "received_at": now}


def check_fresh(adapter: ChannelAdapter, headers: Mapping[str, str]) -> datetime | None:
    """Where a platform signs when it sent a push, one outside its window (a capture replayed later, or a
    clock far off) is refused like a bad signature: StalePush (401), nothing kept. The signed time, if any."""
    timed = capable(adapter, TIMED_PUSHES)
    if timed is None:
        return None
    window = timed.freshness
    sent = timed.signed_at(Headers(headers))
    if sent is None or abs(clock.now() - sent) > window:
        raise StalePush(f"the push's signed time is not within {int(window.total_seconds())} s of ours; "
                        "nothing was stored", signed_at=sent.isoformat() if sent else None)
    return sent


def signed_nonce(adapter: ChannelAdapter, headers: Mapping[str, str], sent: datetime | None) -> SignedNonce | None:
    """The nonce a fresh push signed, where its platform signs one (and a time, which bounds how long it is kept)."""
    nonced = capable(adapter, NONCED_PUSHES)
    if sent is None or nonced is None:
        return None
    nonce = nonced.signed_nonce(Headers(headers))
    if not nonce or len(nonce) > 128:
        raise BadSignature("the push's signed nonce is missing or longer than a platform sends; nothing was stored")
    return SignedNonce(nonce, sent, sent + nonced.freshness)


def check_url(inbox: Inbox, platform: str, code: str, signals: Mapping[str, str]) -> None:
    """A platform's URL check (a GET with the signature and a challenge); raises BadSignature."""
    adapter = registry.adapter_for(platform)
    with inbox.uow(write=False) as uow:
        candidates = repository.channels_for_webhooks(uow.connection, {(platform, code)}).get((platform, code))
    if not candidates:
        raise UnknownChannel(f"no {platform} channel {code}")
    _signer(inbox, adapter, candidates, signals, b"", {})


def _signer(inbox: Inbox, adapter: Any, candidates: list[Any], headers: Mapping[str, str], body: bytes,
            opened: dict[str, dict[str, str]]) -> tuple:
    lowered = Headers(headers)  # case-insensitive, as HTTP headers are
    for channel in candidates:
        credentials = _opened(inbox, channel.credentials, opened)
        try:
            adapter.verify_webhook(credentials, lowered, body)
            return channel, credentials
        except (SignatureInvalid, KeyError):
            continue
    raise BadSignature("the signature does not match this channel's secret; nothing was stored")


def _opened(inbox: Inbox, sealed: str | None, opened: dict[str, dict[str, str]]) -> dict[str, str]:
    """The channel's credentials, opened once per sealed text (the same text always opens to the same secrets: a
    rotated secret is a new text, read with the channel on each batch)."""
    if sealed is None:
        return inbox.vault.open(sealed)
    if sealed not in opened:
        opened[sealed] = inbox.vault.open(sealed)
    return opened[sealed]

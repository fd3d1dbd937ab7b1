"""What a push only names, fetched from the platform and kept raw: orders (Douyin, Kuaishou, WeChat, Shopee,
Taobao…) and after-sale cases (Douyin, Kuaishou, Taobao refunds).

The ids a channel's turn names are asked for once, in as few calls as the platform takes (the adapter
batches them), each call paced by the channel's token bucket and by its order pace as it leaves (deps.Pacing), and
retried on 429/5xx the way stock reads are (integrations/paced.send_paced). Every answer is kept first, as an inbound
message of source "fetch" naming the pushes it answers (header x-flexhub-pushes) and what it holds (x-flexhub-fetched:
order | return), then read like any kept message: "store the raw payload first, then import" holds for fetched ones
too.
"""

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import structlog

from flexhub.channels import registry, repository
from flexhub.channels.adapter import ChannelAdapter, ChannelOrder, ChannelReturn
from flexhub.channels.capabilities import ORDER_DETAILS, RETURN_DETAILS, capable
from flexhub.channels.deps import Fetching
from flexhub.integrations.paced import send_paced
from flexhub.integrations.ratelimit import Prepaid, wait_to_take
from flexhub.integrations.request import ApiRequest
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id

log = structlog.get_logger(__name__)
KIND_HEADER = "x-flexhub-fetched"
PUSHES_HEADER = "x-flexhub-pushes"


@dataclass(frozen=True, slots=True)
class Fetcher:
    """One kind of detail call, as an adapter that declares it makes it."""

    build: Callable[[Mapping[str, str], Sequence[str]], list[ApiRequest]]  # (credentials, ids) → the calls
    split: Callable[[Mapping[str, Any]], list[Mapping[str, Any]]]  # an answer → the payloads it holds
    read: Callable[[Mapping[str, Any]], ChannelOrder | ChannelReturn]  # a payload → what it is, and its id


@dataclass(frozen=True, slots=True)
class Detail:
    """One kind of fetch: what a kept answer is marked as, and the adapter's fetcher for it, if it declares one."""

    kind: str
    fetcher: Callable[[ChannelAdapter], Fetcher | None]


def _orders(adapter: ChannelAdapter) -> Fetcher | None:
    details = capable(adapter, ORDER_DETAILS)
    return None if details is None else Fetcher(details.detail_requests, details.parse_details, details.parse_order)


def _returns(adapter: ChannelAdapter) -> Fetcher | None:
    details = capable(adapter, RETURN_DETAILS)
    return None if details is None else Fetcher(details.return_detail_requests, details.parse_return_details,
                                                details.parse_return)


ORDERS = Detail("order", _orders)
RETURNS = Detail("return", _returns)


@dataclass(frozen=True, slots=True)
class Fetched:
    messages: list[Any]  # the kept answers, shaped as process_pending reads kept messages
    names: set[str]  # the ids the answers are for
    complete: bool  # every call was answered


def detail_of(headers: Mapping[str, str]) -> Detail:
    return RETURNS if headers.get(KIND_HEADER) == RETURNS.kind else ORDERS


def can_fetch(adapter: ChannelAdapter, detail: Detail) -> bool:
    return detail.fetcher(adapter) is not None


def fetch(fetching: Fetching, channel: Any, credentials: Mapping[str, str], detail: Detail,
          named: Mapping[uuid.UUID, tuple[str, ...]]) -> Fetched:
    """Ask for every id the pushes in `named` (push id → ids) name, and keep each answer."""
    adapter = registry.adapter_for(channel.platform)
    fetcher = detail.fetcher(adapter)
    if fetcher is None:  # inbound names nothing to fetch on such a platform (can_fetch)
        return Fetched([], set(), False)
    wanted = list(dict.fromkeys(name for names in named.values() for name in names))
    payloads, complete = _ask(fetching, adapter, fetcher, channel, credentials, detail, wanted)
    return _keep(fetching, fetcher, channel, detail, payloads, named, complete)


def _ask(fetching: Fetching, adapter: ChannelAdapter, fetcher: Fetcher, channel: Any, credentials: Mapping[str, str],
         detail: Detail, wanted: list[str]) -> tuple[list[Mapping[str, Any]], bool]:
    bucket = fetching.pacing.order_bucket(channel.channel_id, adapter)  # shared with stock calls unless counted apart
    pace = fetching.pacing.order_pace(channel.channel_id, adapter)  # waited for as each call leaves (deps.Pacing)
    try:
        requests = fetcher.build(credentials, wanted)
    except Exception as error:  # an id the platform's call cannot carry: those pushes wait, as before
        log.warning("cannot build the detail calls", channel=channel.code, kind=detail.kind, error=str(error))
        return [], False
    payloads: list[Mapping[str, Any]] = []
    complete = True
    with Prepaid(bucket, len(requests)) as prepaid:  # the calls' tokens in one take, not a write each
        for request in requests:
            wait_to_take(pace)
            try:
                answer = send_paced(fetching.http, request, prepaid,
                                    on_rate_limited=fetching.pacing.note_rate_limited)
                payloads.extend(fetcher.split(answer))
            except Exception as error:  # the platform did not answer: the pushes naming these wait their turn
                log.warning("fetching what pushes name failed", channel=channel.code, kind=detail.kind,
                            error=str(error))
                complete = False
    return payloads, complete


def _keep(fetching: Fetching, fetcher: Fetcher, channel: Any, detail: Detail, payloads: list[Mapping[str, Any]],
          named: Mapping[uuid.UUID, tuple[str, ...]], complete: bool) -> Fetched:
    now, rows, names = clock.now(), [], set()
    for payload in payloads:
        name = _name(fetcher, payload)
        if name is not None:
            names.add(name)
        pushes = ",".join(str(push_id) for push_id, ids in named.items() if name in ids)
        rows.append({"id": new_id(), "tenant_id": channel.tenant_id, "channel_id": channel.channel_id,
                     "source": "fetch", "body": json.dumps(payload, ensure_ascii=False), "state": "pending",
                     "headers": {"content-type": "application/json", KIND_HEADER: detail.kind, PUSHES_HEADER: pushes},
                     "attempts": 0, "received_at": now})
    if rows:
        with fetching.uow() as uow:
            repository.keep_messages(uow.connection, rows)
            uow.commit()
    # The channel's columns beside the message's, as process_pending selects them.
    columns = {"code": channel.code, "platform": channel.platform, "partner_id": channel.partner_id,
               "settings": channel.settings, "error": None, "processed_at": None}
    return Fetched([SimpleNamespace(**row, **columns) for row in rows], names, complete)


def _name(fetcher: Fetcher, payload: Mapping[str, Any]) -> str | None:
    try:
        return fetcher.read(payload).external_id
    except Exception:  # kept all the same: reading it again makes it the channel exception it is
        return None

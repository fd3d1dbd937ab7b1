"""Inbound: turn kept bodies into imported orders (receipt.py verifies and keeps every webhook body first).

Processing parses with the platform's adapter, maps SKUs through the listings and imports through the order writer
(idempotent on (channel, external id); older versions are ignored): a turn's orders of a channel in one
`import_many` per round (every order's first version, then every second...), so each order's versions go in the
order they came and a flash sale's hundreds of orders are a few large batches. What cannot be imported becomes a
channel exception, never a dropped message.
A push that only names an order or an after-sale case has it fetched first (fetched.py: the turn's ids at once,
paced by the channel's bucket, each answer kept as a "fetch" message and imported under its id, so the order page
shows it).
"""

import functools
import json
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import structlog
from httpx2 import Headers
from pydantic import ValidationError

from flexhub.channels import fetched, registry, repository
from flexhub.channels.adapter import ChannelOrder, ChannelReturn, OrderReference, ReturnReference
from flexhub.channels.capabilities import RETURN_DETAILS, RETURN_REQUESTS, capable
from flexhub.channels.deps import ChannelRef, Inbox
from flexhub.channels.field_paths import field_path
from flexhub.channels.mapping import to_order_in
from flexhub.channels.receipt import keep as keep  # kept bodies come in through receipt.py; re-exported for callers
from flexhub.channels.receipt import receive_webhook as receive_webhook
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering import ImportOrder

log = structlog.get_logger(__name__)
_IMPORTERS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="channel-inbound")
_FAILED = object()  # an import that raised something other than the order's own problem
TURN = 1000  # messages a turn reads: a flash sale's second in a few large batches to the writer


def run_job(inbox: Inbox, arrived: threading.Event, limit: int = TURN) -> int:
    """One turn of the channel-inbound job. A full turn that settled something wakes the job again at once, so a
    backlog (a flash sale's second) drains turn after turn instead of a turn per interval or per push."""
    read, settled = _turn(inbox, limit)
    if read >= limit and settled:
        arrived.set()
    return read


def process_pending(inbox: Inbox, limit: int = TURN) -> int:
    """Import what was kept, oldest first; returns how many messages the turn read."""
    return _turn(inbox, limit)[0]


def _turn(inbox: Inbox, limit: int) -> tuple[int, int]:
    """The messages read and settled. Every channel's settlements are written in one transaction at the end: a
    write per channel, in a flash sale, queued behind the imports for the database's lock. A crash before the
    settling only imports them again, which is idempotent."""
    with inbox.uow(write=False) as uow:
        rows = repository.pending_messages(uow.connection, limit)
    by_channel: dict[Any, list[Any]] = {}
    for row in rows:
        by_channel.setdefault(row.channel_id, []).append(row)
    # Channels side by side, so the reservation combiner can gather their orders into one transaction;
    # one order's messages in the order they came (a poll may bring the same order twice).
    settled = [each for channel in _IMPORTERS.map(lambda messages: _process_channel(inbox, messages),
                                                  by_channel.values()) for each in channel]
    _settle_all(inbox, settled)
    return len(rows), len(settled)


def _process_channel(inbox: Inbox, messages: list[Any]) -> list[tuple]:
    """One channel's messages imported; their settlements. One that failed on the way (the database, not the
    message) is left pending for the next turn, the channel's others settled beside."""
    settled: list[tuple] = []
    try:
        # The channel's credentials are opened once, if a message names orders that must be fetched.
        credentials = functools.cache(lambda: _credentials(inbox, messages[0].channel_id))
        parsed = [item for message in messages if (item := _parse(message, settled)) is not None]
        read = _follow_references(inbox, credentials, parsed, settled)
        for item, problems in zip(read, _import_all(inbox, read), strict=True):
            if problems is None:
                continue  # an import failed on the way (the database, not the order): the next turn tries again
            problems += inbox.open_channel_returns(item.actor, _channel_of(item.message), item.returns)
            settled.append(_settlement(item.message, "exception", "; ".join(p[1] for p in problems),
                                       problems=problems) if problems else _settlement(item.message, "done", None))
    except Exception:
        log.exception("importing a channel's messages failed; those not settled wait for the next turn",
                      channel=str(messages[0].channel_id))
    return settled


@dataclass(frozen=True, slots=True)
class _Read:
    """A kept message as its adapter read it: the orders it changes and the returns it requests."""

    message: Any
    actor: Actor
    orders: list[ChannelOrder]
    returns: list[ChannelReturn]
    references: tuple[str, ...] = ()  # orders the message only names, fetched before it is imported
    return_references: tuple[str, ...] = ()  # after-sale cases it only names, likewise


def _parse(message: Any, settled: list[tuple]) -> _Read | None:
    adapter = registry.adapter_for(message.platform)
    actor = Actor(tenant_id=message.tenant_id, partner_id=message.partner_id, role="operator",
                  name=f"channel:{message.code}", request_id=str(message.id))
    try:
        parsed, requested = _contents(adapter, message)
    except Exception as error:  # a body the adapter cannot read is kept and shown, never dropped
        text, path = unreadable(error), field_path(error)
        settled.append(_settlement(message, "exception", text, problems=[
            ("channels.unparseable", text, None, {"field": path} if path else {})]))
        return None
    orders = tuple(dict.fromkeys(item.external_id for item in parsed if isinstance(item, OrderReference)))
    cases = tuple(dict.fromkeys(item.external_id for item in requested if isinstance(item, ReturnReference)))
    # A change without its order, on a platform we cannot ask, is left out: the next poll brings it.
    return _Read(message, actor, [item for item in parsed if not isinstance(item, OrderReference)],
                 [item for item in requested if not isinstance(item, ReturnReference)],
                 orders if fetched.can_fetch(adapter, fetched.ORDERS) else (),
                 cases if fetched.can_fetch(adapter, fetched.RETURNS) else ())


def unreadable(error: Exception) -> str:
    """What a person is told of a message its adapter could not read: the field and why (`unparseable at
    line_items[2].price: invalid literal for int() with base 10: 'abc'`; a missing field: `missing field …`)."""
    path = field_path(error)
    if path is None:
        return f"unparseable: {error}"
    if isinstance(error, KeyError):
        return f"unparseable: missing field {path}"
    return f"unparseable at {path}: {type(error).__name__}: {error}"


def _contents(adapter: Any, message: Any) -> tuple[list, list]:
    """The orders (or references) and the return requests (or references) a kept message holds."""
    if message.source == "webhook":
        # Return and refund requests, where the adapter reads them, become RMAs beside any order change.
        returns = capable(adapter, RETURN_REQUESTS)
        requested = [] if returns is None else returns.parse_returns(Headers(message.headers), message.body.encode())
        return list(adapter.parse_webhook(Headers(message.headers), message.body.encode())), list(requested)
    payload = json.loads(message.body)
    if message.source == "fetch" and fetched.detail_of(message.headers) is fetched.RETURNS:
        cases = capable(adapter, RETURN_DETAILS)
        if cases is None:
            raise ValueError(f"{message.platform} declares no return details to read a fetched case with")
        return [], [cases.parse_return(payload)]
    return [adapter.parse_order(payload)], []  # a polled order, or one a push named


def _follow_references(inbox: Inbox, credentials: Callable[[], Mapping[str, str]], parsed: list[_Read],
                       settled: list[tuple]) -> list[_Read]:
    """Pushes that only name an order or an after-sale case: what the turn names fetched and kept (fetched.py),
    then read like any kept message. A push whose names did not all come back (a 429 past its retries, the
    platform down) is left pending whole, for the next turn; nothing goes to a person for it."""
    if not parsed:
        return parsed
    read, kept = parsed, []
    for detail, names in ((fetched.ORDERS, lambda item: item.references),
                          (fetched.RETURNS, lambda item: item.return_references)):
        named = {item.message.id: names(item) for item in parsed if names(item)}
        if not named:
            continue
        got = fetched.fetch(inbox, parsed[0].message, credentials(), detail, named)
        read = [item for item in read if got.complete or not set(names(item)) - got.names]
        kept += got.messages
    return read + [item for message in kept if (item := _parse(message, settled)) is not None]


def _import_all(inbox: Inbox, read: list[_Read]) -> list[list[tuple] | None]:
    """Import one channel's orders through the order writer in rounds: every order's first version in one
    `import_many`, then every second version, and so on, so an update never overtakes its create and a turn of
    hundreds of orders is a few large batches. A round the database failed as a whole is tried order by order, so
    only the orders that fail wait (with their later versions) for the next turn. The listing map is read once.
    Problems per message; None where an import failed."""
    if not read:
        return []
    skus = {line.external_sku for item in read for order in item.orders for line in order.lines}
    with inbox.uow(write=False) as uow:
        codes = repository.sku_codes_for(uow.connection, _channel_of(read[0].message), skus) if skus else {}
    versions: dict[str, list[tuple[int, int, ChannelOrder]]] = {}
    for index, item in enumerate(read):
        for position, order in enumerate(item.orders):
            versions.setdefault(order.external_id, []).append((index, position, order))
    found: list[list[tuple[int, tuple]] | None] = [[] for _ in read]
    chains = list(versions.values())  # each order's versions; one that failed takes its later ones out
    for turn in range(max(map(len, chains), default=0)):
        due = [chain for chain in chains if turn < len(chain)]
        for chain, problem in zip(due, _import_round(inbox, read, codes, [chain[turn] for chain in due]), strict=True):
            if problem is _FAILED:
                chains.remove(chain)
                for index, _, _ in chain[turn:]:  # the messages wait for the next turn, pending
                    found[index] = None
            elif problem is not None and (problems := found[chain[turn][0]]) is not None:
                problems.append((chain[turn][1], problem))
    return [None if problems is None else [p for _, p in sorted(problems, key=lambda pair: pair[0])]
            for problems in found]


def _import_round(inbox: Inbox, read: list[_Read], codes: dict[str, str],
                  due: list[tuple[int, int, ChannelOrder]]) -> list[Any]:
    """One version each of distinct orders: None (imported), the order's problem, or _FAILED (the database or the
    hub, not the order: left pending, imported again in a later turn)."""
    problems: list[Any] = [None] * len(due)
    commands: list[tuple[int, ImportOrder]] = []
    for at, (index, _, order) in enumerate(due):
        message = read[index].message
        try:
            imported = to_order_in(message.code, order, codes, (message.settings or {}).get("default_country"))
        except FlexhubError as error:
            problems[at] = _problem(error, order)
        except ValidationError as error:
            problems[at] = ("channels.invalid_order", f"order {order.external_id} is invalid: {error.errors()[:3]}",
                            order.external_id, {})
        else:
            commands.append((at, ImportOrder(actor=read[index].actor, order=imported)))
    if not commands:
        return problems
    try:
        answers: list[Any] = inbox.writer.import_many([command for _, command in commands])
    except Exception as error:  # the batch as a whole: each order on its own finds which one the database refuses
        log.info("a round of channel orders failed together; importing them one by one", error=str(error))
        answers = [_import_alone(inbox, command) for _, command in commands]
    for (at, _), answer in zip(commands, answers, strict=True):
        problems[at] = (_problem(answer, due[at][2]) if isinstance(answer, FlexhubError)
                        else _FAILED if answer is _FAILED else None)
    return problems


def _import_alone(inbox: Inbox, command: ImportOrder) -> Any:
    try:
        return inbox.writer.import_order(command)
    except FlexhubError as error:
        return error
    except Exception as error:  # the database or the hub, not the order: left pending, imported again later
        log.warning("importing a channel order failed", message=command.actor.request_id, error=str(error))
        return _FAILED


def _problem(error: FlexhubError, order: ChannelOrder) -> tuple:
    return (error.code, str(error.message), order.external_id, error.details)


def _credentials(inbox: Inbox, channel_id: uuid.UUID) -> Mapping[str, str]:
    with inbox.uow(write=False) as uow:
        sealed = repository.sealed_credentials(uow.connection, channel_id)
    return inbox.vault.open(sealed)


def _channel_of(message: Any) -> ChannelRef:
    return ChannelRef(message.channel_id, message.tenant_id, message.code)


def _settlement(message: Any, state: str, error: str | None, *, kind: str | None = None,
                problems: list[tuple] | None = None) -> tuple:
    return message, state, error, problems or ([(kind, error, None, {})] if kind else [])


def _settle_all(inbox: Inbox, settled: list[tuple]) -> None:
    if not settled:
        return
    now = clock.now()
    exceptions = [{"id": new_id(), "tenant_id": message.tenant_id, "channel_id": message.channel_id,
                   "inbound_id": message.id, "kind": code, "external_id": external_id, "message": text,
                   "detail": _plain(detail), "state": "open", "created_at": now}
                  for message, _, _, problems in settled for code, text, external_id, detail in problems]
    with inbox.uow() as uow:  # one statement for the whole turn of a channel (a turn in a flash sale is hundreds)
        exceptions = _unopened(uow.connection, exceptions)
        repository.settle_messages(uow.connection, [(message.id, state, error)
                                                    for message, state, error, _ in settled], now)
        repository.insert_exceptions(uow.connection, exceptions)
        uow.commit()
    for message, _, _, problems in settled:
        if problems:
            log.info("channel message needs a person", message=str(message.id), problems=[p[0] for p in problems])


def _unopened(connection: Any, exceptions: list[dict]) -> list[dict]:
    """A replayed webhook (the platform retrying, or someone resending a capture) opens no second exception:
    one per (channel, kind, external id, message) while it is open, the replay's message settled beside it."""
    if not exceptions:
        return exceptions
    seen = repository.open_exception_identities(connection, {row["channel_id"] for row in exceptions})
    kept = []
    for row in exceptions:
        identity = (row["channel_id"], row["kind"], row["external_id"], row["message"])
        if identity not in seen:
            seen.add(identity)
            kept.append(row)
    return kept


def _plain(detail: Any) -> dict:
    return {k: (v if isinstance(v, str | int | float | bool | list | type(None)) else str(v))
            for k, v in (detail or {}).items()}

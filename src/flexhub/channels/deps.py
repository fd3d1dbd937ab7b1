"""What the inbox, fetching and polling use, each as a Protocol the hub meets: units of work, the vault, the HTTP
client, the channels' shared rate limits, the order writer, and opening the RMAs a channel's return requests ask for.

They are declared here, not taken as the whole hub, so each reads for what it touches and a test or a worker can
hand them anything that has just that (bootstrap.Hub is the one composition root that has all of it).
"""

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx2

from flexhub.channels.adapter import ChannelAdapter, ChannelReturn
from flexhub.db.jobs import SharedBucket
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.integrations.ratelimit import Bucket
from flexhub.integrations.vault import Vault
from flexhub.kernel.messages import Actor
from flexhub.ordering import ImportOrder


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """The channel a message came through, as much of it as mapping and returns need."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    code: str


class Pacing(Protocol):
    """A channel's rate-limit buckets, kept in the database: the one its pushes, reads, polls and fetches share, and
    `order_bucket`, its order calls' own where the platform counts those apart (capability order_limit); and
    `order_pace`, the order calls' pace in this process, waited for as each call leaves (the shared bucket counts a
    run's tokens when taken, the platform counts arrivals)."""

    def bucket(self, channel_id: uuid.UUID, adapter: ChannelAdapter) -> SharedBucket: ...

    def order_bucket(self, channel_id: uuid.UUID, adapter: ChannelAdapter) -> SharedBucket: ...

    def order_pace(self, channel_id: uuid.UUID, adapter: ChannelAdapter) -> Bucket: ...

    def note_rate_limited(self) -> None: ...


class Storing(Protocol):
    """Units of work: keeping what arrives."""

    def uow(self, *, write: bool = True) -> UnitOfWork: ...


class Fetching(Storing, Protocol):
    """Asking a platform for what a push or a list only names, paced, and keeping the answers."""

    @property
    def http(self) -> httpx2.Client: ...

    @property
    def pacing(self) -> Pacing: ...


class OrderImports(Protocol):
    """The order writer (ordering.writer): orders imported in large batches, or one by one."""

    def import_many(self, commands: Sequence[ImportOrder]) -> list[Any]: ...

    def import_order(self, command: ImportOrder) -> Any: ...


class Inbox(Fetching, Protocol):
    """Receiving, keeping and importing channel messages."""

    @property
    def vault(self) -> Vault: ...

    @property
    def writer(self) -> OrderImports: ...

    def open_channel_returns(self, actor: Actor, channel: ChannelRef,
                             requests: Sequence[ChannelReturn]) -> list[tuple[Any, ...]]:
        """RMAs opened for a channel's return requests (returns' handler); the problems a person must see."""
        ...


class Polling(Fetching, Protocol):
    """Polling channels for their changed orders."""

    @property
    def vault(self) -> Vault: ...

    @property
    def inbound_arrived(self) -> threading.Event: ...

"""ERP commands and what their handlers answer."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Command
from flexhub.kernel.results import Result


@dataclass(frozen=True, kw_only=True)
class CreateConnection(Command):
    code: str
    kind: str
    url: str
    credentials: dict[str, str] = field(default_factory=dict, repr=False)
    settings: dict[str, Any] = field(default_factory=dict)
    allow_private: bool = False  # admins only: the URL may resolve to a private or local address


@dataclass(frozen=True, kw_only=True)
class SyncConnection(Command):
    """Send what waits for the ERP and read what changed there, now."""

    code: str
    # Told (step, done, of) as the work goes: the CLI's progress bar.
    on_progress: Callable[[str, int, int], None] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class RetryDocument(Command):
    code: str
    document_id: str


@dataclass(frozen=True, kw_only=True)
class MapRecord(Command):
    """Settle an unmapped row: a hub code and the ERP record it is."""

    code: str
    kind: str
    hub_code: str
    erp_ref: str


@dataclass(frozen=True, kw_only=True)
class ConnectionCreated(Result):
    id: str
    code: str
    kind: str
    url: str
    allow_private: bool
    credential_names: list[str]


@dataclass(frozen=True, kw_only=True)
class Synced(Result):
    code: str
    sent: int
    failed: int
    read: dict[str, int]
    errors: list[str] = field(default_factory=list)  # why reading stopped, readable


@dataclass(frozen=True, kw_only=True)
class DocumentRetried(Result):
    id: str
    state: str


@dataclass(frozen=True, kw_only=True)
class RecordMapped(Result):
    kind: str
    hub_code: str
    erp_ref: str

"""What a sandbox platform module provides, and the plain data the common part hands it.

A platform module knows its API's paths and how they are authenticated, turns a stock-update call
into figures (seller SKU → quantity), renders orders in its order format and, when the platform
pushes orders, signs the webhook. Stores, rate limits, logs and delivery are the common part's.
OneTokenACall and PostsByPath are the pieces most platforms share (a call costs one token; calls
named by their POST path).
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from flexhub.integrations.ratelimit import RateLimit

if TYPE_CHECKING:
    from flexhub.sandbox.store import Order, Store


@dataclass(frozen=True, slots=True)
class Received:
    """One request to a store, its path relative to the store's base URL."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]  # case-insensitive
    body: bytes
    at: datetime

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def matched(self, pattern: re.Pattern[str]) -> re.Match[str]:
        """The path matched by `pattern` (404 when it does not match: no such resource on the platform)."""
        found = pattern.match(self.path)
        if found is None:
            raise Refused(Answer(404, {"error": f"no such resource: {self.path}"}))
        return found


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)  # seller SKU → quantity this call set


class Refused(Exception):
    """A request the platform turns down (bad signature, bad parameters): its answer is attached."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(f"{answer.status}: {answer.body}")
        self.answer = answer


@dataclass(frozen=True, slots=True)
class Webhook:
    path: str  # on the hub: /webhooks/{platform}/{channel}
    headers: dict[str, str]
    body: bytes


class OneTokenACall:
    """What most platforms charge: every call one token of its operation's bucket."""

    def cost(self, operation: str, request: Received) -> int:
        return 1


class PostsByPath(OneTokenACall):
    """A platform whose every call is a POST named by its path (Douyin, WeChat): `operations` maps a path
    to its operation."""

    operations: ClassVar[Mapping[str, str]]

    def operation(self, request: Received) -> str | None:
        return self.operations.get(request.path) if request.method == "POST" else None


class SandboxPlatform(Protocol):
    name: ClassVar[str]
    currency: ClassVar[str]
    pushes_orders: ClassVar[bool]  # True: orders go to the hub as webhooks; False: the hub polls for them
    limits: ClassVar[Mapping[str, RateLimit]]  # per operation, as the platform documents them

    def operation(self, request: Received) -> str | None:
        """The operation a request names (a key of `limits`), None for a call the platform does not serve."""

    def cost(self, operation: str, request: Received) -> int:
        """Tokens the call takes from its operation's bucket."""

    def throttled(self, operation: str, retry_after: float) -> Answer:
        """The platform's answer once a bucket is empty."""

    def handle(self, store: "Store", operation: str, request: Received) -> Answer:
        """Authenticate and serve the call; raise Refused with the platform's error answer."""

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        """A new store's credentials, as the flexhub channel holds them (base_url pointing here)."""

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        """The platform's ids of a store's index-th listing: (external_item_id, external_location_id)."""

    def order_id(self, number: int) -> str:
        """The platform's id of the sandbox's number-th order."""

    def document(self, store: "Store", order: "Order") -> dict[str, Any]:
        """The order as the platform's order API returns it."""

    def webhook(self, store: "Store", order: "Order") -> Webhook:
        """The signed order webhook (platforms that push orders)."""

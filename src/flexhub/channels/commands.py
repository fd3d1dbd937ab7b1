"""Channel commands."""

from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class CreateChannel(Command):
    code: str
    platform: str
    name: str | None = None
    partner: str | None = None
    pools: list[str] = field(default_factory=lambda: ["spot"])
    unpaid_hold_minutes: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    credentials: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CreateListing(Command):
    channel: str
    external_sku: str
    sku: str
    external_item_id: str | None = None
    external_location_id: str | None = None

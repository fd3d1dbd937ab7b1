"""Channel commands."""

import uuid
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
    allocation: dict[str, Any] | None = None  # this listing's own policy; None or empty: the channel's


@dataclass(frozen=True, kw_only=True)
class NewListing:
    """One listing of a CreateListings batch: as CreateListing, without the channel."""

    external_sku: str
    sku: str
    external_item_id: str | None = None
    external_location_id: str | None = None
    allocation: dict[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class CreateListings(Command):
    """Many listings of one channel at once (a store's catalog): each that can be made is made, each that cannot is
    answered with its reason; one transaction, one audit row and one announcement for the batch."""

    channel: str
    listings: tuple[NewListing, ...]


@dataclass(frozen=True, kw_only=True)
class SetAllocation(Command):
    """Set a channel's allocation policy, or (with `listing`, an external SKU) one listing's override; an empty
    override hands the listing back to the channel's policy."""

    channel: str
    allocation: dict[str, Any]
    listing: str | None = None


@dataclass(frozen=True, kw_only=True)
class RetryDeadLetters(Command):
    """Push the channel's dead stock figures again, from the first attempt."""

    channel: str


@dataclass(frozen=True, kw_only=True)
class RetryChannelException(Command):
    """Resolve an exception and hand its message back to the importer (its cause fixed: a listing added, say)."""

    exception_id: str


@dataclass(frozen=True, kw_only=True)
class DeadLettersRetried:
    channel: str
    retried: int


@dataclass(frozen=True, kw_only=True)
class ChannelCreated:
    """What CreateChannel answers: the channel, its credentials named (never shown) and those still missing."""

    id: uuid.UUID
    code: str
    platform: str
    name: str
    pools: list[str]
    unpaid_hold_minutes: int | None
    credential_names: list[str]
    missing_credentials: list[str]


@dataclass(frozen=True, kw_only=True)
class ListingRefused:
    """A listing of a batch that was not made: the error's stable code and why."""

    external_sku: str
    code: str
    message: str


@dataclass(frozen=True, kw_only=True)
class ListingsCreated:
    channel: str
    created: list["ListingCreated"]
    refused: list[ListingRefused]


@dataclass(frozen=True, kw_only=True)
class ListingCreated:
    id: str
    channel: str
    external_sku: str
    sku: str
    external_item_id: str | None
    external_location_id: str | None
    allocation: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class AllocationSet:
    """What SetAllocation answers: the policy now in force where it was set."""

    channel: str
    listing: str | None
    allocation: dict[str, Any]  # as stored; empty for a listing: it follows the channel's
    skus_replanned: int  # SKUs whose listings' figures are planned again

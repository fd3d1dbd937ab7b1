"""The public face of flexhub.channels: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.channels.adapter import (
    CHANNEL_STATUSES,
    ChannelAdapter,
    ChannelLine,
    ChannelOrder,
    ChannelReturn,
    FeedProgress,
    ListingRef,
    ListingResult,
    OrderReference,
    OrdersPage,
    ReturnReference,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.channels.allocation import Policy as AllocationPolicy
from flexhub.channels.capabilities import (
    ANSWER_ERRORS,
    CAPABILITIES,
    NONCED_PUSHES,
    ORDER_DETAILS,
    ORDER_LIMIT,
    RETURN_DETAILS,
    RETURN_REQUESTS,
    SEALED_PUSHES,
    SHIPMENT_LOOKUP,
    STOCK_FEEDS,
    TIMED_PUSHES,
    Capability,
    OrderLimit,
    StockFeeds,
    capable,
)
from flexhub.channels.commands import (
    AllocationSet,
    ChannelCreated,
    CreateChannel,
    CreateListing,
    CreateListings,
    DeadLettersRetried,
    ListingCreated,
    ListingsCreated,
    NewListing,
    RetryChannelException,
    RetryDeadLetters,
    SetAllocation,
)
from flexhub.channels.deps import ChannelRef, Fetching, Inbox, OrderImports, Pacing, Polling, Storing
from flexhub.channels.errors import (
    BadSignature,
    ChannelExists,
    InvalidAllocation,
    ListingExists,
    ReplayedPush,
    StalePush,
    UnknownChannel,
    UnknownListing,
    UnknownPlatform,
    UnreadablePayload,
)
from flexhub.channels.events import AllocationChanged, ListingAdded
from flexhub.channels.queries import partner_listings, pools_for_partner, visible_channel
from flexhub.channels.registry import adapter_for, adapters
from flexhub.channels.repository import (
    channel_by_code,
    channels_by_code,
    channels_by_id,
    channels_holding_unpaid,
    sku_codes_for,
)

__all__ = [
    "ANSWER_ERRORS", "AllocationChanged", "AllocationPolicy", "AllocationSet", "BadSignature", "CAPABILITIES",
    "CHANNEL_STATUSES", "Capability", "ChannelAdapter", "ChannelCreated", "ChannelExists", "ChannelLine",
    "ChannelOrder", "ChannelRef", "ChannelReturn", "CreateChannel", "CreateListing", "CreateListings",
    "DeadLettersRetried", "FeedProgress", "Fetching", "Inbox", "InvalidAllocation", "ListingAdded", "ListingCreated",
    "ListingExists", "ListingRef", "ListingResult", "ListingsCreated", "NONCED_PUSHES", "NewListing", "ORDER_DETAILS",
    "ORDER_LIMIT", "OrderImports", "OrderLimit", "OrderReference", "OrdersPage", "Pacing", "Polling", "RETURN_DETAILS",
    "RETURN_REQUESTS", "ReplayedPush", "RetryChannelException", "RetryDeadLetters", "ReturnReference", "SEALED_PUSHES",
    "SHIPMENT_LOOKUP", "STOCK_FEEDS", "SetAllocation", "ShipmentNotice", "StalePush", "StockFeeds", "StockPush",
    "StockRead", "Storing", "TIMED_PUSHES", "UnknownChannel", "UnknownListing", "UnknownPlatform", "UnreadablePayload",
    "adapter_for", "adapters", "capable", "channel_by_code", "channels_by_code", "channels_by_id",
    "channels_holding_unpaid", "partner_listings", "pools_for_partner", "sku_codes_for", "visible_channel",
]

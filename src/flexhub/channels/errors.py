"""Channel error codes."""

from flexhub.kernel.errors import Conflict, NotFound, Unauthorized, ValidationFailed, error_class

ChannelExists = error_class("channels.channel_exists", 409, Conflict)
UnknownPlatform = error_class("channels.unknown_platform", 422, ValidationFailed)
UnknownChannel = error_class("channels.unknown_channel", 404, NotFound)
ListingExists = error_class("channels.listing_exists", 409, Conflict)
BadSignature = error_class("channels.bad_signature", 401, Unauthorized)
UnreadablePayload = error_class("channels.unreadable_payload", 400, ValidationFailed)
StalePush = error_class("channels.stale_push", 401, Unauthorized)
# A push whose signed nonce this channel has seen within the freshness window: a replay, refused, nothing kept.
ReplayedPush = error_class("channels.replayed_push", 401, Unauthorized)
# An allocation setting the planner could not apply (an unknown mode, a negative quota…): refused, nothing stored.
InvalidAllocation = error_class("channels.invalid_allocation", 422, ValidationFailed)
UnknownListing = error_class("channels.unknown_listing", 404, NotFound)

"""Channel error codes."""

from flexhub.kernel.errors import Conflict, ValidationFailed, error_class

ChannelExists = error_class("channels.channel_exists", 409, Conflict)
UnknownPlatform = error_class("channels.unknown_platform", 422, ValidationFailed)

"""Adapters by platform name, found through the `flexhub.channels` entry point group (plug-ins welcome)."""

from functools import cache

from flexhub.channels.adapter import ChannelAdapter
from flexhub.channels.errors import UnknownPlatform
from flexhub.kernel import plugins

GROUP = "flexhub.channels"


@cache
def adapters() -> dict[str, ChannelAdapter]:
    return plugins.load(GROUP, "platform")


def adapter_for(platform: str) -> ChannelAdapter:
    adapter = adapters().get(platform)
    if adapter is None:
        raise UnknownPlatform(f"no adapter for platform {platform!r}", platforms=sorted(adapters()))
    return adapter

"""Adapters by platform name, found through the `flexhub.channels` entry point group (plug-ins welcome)."""

from functools import cache
from importlib.metadata import entry_points

from flexhub.channels.adapter import ChannelAdapter
from flexhub.channels.errors import UnknownPlatform

GROUP = "flexhub.channels"


@cache
def adapters() -> dict[str, ChannelAdapter]:
    found = {}
    for entry in entry_points(group=GROUP):
        adapter = entry.load()()
        found[adapter.platform] = adapter
    return found


def adapter_for(platform: str) -> ChannelAdapter:
    adapter = adapters().get(platform)
    if adapter is None:
        raise UnknownPlatform(f"no adapter for platform {platform!r}", platforms=sorted(adapters()))
    return adapter

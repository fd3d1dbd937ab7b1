"""One module per platform; each defines `PLATFORM`, a SandboxPlatform. Found by name, loaded on first use."""

from functools import cache
from importlib import import_module

from flexhub.sandbox.platform import SandboxPlatform

NAMES = ("generic", "shopify", "woocommerce", "shopee", "taobao", "douyin", "wechat", "amazon", "jd", "kuaishou",
         "ebay")


class UnknownSandboxPlatform(LookupError):
    pass


@cache
def platform(name: str) -> SandboxPlatform:
    if name not in NAMES:
        raise UnknownSandboxPlatform(f"the sandbox has no {name!r}; it has {', '.join(NAMES)}")
    try:
        module = import_module(f"flexhub.sandbox.platforms.{name}")
    except ModuleNotFoundError as error:
        raise UnknownSandboxPlatform(f"the sandbox's {name} is not written yet") from error
    return module.PLATFORM


def available() -> list[str]:
    """Platforms the sandbox serves and flexhub has an adapter for."""
    from flexhub.channels.registry import adapters

    found = []
    for name in NAMES:
        try:
            platform(name)
        except UnknownSandboxPlatform:
            continue
        if name in adapters():
            found.append(name)
    return found

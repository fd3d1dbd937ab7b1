"""Carrier adapters by name, found through the `flexhub.carriers` entry point group (plug-ins welcome)."""

from functools import cache

from flexhub.kernel import plugins
from flexhub.shipping.carrier import CarrierAdapter
from flexhub.shipping.errors import UnknownCarrier

GROUP = "flexhub.carriers"


@cache
def carriers() -> dict[str, CarrierAdapter]:
    return plugins.load(GROUP, "carrier")


def carrier_for(name: str) -> CarrierAdapter:
    adapter = carriers().get(name)
    if adapter is None:
        raise UnknownCarrier(f"no adapter for carrier {name!r}", carriers=sorted(carriers()))
    return adapter

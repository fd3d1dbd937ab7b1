"""What an order's shipping address can say besides where a parcel goes: that the buyer collects the order at a
store, whose code it names. Routing sends such an order to that store; cleaning does not judge it as a destination
(a pick-up or a sale taken at the till has no parcel to address)."""

from collections.abc import Mapping
from typing import Any

PICKUP_KEY = "pickup_location"  # in the shipping address: the code of the store the buyer collects from


def pickup_store(address: Mapping[str, Any] | None) -> str | None:
    """The store the buyer collects from, when the address names one."""
    store = (address or {}).get(PICKUP_KEY)
    return str(store) if store else None

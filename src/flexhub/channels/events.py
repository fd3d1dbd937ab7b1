"""Channel events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class AllocationChanged(Event):
    """A channel's or listing's allocation policy changed: the figures of these SKUs' listings are planned again."""

    channel: str
    sku_ids: list[str]


@dataclass(frozen=True, kw_only=True)
class ListingAdded(Event):
    """A listing was added: its SKU's figures are planned, so it shows the pool's figure without waiting for the
    next stock change."""

    channel: str
    sku_ids: list[str]

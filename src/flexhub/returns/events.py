"""Return events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class ReturnCreated(Event):
    return_id: str
    order_id: str | None
    units: int


@dataclass(frozen=True, kw_only=True)
class ReturnInspected(Event):
    return_id: str
    restocked: int
    refurbish: int
    scrapped: int

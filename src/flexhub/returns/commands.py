"""Return commands."""

import uuid
from dataclasses import dataclass

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class CreateReturn(Command):
    """An RMA: from a channel's refund request (`channel` + `external_id`) or by hand; `lines` maps SKU codes to
    units expected back."""

    lines: dict[str, int]
    order_id: str | None = None
    channel: str | None = None
    external_id: str | None = None
    reason: str | None = None
    returns_centre: str | None = None  # the node that receives it; None: chosen at receipt


@dataclass(frozen=True, kw_only=True)
class ReceiveReturn(Command):
    return_id: str
    node: str | None = None  # None: the RMA's returns centre
    received: dict[str, int] | None = None  # None: everything expected arrived


@dataclass(frozen=True, kw_only=True)
class InspectReturn(Command):
    """Grade every received unit: SKU code → {grade: units}."""

    return_id: str
    grades: dict[str, dict[str, int]]


@dataclass(frozen=True, kw_only=True)
class SetReturnsCentres(Command):
    """The tenant's regional returns centres, replacing the ones set before: region → node code ("*": anywhere)."""

    centres: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class ReturnStep:
    """What CreateReturn and ReceiveReturn answer: the RMA, its state and (once received) the units counted."""

    id: uuid.UUID
    state: str
    received: dict[str, int] | None = None


@dataclass(frozen=True, kw_only=True)
class ReturnGraded:
    """What InspectReturn answers: units graded per grade."""

    id: uuid.UUID
    state: str
    resellable: int
    refurbish: int
    scrap: int


@dataclass(frozen=True, kw_only=True)
class ReturnsCentres:
    """What SetReturnsCentres answers: region → node code."""

    centres: dict[str, str]

"""What each store may show: available stock divided among listings by their policies. Pure.

Carve-outs come first, in priority order: a fixed quota (a live session's stock) or a percentage of
what is available, each taken from what is left. Listings in `shared` mode then all show what
remains after every carve-out: they compete for the same units, which the reservation guard
settles, so it is promised once. A buffer holds units back from a listing; a cap bounds it.
So the units promised (carve-outs plus the shared remainder) never exceed what exists, and no
listing shows more than its policy allows.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Mode = Literal["shared", "quota", "percentage"]


@dataclass(frozen=True, slots=True)
class Policy:
    mode: Mode = "shared"
    quota: int = 0  # units, for mode quota
    percentage: float = 0.0  # of what is available, for mode percentage (0-100)
    priority: int = 100  # lower carves first
    buffer: int = 0  # units held back from what this listing shows
    cap: int | None = None  # never show more than this

    def __post_init__(self) -> None:
        if self.mode not in ("shared", "quota", "percentage"):
            raise ValueError(f"unknown allocation mode {self.mode!r}")
        if self.quota < 0 or self.buffer < 0 or (self.cap is not None and self.cap < 0):
            raise ValueError("quota, buffer and cap are never negative")
        if not 0 <= self.percentage <= 100:
            raise ValueError("percentage is between 0 and 100")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> "Policy":
        return cls(**dict(settings or {}))


def allocate(available: int, policies: Mapping[Hashable, Policy]) -> dict[Hashable, int]:
    """The figure each listing shows, given the units available to all of them."""
    remaining = max(0, available)
    shown: dict[Hashable, int] = {}
    carving = sorted((key for key, p in policies.items() if p.mode != "shared"),
                     key=lambda key: (policies[key].priority, str(key)))
    for key in carving:
        policy = policies[key]
        share = policy.quota if policy.mode == "quota" else int(max(0, available) * policy.percentage // 100)
        carved = min(share, remaining)
        remaining -= carved
        shown[key] = _bounded(carved, policy)
    for key, policy in policies.items():
        if policy.mode == "shared":
            shown[key] = _bounded(remaining, policy)
    return shown


def _bounded(units: int, policy: Policy) -> int:
    units = max(0, units - policy.buffer)
    return units if policy.cap is None else min(units, policy.cap)

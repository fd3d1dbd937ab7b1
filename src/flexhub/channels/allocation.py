"""A channel's or a listing's allocation setting: what share of the pool its stores may show. Pure.

The setting is kept as JSON (a channel's `settings.allocation`, a listing's `allocation` column, empty
for "the channel's"); `parse_policy` is the one check every way in goes through (channel creation, the
allocation routes, a listing's override), so a setting the planner cannot use is never stored.
How the figures are then divided is sync's (flexhub.sync.allocation.allocate).
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from flexhub.channels.errors import InvalidAllocation

Mode = Literal["shared", "quota", "percentage"]
MODES = ("shared", "quota", "percentage")
# Fields that mean something only in one mode: given in another, they are a mistake (a quota that is never applied).
ONLY_IN = {"quota": "quota", "percentage": "percentage", "rebalance": "quota", "hold_back_s": "shared"}
MAX_HOLD_BACK_S = 3600  # an hour: a round longer than that is a store not being told at all


@dataclass(frozen=True, slots=True)
class Policy:
    mode: Mode = "shared"
    quota: int = 0  # units, for mode quota
    percentage: float = 0.0  # of what is available, for mode percentage (0-100)
    priority: int = 100  # lower carves first
    buffer: int = 0  # units held back from what this listing shows
    cap: int | None = None  # never show more than this
    # A quota that follows sell-through: the quotas of a SKU's rebalancing listings are shared out again on a
    # schedule by what each sold lately (sync/rebalance.py), their total kept.
    rebalance: bool = False
    # A shared listing holds back what its SKU is likely to sell in its channel's round (sync/allocation.HoldBack):
    # for at most this many seconds of sales (None: the round as measured; 0: nothing held back).
    hold_back_s: float | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown allocation mode {self.mode!r}")
        if self.quota < 0 or self.buffer < 0 or (self.cap is not None and self.cap < 0):
            raise ValueError("quota, buffer and cap are never negative")
        if not 0 <= self.percentage <= 100:
            raise ValueError("percentage is between 0 and 100")
        if self.hold_back_s is not None and not 0 <= self.hold_back_s <= MAX_HOLD_BACK_S:
            raise ValueError(f"hold_back_s is between 0 and {MAX_HOLD_BACK_S} seconds, or None")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> "Policy":
        return cls(**dict(settings or {}))

    def setting(self) -> dict[str, Any]:
        """The JSON kept for it: only what differs from the defaults, so a stored setting reads as it was meant."""
        defaults = asdict(Policy())
        return {name: value for name, value in asdict(self).items() if value != defaults[name] or name == "mode"}


def parse_policy(raw: Any) -> Policy:
    """The policy a setting asks for, or InvalidAllocation (422) saying every field that is wrong."""
    if not isinstance(raw, Mapping):
        raise InvalidAllocation("an allocation is an object: {\"mode\": \"shared\" | \"quota\" | \"percentage\", ...}",
                                problems={"allocation": "not an object"})
    problems = {**_unknown(raw), **_typed(raw)}
    mode = raw.get("mode", "shared")
    for name, wanted in ONLY_IN.items():
        if name in raw and mode in MODES and mode != wanted:
            problems[name] = f"applies only to mode {wanted!r}"
    if problems:
        raise InvalidAllocation("the allocation setting is not valid: " + "; ".join(
            f"{name}: {problem}" for name, problem in sorted(problems.items())), problems=problems)
    return Policy.from_settings(raw)


def describe(setting: Mapping[str, Any] | None) -> str:
    """A stored setting in a few words, for people: "quota 300 · priority 10", "30 % · cap 500"; empty: "channel's"."""
    if not setting:
        return "channel's"
    mode = setting.get("mode", "shared")
    parts = [f"quota {setting.get('quota', 0)}" if mode == "quota" else
             f"{setting.get('percentage', 0):g} %" if mode == "percentage" else "shared"]
    parts += [f"{name} {setting[name]}" for name in ("priority", "buffer", "cap")
              if setting.get(name) is not None and name in setting]
    parts += ["follows sales"] if setting.get("rebalance") else []
    if setting.get("hold_back_s") is not None:
        parts += ["holds nothing back" if setting["hold_back_s"] == 0 else
                  f"holds back for {setting['hold_back_s']:g} s at most"]
    if "held_back" in setting:  # what a listing held back for its round (sync/figures.record_hold_backs), and why
        parts += [f"held back {setting['held_back']} for a {setting.get('round_s', 0):g} s round"
                  + (f" ahead of {setting['sale']}" if setting.get("sale") else "")]
    return " · ".join(parts)


def _unknown(raw: Mapping[str, Any]) -> dict[str, str]:
    known = set(Policy.__dataclass_fields__)
    return {str(name): "not an allocation field" for name in raw if name not in known}


def _typed(raw: Mapping[str, Any]) -> dict[str, str]:
    problems = {}
    if "mode" in raw and raw["mode"] not in MODES:
        problems["mode"] = f"one of {', '.join(MODES)}, not {raw['mode']!r}"
    for name in ("quota", "buffer"):
        if name in raw and not (_whole(raw[name]) and raw[name] >= 0):
            problems[name] = "a whole number of units, 0 or more"
    if "cap" in raw and raw["cap"] is not None and not (_whole(raw["cap"]) and raw["cap"] >= 0):
        problems["cap"] = "a whole number of units, 0 or more, or null for none"
    if "priority" in raw and not _whole(raw["priority"]):
        problems["priority"] = "a whole number (lower carves first)"
    if "rebalance" in raw and not isinstance(raw["rebalance"], bool):
        problems["rebalance"] = "true or false"
    if "percentage" in raw and not (_number(raw["percentage"]) and 0 <= raw["percentage"] <= 100):
        problems["percentage"] = "a number from 0 to 100"
    if raw.get("hold_back_s") is not None and not (_number(raw["hold_back_s"])
                                                   and 0 <= raw["hold_back_s"] <= MAX_HOLD_BACK_S):
        problems["hold_back_s"] = (f"seconds from 0 (hold nothing back) to {MAX_HOLD_BACK_S}, or null for the "
                                   "channel's round as measured")
    return problems


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value  # NaN is not a share

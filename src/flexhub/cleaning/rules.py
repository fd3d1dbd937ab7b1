"""Pure order cleaning: a tenant's rules (read from JSON or YAML and checked), and the verdict on an incoming order
before it takes stock — accept, hold (stored `on_hold`, nothing reserved) or reject (nothing stored).

Each rule is one kind with its own parameters (`checks.py` holds what each kind looks at), an action, and an
optional channel it is limited to. A verdict carries every finding with its rule, a stable code and a reason."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flexhub.cleaning import checks
from flexhub.cleaning.errors import DuplicateRuleName, InvalidRule, UnknownRuleKind

Action = Literal["hold", "reject"]
ACTIONS = ("hold", "reject")
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MAX_RULES = 100


class RuleIn(BaseModel):
    """A rule as a person writes it (API body or YAML); `kind` and `params` are checked by `parse_rules`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    kind: str = Field(min_length=1, max_length=40)
    action: Action = "hold"
    channel: str | None = Field(default=None, min_length=1, max_length=64, description="only this channel's orders")
    enabled: bool = True
    params: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: str
    action: str
    channel: str | None
    enabled: bool
    params: BaseModel

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "action": self.action, "channel": self.channel,
                "enabled": self.enabled, "params": self.params.model_dump(mode="json")}


def parse_rules(raw: Sequence[Mapping[str, Any]]) -> list[Rule]:
    """The rules in `raw`, each checked; the first one that is wrong raises with its name and what is wrong."""
    if len(raw) > MAX_RULES:
        raise InvalidRule(f"at most {MAX_RULES} rules", rule=None)
    rules, names = [], set()
    for position, item in enumerate(raw):
        rule = parse_rule(item, position)
        if rule.name in names:
            raise DuplicateRuleName(f"two rules are named {rule.name}", rule=rule.name)
        names.add(rule.name)
        rules.append(rule)
    return rules


def parse_rule(item: Mapping[str, Any], position: int = 0) -> Rule:
    try:
        written = RuleIn.model_validate(item)
    except ValidationError as error:
        raise InvalidRule(f"rule {position + 1} is not a rule", rule=_name(item, position),
                          problems=_problems(error)) from None
    params_model = checks.PARAMS.get(written.kind)
    if params_model is None:
        raise UnknownRuleKind(f"no rule kind {written.kind!r}; kinds: {', '.join(sorted(checks.PARAMS))}",
                              rule=written.name, kind=written.kind)
    try:
        params = params_model.model_validate(written.params)
    except ValidationError as error:
        raise InvalidRule(f"rule {written.name}: its params are wrong", rule=written.name,
                          problems=_problems(error)) from None
    return Rule(written.name, written.kind, written.action, written.channel, written.enabled, params)


def _name(item: Any, position: int) -> str:
    name = item.get("name") if isinstance(item, Mapping) else None
    return name if isinstance(name, str) else f"#{position + 1}"


def _problems(error: ValidationError) -> list[dict[str, Any]]:
    return [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]} for e in error.errors()]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    action: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "action": self.action, "code": self.code, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Literal["accept", "hold", "reject"]
    findings: tuple[Finding, ...]
    address: dict[str, Any]  # the shipping address as it is stored: normalised by the address rule


@dataclass(frozen=True, slots=True)
class Seen:
    """An earlier order as the history keeps it (or one earlier in the same batch)."""

    buyer: str
    address: str
    device: str | None
    lines: str
    at: datetime


@dataclass(frozen=True)
class History:
    seen: Sequence[Seen] = ()
    known_buyers: frozenset[str] = frozenset()  # buyers with any earlier order, however long ago


def judge(order: checks.Candidate, rules: Sequence[Rule], history: History, places: checks.Places,
          now: datetime) -> Verdict:
    """What the tenant's rules say of `order`: reject when any rejecting rule finds something, else hold when
    any holding rule does, else accept."""
    address = dict(order.address)
    findings: list[Finding] = []
    for rule in rules:
        if not rule.enabled or (rule.channel is not None and rule.channel != order.channel):
            continue
        found = checks.run(rule.kind, rule.params, order, history, places, now)
        if found.address is not None:
            address = found.address
        findings += [Finding(rule.name, rule.action, code, reason) for code, reason in found.problems]
    actions = {f.action for f in findings}
    if "reject" in actions:
        return Verdict("reject", tuple(findings), address)
    return Verdict("hold" if findings else "accept", tuple(findings), address)


def needs_history(rules: Sequence[Rule]) -> int | None:
    """How many minutes back the rules look at earlier orders (0: only whether a buyer ordered before); None when
    no rule looks back at all."""
    windows = [checks.window_minutes(rule.kind, rule.params) for rule in rules if rule.enabled]
    looking = [w for w in windows if w is not None]
    return max(looking) if looking else None

"""Cleaning on the write path: a batch of incoming orders judged by the tenant's rules before any takes stock.

`Screening.load` reads the tenant's rules once per batch (and, when a rule looks back, the earlier orders of the
batch's buyers, addresses and devices); `judge` decides each order in arrival order, so an order earlier in the
same batch counts as history; `keep` writes what the history rules need and the holds, in the batch's
transaction."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from flexhub.cleaning import checks, repository
from flexhub.cleaning.rules import History, Rule, Seen, Verdict, judge, needs_history, parse_rule
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id

_places: checks.Places | None = None


def use_places(places: checks.Places) -> None:
    """The atlas the address rule checks Chinese addresses against (routing's, wired by the composition root)."""
    global _places
    _places = places


def places() -> checks.Places:
    if _places is None:
        raise RuntimeError("no atlas wired for the address rule (cleaning.use_places)")
    return _places


def stored_rules(connection: Connection, tenant_id: uuid.UUID) -> list[Rule]:
    return [parse_rule({"name": r.name, "kind": r.kind, "action": r.action, "channel": r.channel,
                        "enabled": r.enabled, "params": r.params}) for r in repository.rules_of(connection, tenant_id)]


@dataclass
class Screening:
    tenant_id: uuid.UUID
    rules: list[Rule]
    now: datetime
    history: History = field(default_factory=History)
    looks_back: int | None = None
    judged: list[tuple[uuid.UUID, checks.Candidate]] = field(default_factory=list)

    @classmethod
    def load(cls, connection: Connection, tenant_id: uuid.UUID, candidates: Sequence[checks.Candidate]
             ) -> "Screening | None":
        """None when the tenant has no rules: the batch goes on as if there were no cleaning."""
        rules = [r for r in stored_rules(connection, tenant_id) if r.enabled]
        if not rules:
            return None
        now = clock.now()
        looks_back = needs_history(rules)
        history = _history(connection, tenant_id, candidates, now, looks_back) if looks_back is not None else History()
        return cls(tenant_id, rules, now, history, looks_back)

    def judge(self, order_id: uuid.UUID, candidate: checks.Candidate) -> Verdict:
        atlas = places() if any(r.kind == "address" for r in self.rules) else _NO_PLACES
        verdict = judge(candidate, self.rules, self.history, atlas, self.now)
        if verdict.action != "reject":
            self.history = History([*self.history.seen, _seen(replace(candidate, address=verdict.address), self.now)],
                                   self.history.known_buyers | {checks.buyer_key(candidate.buyer)})
            self.judged.append((order_id, replace(candidate, address=verdict.address)))
        return verdict

    def keep(self, connection: Connection, stored: set[uuid.UUID]) -> None:
        """The fingerprints of the orders judged and stored, when a rule looks back."""
        if self.looks_back is None:
            return
        repository.insert_fingerprints(connection, [
            {"order_id": order_id, "tenant_id": self.tenant_id, "buyer_key": checks.buyer_key(c.buyer)[:200],
             "address_key": checks.address_key(c.address), "device_key": checks.device_key(c.buyer),
             "lines_key": checks.lines_key(c.lines), "seen_at": self.now}
            for order_id, c in self.judged if order_id in stored])


def hold_rows(tenant_id: uuid.UUID, held: Sequence[tuple[uuid.UUID, uuid.UUID | None, str, list[dict[str, Any]]]]
              ) -> list[dict[str, Any]]:
    """Rows of `order_holds` for (order, its partner, reason, findings)."""
    now = clock.now()
    return [{"id": new_id(), "tenant_id": tenant_id, "order_id": order_id, "partner_id": partner_id,
             "reason": reason, "findings": findings, "held_at": now} for order_id, partner_id, reason, findings in held]


def hold_orders(connection: Connection, tenant_id: uuid.UUID,
                held: Sequence[tuple[uuid.UUID, uuid.UUID | None, str, list[dict[str, Any]]]]) -> None:
    repository.insert_holds(connection, hold_rows(tenant_id, held))


def _history(connection: Connection, tenant_id: uuid.UUID, candidates: Sequence[checks.Candidate], now: datetime,
             minutes: int) -> History:
    buyers = {checks.buyer_key(c.buyer) for c in candidates}
    addresses = {checks.address_key(c.address) for c in candidates}
    devices = {d for c in candidates if (d := checks.device_key(c.buyer))}
    rows = repository.seen_since(connection, tenant_id, now - timedelta(minutes=minutes), buyers, addresses, devices)
    seen = [Seen(r.buyer_key, r.address_key, r.device_key, r.lines_key, r.seen_at) for r in rows]
    return History(seen, frozenset(repository.known_buyers(connection, tenant_id, buyers)))


def _seen(candidate: checks.Candidate, now: datetime) -> Seen:
    return Seen(checks.buyer_key(candidate.buyer), checks.address_key(candidate.address),
                checks.device_key(candidate.buyer), checks.lines_key(candidate.lines), now)


class _NoPlaces:
    def province(self, name: str) -> tuple[str, str] | None:
        return None

    def city(self, name: str, province: str) -> str | None:
        return None

    def province_of_postal_code(self, code: str) -> str | None:
        return None


_NO_PLACES = _NoPlaces()

"""Orders cleaned before they take stock: each fresh order of a batch judged by the tenant's cleaning rules, then,
for a reseller's order, by its credit.

A rejected order is answered with `cleaning.rejected` and nothing of it is stored; a held one is stored `on_hold`
(reason `cleaning` or `credit_limit`) with what was found, and reserves nothing until a person releases it
(`ordering.holds`). A reseller's order that is not held is charged to its account in the same transaction."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flexhub import cleaning, resellers
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel import clock
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.drafts import Draft

Fresh = tuple[int, ImportOrder, Draft]


@dataclass(frozen=True, slots=True)
class Held:
    kind: str  # cleaning | credit_limit
    findings: list[dict[str, str]]

    @property
    def status_reason(self) -> str:
        return ("held: " + ", ".join(dict.fromkeys(f["code"] for f in self.findings)))[:200]


@dataclass
class Screened:
    kept: list[Fresh]  # to store: accepted and held
    held: dict[int, Held] = field(default_factory=dict)
    owed: dict[int, Any] = field(default_factory=dict)  # index → what a reseller's order is charged
    screening: Any = None


def _day(d: Draft) -> date:
    return (d.order["placed_at"] or clock.now()).date()


def _lines(d: Draft) -> list[tuple[str, int, int, int]]:
    return [(line["sku_code"], line["quantity"], line["unit_price"], line["discount"]) for line in d.lines]


def candidate(cmd: ImportOrder, d: Draft, floors: dict[str, int]) -> Any:
    return cleaning.Candidate(channel=cmd.order.channel, currency=cmd.order.currency, buyer=d.order["buyer"],
                              address=d.order["shipping_address"], total=d.order["total"], lines=_lines(d),
                              floors=floors)


def screen(uow: UnitOfWork, tenant_id: uuid.UUID, fresh: Sequence[Fresh], outcomes: list[Any]) -> Screened:
    judged = [(i, cmd, d) for i, cmd, d in fresh if not cmd.order.cancelled]
    credit = resellers.Credit.load(uow.connection, tenant_id, {d.order["partner_id"] for _, _, d in judged})
    candidates = {i: candidate(cmd, d, credit.floors(d.order["partner_id"], _day(d))) for i, cmd, d in judged}
    screening = cleaning.Screening.load(uow.connection, tenant_id, list(candidates.values()))
    found = Screened([], screening=screening)
    if screening is None and not credit.accounts:
        found.kept = list(fresh)
        return found
    for index, cmd, d in fresh:
        if index not in candidates:
            found.kept.append((index, cmd, d))
            continue
        verdict = screening.judge(d.order["id"], candidates[index]) if screening else None
        if verdict is not None and verdict.action == "reject":
            outcomes[index] = cleaning.OrderRejected(
                f"order {cmd.order.external_id} refused by the cleaning rules: "
                + "; ".join(f.reason for f in verdict.findings), findings=[f.as_dict() for f in verdict.findings])
            continue
        if verdict is not None:
            d.order["shipping_address"] = verdict.address
        if verdict is not None and verdict.action == "hold":
            found.held[index] = Held("cleaning", [f.as_dict() for f in verdict.findings])
        else:
            _judge_credit(found, credit, index, cmd, d)
        found.kept.append((index, cmd, d))
    return found


def _judge_credit(found: Screened, credit: Any, index: int, cmd: ImportOrder, d: Draft) -> None:
    owed, why = credit.judge(d.order["partner_id"], cmd.order.currency, _lines(d), _day(d))
    if why is not None:
        found.held[index] = Held("credit_limit", [{"rule": "credit_limit", "action": "hold",
                                                   "code": "credit.over_limit", "reason": why}])
    elif owed is not None:
        found.owed[index] = owed


def keep(uow: UnitOfWork, tenant_id: uuid.UUID, screened: Screened, stored: Sequence[Fresh]) -> None:
    """The holds of the orders stored on hold, the charges of resellers' orders, and the history the cleaning
    rules look back at."""
    if screened.screening is not None:
        screened.screening.keep(uow.connection, {d.order["id"] for _, _, d in stored})
    cleaning.hold_orders(uow.connection, tenant_id, [
        (d.order["id"], d.order["partner_id"], screened.held[i].kind, screened.held[i].findings)
        for i, _, d in stored if i in screened.held])
    resellers.charge_orders(uow.connection, [
        row for i, cmd, d in stored if i in screened.owed
        for row in resellers.charges(tenant_id, d.order["partner_id"], d.order["id"], cmd.order.external_id,
                                     screened.owed[i], cmd.order.currency, cmd.actor.name)])

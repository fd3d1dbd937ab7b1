"""Raising and clearing alerts: the plan is read outside the write; only what changed is written, with its
event to the outbox, so a run that finds the same conditions as the last writes nothing."""

import uuid
from dataclasses import dataclass

from sqlalchemy import Connection

from flexhub import replenishment
from flexhub.alerts import repository, rules
from flexhub.alerts.commands import AlertsRaised, RaiseAlerts
from flexhub.alerts.events import AlertCleared, AlertRaised
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.identity import audit, tenant_ids
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.replenishment import plan, position_of


def raise_alerts(cmd: RaiseAlerts, uow_factory: UnitOfWorkFactory) -> AlertsRaised:
    """Each tenant in its own transaction; returns how many alerts were raised and cleared."""
    with uow_factory(write=False) as uow:
        tenants = tenant_ids(uow.connection)
    totals = AlertsRaised()
    for tenant_id in tenants:
        with uow_factory(write=False) as uow:
            current, names = _conditions(uow.connection, tenant_id, cmd)
        with uow_factory() as uow:
            raised, cleared = _apply(uow, tenant_id, current, names)
            uow.commit()
        totals = AlertsRaised(raised=totals.raised + raised, cleared=totals.cleared + cleared)
    return totals


@dataclass(frozen=True)
class _Names:
    """The codes an alert's event names its SKU and location by (the id spelled out when one is unknown)."""

    skus: dict[uuid.UUID, str]
    locations: dict[uuid.UUID, str]

    def sku(self, sku_id: uuid.UUID) -> str:
        return self.skus.get(sku_id, str(sku_id))

    def location(self, location_id: uuid.UUID) -> str:
        return self.locations.get(location_id, str(location_id))


def _conditions(c: Connection, tenant_id: uuid.UUID, cmd: RaiseAlerts) -> tuple[list[rules.Condition], _Names]:
    today = clock.now().date()
    found = plan(c, tenant_id, today=today, review_days=cmd.review_days)
    held = replenishment.positions(c, tenant_id)
    current = []
    for row, (sku_id, location_id) in enumerate(found.history.keys):
        position = position_of(held.get((sku_id, location_id), {"available": 0, "in_transit": 0}))
        current += rules.conditions(sku_id, location_id, position=position, daily=found.forecasts.daily[row].tolist(),
                                    protect_days=int(found.interval[row]), today=today,
                                    excess_days=cmd.excess_days)
    names = _Names(skus={k: v.code for k, v in found.skus.items()},
                   locations={k: v.code for k, v in found.locations.items()})
    return current, names


def _apply(uow: UnitOfWork, tenant_id: uuid.UUID, current: list[rules.Condition], names: _Names) -> tuple[int, int]:
    c = uow.connection
    open_rows = {(r.sku_id, r.location_id, r.kind): r for r in repository.open_alerts(c, tenant_id)}
    raised, cleared = rules.changes(open_rows, current)
    actor = Actor(tenant_id=tenant_id, role="admin", name="job:raise_alerts")
    now = clock.now()
    for condition in raised:
        alert_id = new_id()
        repository.insert_alert(c, {"id": alert_id, "tenant_id": tenant_id, "sku_id": condition.sku_id,
                                    "location_id": condition.location_id, "kind": condition.kind, "state": "open",
                                    "detail": condition.detail, "raised_at": now})
        uow.record(AlertRaised(tenant_id=tenant_id, alert_id=str(alert_id), kind=condition.kind,
                               sku=names.sku(condition.sku_id), location=names.location(condition.location_id),
                               detail=condition.detail))
        audit.record(uow, actor, audit.Audited("alert.raise", "stock_alert", alert_id, {"kind": condition.kind}))
    for key in cleared:
        row = open_rows[key]
        repository.clear_alert(c, tenant_id, row.id, now)
        uow.record(AlertCleared(tenant_id=tenant_id, alert_id=str(row.id), kind=row.kind,
                                sku=names.sku(row.sku_id), location=names.location(row.location_id)))
        audit.record(uow, actor, audit.Audited("alert.clear", "stock_alert", row.id, {"kind": row.kind}))
    return len(raised), len(cleared)


"""仓储费: each reseller with a fee per unit-day is charged, for a day, the units on hand in its consigned pool
(`consigned:<code>`) at the day's end, read from the stock ledger; once per reseller and day."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection

from flexhub import identity, inventory
from flexhub.kernel.ids import new_id
from flexhub.resellers import repository, rules
from flexhub.resellers.credit import terms_from


def reference(day: date) -> str:
    return f"storage {day.isoformat()}"


def charge_day(connection: Connection, tenant_id: uuid.UUID, day: date, by: str) -> dict[str, int]:
    """Charge `day` to every reseller not yet charged for it; reseller code → amount charged."""
    terms = [row for row in repository.all_terms(connection, tenant_id) if row.storage_fee_per_unit_day > 0]
    if not terms:
        return {}
    partners = {p.id: p for p in identity.partners_of_kind(connection, tenant_id, "reseller")}
    pools = {f"consigned:{partners[t.partner_id].code}": t for t in terms if t.partner_id in partners}
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
    units = inventory.on_hand_in_pools_at(connection, tenant_id, pools, end)
    charged: dict[str, int] = {}
    for pool, row in pools.items():
        amount = rules.storage_fee(units.get(pool, 0), terms_from(row))
        if not amount or repository.entry_exists(connection, tenant_id, row.partner_id, "storage_fee",
                                                 reference(day)):
            continue
        repository.insert_entries(connection, [{
            "id": new_id(), "tenant_id": tenant_id, "partner_id": row.partner_id, "kind": "storage_fee",
            "order_id": None, "reference": reference(day), "amount": amount, "currency": row.currency,
            "at": end - timedelta(seconds=1), "recorded_by": by}])
        charged[partners[row.partner_id].code] = amount
    return charged

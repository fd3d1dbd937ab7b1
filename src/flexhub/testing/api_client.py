"""Builders for HTTP API tests: a hub behind a TestClient, a tenant with a key per role, and row counts."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from flexhub.api.app import create_app
from flexhub.bootstrap import Hub, bootstrap
from flexhub.db.outbox import OutboxEvent
from flexhub.identity.commands import CreateApiKey, CreatePartner
from flexhub.identity.keys import split
from flexhub.identity.model import AuditEntry
from flexhub.inventory.model import StockLevel, StockMovement
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order
from flexhub.settings import Settings
from flexhub.testing.builders import create_tenant

ROLES = ("admin", "operator", "viewer", "partner")


@dataclass
class Tenant:
    """A tenant as the API sees it: its bootstrap admin actor and one API token per role."""

    admin: Actor
    tokens: dict[str, str] = field(default_factory=dict)
    partner: str = "reseller-1"

    def headers(self, role: str = "admin", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}

    def actor_name(self, role: str) -> str:
        """The name the audit log records for this role's key."""
        return f"key:{split(self.tokens[role])}"


@dataclass
class Api:
    hub: Hub
    client: TestClient
    tenant: Tenant

    def headers(self, role: str = "admin", **extra: str) -> dict[str, str]:
        return self.tenant.headers(role, **extra)


def create_tenant_with_keys(hub: Hub, code: str = "acme", partner: str = "reseller-1") -> Tenant:
    """A tenant, a partner of it, and an API key for each role (the partner key acts for that partner)."""
    admin = create_tenant(hub, code=code, name=code.title())
    hub.handle(CreatePartner(actor=admin, code=partner, kind="reseller"))
    tenant = Tenant(admin=admin, partner=partner)
    for role in ROLES:
        created = hub.handle(CreateApiKey(actor=admin, role=role, name=f"{role}-key",
                                          partner=partner if role == "partner" else None))
        tenant.tokens[role] = created["token"]
    return tenant


@contextmanager
def api_over(database_url: str, **settings: Any) -> Iterator[Api]:
    """A hub on `database_url`, the app over it and a tenant with keys; the hub is closed after."""
    hub = bootstrap(Settings(database_url=database_url, **settings))
    try:
        tenant = create_tenant_with_keys(hub)
        with TestClient(create_app(hub)) as client:
            yield Api(hub, client, tenant)
    finally:
        hub.close()


def row_counts(hub: Hub) -> dict[str, Any]:
    """What a denied request must leave untouched: stock figures and the rows writes add."""
    with hub.uow(write=False) as uow:
        count = lambda model: uow.connection.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
        levels = uow.connection.execute(
            select(StockLevel.sku_id, StockLevel.location_id, StockLevel.pool, StockLevel.on_hand,
                   StockLevel.reserved).order_by(StockLevel.sku_id, StockLevel.location_id, StockLevel.pool)
        ).all()
        return {
            "levels": [tuple(row) for row in levels],
            "orders": count(Order),
            "stock_movements": count(StockMovement),
            "outbox_events": count(OutboxEvent),
            "audit_log": count(AuditEntry),
        }

"""Builders for HTTP API tests: a hub behind a TestClient, a tenant with a key per role, a stocked shop.

That a denied request changed nothing is asserted with `flexhub.testing.snapshots.snapshot`."""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from flexhub.api.app import bind, create_app
from flexhub.bootstrap import Hub, bootstrap
from flexhub.identity.commands import CreateApiKey, CreatePartner
from flexhub.identity.keys import split
from flexhub.kernel.messages import Actor
from flexhub.settings import Settings
from flexhub.testing.builders import create_tenant

ROLES = ("admin", "operator", "viewer", "partner")
SKUS = "/api/v1/catalog/skus"
BUNDLES = "/api/v1/catalog/bundles"
LOCATIONS = "/api/v1/inventory/locations"
ADJUSTMENTS = "/api/v1/inventory/adjustments"
LEVELS = "/api/v1/inventory/levels"
SAFETY_STOCK = "/api/v1/inventory/safety-stock"
CHANNELS = "/api/v1/channels"
ORDERS = "/api/v1/orders"


@dataclass
class Tenant:
    """A tenant as the API sees it: its bootstrap admin actor and one API token per role."""

    admin: Actor
    partner: str
    tokens: dict[str, str] = field(default_factory=dict)

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

    def post(self, path: str, body: dict[str, Any], role: str = "admin", status: int = 201) -> dict[str, Any]:
        """POST as `role`, insisting on `status`; the answer's JSON."""
        response = self.client.post(path, json=body, headers=self.headers(role))
        assert response.status_code == status, response.text
        return response.json()

    def get(self, path: str, role: str = "admin", status: int = 200, **params: str) -> dict[str, Any]:
        response = self.client.get(path, params=params, headers=self.headers(role))
        assert response.status_code == status, response.text
        return response.json()

    def levels(self, sku: str = "TEE-RED-M", role: str = "admin") -> list[dict[str, Any]]:
        return self.get(LEVELS, role, sku=sku)["levels"]

    def stock_shop(self, stock: int, channel: str = "web", **channel_fields: Any) -> None:
        """TEE-RED-M with `stock` on hand at WH-CENTRAL, sold through `channel` (`order_body`'s defaults)."""
        self.post(SKUS, {"code": "TEE-RED-M", "name": "Tee, red, M"})
        self.post(LOCATIONS, {"code": "WH-CENTRAL", "kind": "central"})
        self.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": stock,
                                "reason": "first delivery"})
        self.post(CHANNELS, {"code": channel, "platform": "generic", **channel_fields})

    def add_tenant(self, code: str, partner: str = "reseller-1") -> Tenant:
        return create_tenant_with_keys(self.hub, code, partner)


def create_tenant_with_keys(hub: Hub, code: str = "acme", partner: str = "reseller-1") -> Tenant:
    """A tenant, a partner of it, and an API key for each role (the partner key acts for that partner)."""
    admin = create_tenant(hub, code=code, name=code.title())
    hub.handle(CreatePartner(actor=admin, code=partner, kind="reseller"))
    tenant = Tenant(admin=admin, partner=partner)
    for role in ROLES:
        created = hub.handle(CreateApiKey(actor=admin, role=role, name=f"{role}-key",
                                          partner=partner if role == "partner" else None))
        tenant.tokens[role] = created.token
    return tenant


# Apps not in use, by what their making read of the settings. FastAPI builds every route's models on an app's first
# request (about a second of CPU); a test binds an app built before to its own hub instead (api.app.bind).
_IDLE_APPS: defaultdict[tuple[object, ...], list[FastAPI]] = defaultdict(list)


@contextmanager
def app_over(hub: Hub) -> Iterator[FastAPI]:
    """The app over `hub`: one this process built before and is not using, bound to it, or a new one."""
    settings = hub.settings
    shape = (settings.max_body_bytes, settings.assets_dir, settings.session_cookie_secure)
    idle = _IDLE_APPS[shape]
    app = idle.pop() if idle else create_app(hub)
    bind(app, hub)
    try:
        yield app
    finally:
        idle.append(app)


@contextmanager
def api_over(database_url: str, **settings: Any) -> Iterator[Api]:
    """A hub on `database_url`, the app over it and a tenant with keys; the hub is closed after."""
    hub = bootstrap(Settings(database_url=database_url, **settings))
    try:
        tenant = create_tenant_with_keys(hub)
        with app_over(hub) as app, TestClient(app) as client:
            yield Api(hub, client, tenant)
    finally:
        hub.close()


def assert_error(response: Response, status: int, code: str) -> dict[str, Any]:
    """The answer is `{"error": {"code", "message"}}` with `status` and `code`; the error's body."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    return error

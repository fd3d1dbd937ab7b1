"""Resellers through the API: reseller-1 selling through its own store `r1-shop` on credit terms (a 20,000 limit,
each tee 8,000 + 300 代发费), and a second reseller."""

import pytest
from sqlalchemy import select

from flexhub.identity.commands import CreatePartner
from flexhub.identity.model import AuditEntry
from flexhub.testing.api_client import CHANNELS, ORDERS, Api
from flexhub.testing.builders import order_body

RESELLERS = "/api/v1/resellers"
ACCOUNT = f"{RESELLERS}/reseller-1"
TERMS = {"currency": "CNY", "credit_limit": 20_000, "dropship_fee": 300, "storage_fee_per_unit_day": 2}
PRICES = {"prices": [{"sku": "TEE-RED-M", "unit_price": 8000, "valid_from": "2020-01-01"}]}


@pytest.fixture
def reseller(shop: Api) -> Api:
    """`shop` with reseller-1 selling through its own store `r1-shop` on credit terms, and a second reseller."""
    shop.hub.handle(CreatePartner(actor=shop.tenant.admin, code="reseller-2", kind="reseller"))
    shop.post(CHANNELS, {"code": "r1-shop", "platform": "generic", "partner": "reseller-1"})
    shop.client.put(f"{ACCOUNT}/terms", json=TERMS, headers=shop.headers()).raise_for_status()
    shop.client.put(f"{ACCOUNT}/prices", json=PRICES, headers=shop.headers()).raise_for_status()
    return shop


def place(api: Api, external_id: str, quantity: int = 1, price: int = 12900) -> dict:
    body = order_body(external_id, channel="r1-shop", lines=[{"sku": "TEE-RED-M", "quantity": quantity,
                                                              "unit_price": price}])
    return api.post(ORDERS, body, role="partner")


def status_of(api: Api, order: dict) -> str:
    return api.get(f"{ORDERS}/{order['id']}")["status"]


def released_audit(api: Api) -> list[tuple[str, str, str]]:
    """Every `order.release` audit entry, oldest first: the order, who released it and the note saying why."""
    with api.hub.uow(write=False) as uow:
        rows = uow.connection.execute(select(AuditEntry.entity_id, AuditEntry.actor, AuditEntry.detail)
                                      .where(AuditEntry.action == "order.release")
                                      .order_by(AuditEntry.at, AuditEntry.id)).all()
    return [(row.entity_id, row.actor, row.detail["note"]) for row in rows]

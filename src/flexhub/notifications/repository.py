"""The only place with outbound webhook SQL; every statement is scoped by tenant (and partner, for a partner)."""

import uuid
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from flexhub.db.portable import insert_missing
from flexhub.notifications.errors import UnknownDelivery, UnknownEndpoint
from flexhub.notifications.model import WebhookDelivery, WebhookEndpoint


def insert_endpoint(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(WebhookEndpoint).values(**values))


def active_endpoints(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    query = select(WebhookEndpoint).where(WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.active.is_(True))
    return list(connection.execute(query))


def endpoints(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID | None) -> list[Any]:
    query = select(WebhookEndpoint).where(WebhookEndpoint.tenant_id == tenant_id).order_by(WebhookEndpoint.created_at)
    if partner_id is not None:
        query = query.where(WebhookEndpoint.partner_id == partner_id)
    return list(connection.execute(query))


def endpoint(connection: Connection, tenant_id: uuid.UUID, endpoint_id: str,
             partner_id: uuid.UUID | None = None) -> Any:
    query = select(WebhookEndpoint).where(WebhookEndpoint.tenant_id == tenant_id,
                                          WebhookEndpoint.id == _uuid(endpoint_id, UnknownEndpoint))
    if partner_id is not None:
        query = query.where(WebhookEndpoint.partner_id == partner_id)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownEndpoint(f"no webhook endpoint {endpoint_id}")
    return row


def disable(connection: Connection, endpoint_id: uuid.UUID) -> None:
    connection.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).values(active=False))


def set_secret(connection: Connection, endpoint_id: uuid.UUID, sealed: str) -> None:
    connection.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).values(secret=sealed))


def delete_endpoint(connection: Connection, endpoint_id: uuid.UUID) -> int:
    """The endpoint and its deliveries; returns how many deliveries went with it."""
    gone = connection.execute(select(func.count()).where(WebhookDelivery.endpoint_id == endpoint_id)).scalar_one()
    connection.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id))
    connection.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
    return int(gone)


def add_deliveries(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """One per endpoint and event; an event seen again adds nothing."""
    insert_missing(connection, WebhookDelivery.__table__, rows, ["endpoint_id", "event_id"])


def delivery_to_send(connection: Connection, delivery_id: uuid.UUID) -> Any:
    """A delivery with its endpoint's URL and (sealed) secret as they are now; None once the endpoint is gone."""
    query = (select(WebhookDelivery, WebhookEndpoint.url, WebhookEndpoint.secret, WebhookEndpoint.allow_private)
             .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
             .where(WebhookDelivery.id == delivery_id))
    return connection.execute(query).first()


def delivery_ids(connection: Connection, endpoint_id: uuid.UUID) -> list[uuid.UUID]:
    return list(connection.execute(select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == endpoint_id))
                .scalars())


def deliveries(connection: Connection, tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None,
               states: list[str] | None, limit: int) -> list[Any]:
    query = (
        select(WebhookDelivery).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.tenant_id == tenant_id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit)
    )
    if partner_id is not None:
        query = query.where(WebhookEndpoint.partner_id == partner_id)
    if states:
        query = query.where(WebhookDelivery.state.in_(states))
    return list(connection.execute(query))


def delivery(connection: Connection, tenant_id: uuid.UUID, delivery_id: str, partner_id: uuid.UUID | None) -> Any:
    query = (select(WebhookDelivery).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
             .where(WebhookDelivery.tenant_id == tenant_id,
                    WebhookDelivery.id == _uuid(delivery_id, UnknownDelivery)))
    if partner_id is not None:
        query = query.where(WebhookEndpoint.partner_id == partner_id)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownDelivery(f"no webhook delivery {delivery_id}")
    return row


def update_delivery(connection: Connection, delivery_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**values))


def _uuid(value: str, error: type[Exception]) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise error(f"no such id {value}") from exc

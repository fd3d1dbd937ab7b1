"""Reading outbound webhooks: endpoints (never their secrets) and deliveries, a partner's own only."""

import uuid
from typing import Any

from sqlalchemy import Connection

from flexhub.notifications import repository


def list_endpoints(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID | None) -> list[dict]:
    return [{"id": str(e.id), "url": e.url, "event_types": e.event_types, "active": e.active,
             "partner_id": str(e.partner_id) if e.partner_id else None, "allow_private": e.allow_private,
             "created_at": e.created_at}
            for e in repository.endpoints(connection, tenant_id, partner_id)]


def list_deliveries(connection: Connection, tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None,
                    states: list[str] | None = None, limit: int = 100) -> list[dict[str, Any]]:
    return [{"id": str(d.id), "endpoint_id": str(d.endpoint_id), "event_id": str(d.event_id),
             "event_type": d.event_type, "state": d.state, "attempts": d.attempts,
             "next_attempt_at": d.next_attempt_at, "last_error": d.last_error, "delivered_at": d.delivered_at}
            for d in repository.deliveries(connection, tenant_id, partner_id=partner_id, states=states, limit=limit)]

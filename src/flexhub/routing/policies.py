"""Each tenant's routing policy: stored as a document, read over the defaults, prepared once per revision."""

import uuid
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel import clock
from flexhub.routing import repository
from flexhub.routing.errors import InvalidPolicy
from flexhub.routing.policy import PreparedPolicy, RoutingPolicy, policy_from

MOST_PREPARED = 256
_prepared: dict[tuple[uuid.UUID, int], PreparedPolicy] = {}


def current(uow: UnitOfWork, tenant_id: uuid.UUID) -> tuple[PreparedPolicy, int]:
    """The tenant's policy, ready to decide with, and its revision (0: the defaults, never changed)."""
    row = repository.policy_document(uow.connection, tenant_id)
    revision = row.version if row else 0
    prepared = _prepared.get((tenant_id, revision))
    if prepared is None:
        if len(_prepared) >= MOST_PREPARED:
            _prepared.clear()
        prepared = _prepared[(tenant_id, revision)] = PreparedPolicy(policy_from(row.document if row else None))
    return prepared, revision


def validated(document: dict[str, Any]) -> RoutingPolicy:
    try:
        return policy_from(document)
    except ValidationError as error:
        problems = [{"at": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in error.errors()]
        raise InvalidPolicy("the routing policy does not validate", problems=problems) from error


def today(policy: RoutingPolicy) -> date:
    """The day node loads count in: the policy's time zone."""
    try:
        zone = ZoneInfo(policy.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return clock.now().date()
    return clock.now().astimezone(zone).date()

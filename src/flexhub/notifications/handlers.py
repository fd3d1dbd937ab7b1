"""Outbound webhook handlers: register an endpoint (its secret shown once), disable, delete one or rotate its
secret (the new one shown once, the old one signing nothing after), retry a parked delivery."""

from typing import Any

from flexhub.db import jobs
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.integrations.targets import check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.errors import Forbidden
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.notifications import repository, signing
from flexhub.notifications.catalog import EVENTS, PARTNER_EVENTS
from flexhub.notifications.commands import (
    CreateEndpoint,
    DeleteEndpoint,
    DeliveryRetried,
    DisableEndpoint,
    EndpointCreated,
    EndpointDeleted,
    EndpointDisabled,
    RetryDelivery,
    RotateSecret,
    SecretRotated,
)
from flexhub.notifications.delivery import KIND, delivery_job
from flexhub.notifications.errors import InvalidEventTypes


def create_endpoint(cmd: CreateEndpoint, uow_factory: UnitOfWorkFactory, vault: Vault) -> EndpointCreated:
    allowed = PARTNER_EVENTS if cmd.actor.partner_id else EVENTS
    wanted = sorted(set(cmd.event_types or allowed))
    unknown = [e for e in wanted if e not in allowed]
    if unknown:
        raise InvalidEventTypes(f"these events cannot be subscribed to here: {', '.join(unknown)}",
                                allowed=list(allowed))
    if cmd.allow_private and (cmd.actor.role != "admin" or cmd.actor.partner_id):
        raise Forbidden("only the tenant's admin may allow a private or local address")
    check_target(cmd.url, allow_private=cmd.allow_private)
    secret = signing.new_secret()
    values: dict[str, Any] = {
        "id": new_id(), "tenant_id": cmd.actor.tenant_id, "partner_id": cmd.actor.partner_id, "url": cmd.url,
        "secret": vault.seal({"secret": secret}), "event_types": wanted, "active": True,
        "allow_private": cmd.allow_private}
    with uow_factory() as uow:
        repository.insert_endpoint(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("webhook_endpoint.create", "webhook_endpoint", values["id"],
                                                   {"url": cmd.url, "event_types": wanted,
                                                    "allow_private": cmd.allow_private}))
        uow.commit()
    return EndpointCreated(id=str(values["id"]), url=cmd.url, event_types=wanted, active=True, secret=secret,
                           allow_private=cmd.allow_private,
                           partner_id=str(cmd.actor.partner_id) if cmd.actor.partner_id else None)


def disable_endpoint(cmd: DisableEndpoint, uow_factory: UnitOfWorkFactory) -> EndpointDisabled:
    with uow_factory() as uow:
        row = repository.endpoint(uow.connection, cmd.actor.tenant_id, cmd.endpoint_id, _scope(cmd.actor))
        repository.disable(uow.connection, row.id)
        audit.record(uow, cmd.actor, audit.Audited("webhook_endpoint.disable", "webhook_endpoint", row.id))
        uow.commit()
    return EndpointDisabled(id=str(row.id), active=False)


def delete_endpoint(cmd: DeleteEndpoint, uow_factory: UnitOfWorkFactory) -> EndpointDeleted:
    with uow_factory() as uow:
        row = repository.endpoint(uow.connection, cmd.actor.tenant_id, cmd.endpoint_id, _scope(cmd.actor))
        jobs.forget(uow.connection, KIND, [str(i) for i in repository.delivery_ids(uow.connection, row.id)])
        deliveries = repository.delete_endpoint(uow.connection, row.id)
        audit.record(uow, cmd.actor, audit.Audited("webhook_endpoint.delete", "webhook_endpoint", row.id,
                                                   {"url": row.url, "deliveries": deliveries}))
        uow.commit()
    return EndpointDeleted(id=str(row.id), deleted=True, deliveries=deliveries)


def rotate_secret(cmd: RotateSecret, uow_factory: UnitOfWorkFactory, vault: Vault) -> SecretRotated:
    """No overlap: the sender opens the endpoint's secret for each attempt, so the next one is signed anew."""
    secret = signing.new_secret()
    with uow_factory() as uow:
        row = repository.endpoint(uow.connection, cmd.actor.tenant_id, cmd.endpoint_id, _scope(cmd.actor))
        repository.set_secret(uow.connection, row.id, vault.seal({"secret": secret}))
        audit.record(uow, cmd.actor, audit.Audited("webhook_endpoint.rotate_secret", "webhook_endpoint", row.id))
        uow.commit()
    return SecretRotated(id=str(row.id), secret=secret)


def retry_delivery(cmd: RetryDelivery, uow_factory: UnitOfWorkFactory) -> DeliveryRetried:
    """A parked (or failing) delivery goes out again at once, with a fresh count of tries."""
    with uow_factory() as uow:
        row = repository.delivery(uow.connection, cmd.actor.tenant_id, cmd.delivery_id, _scope(cmd.actor))
        if row.state != "delivered":
            repository.update_delivery(uow.connection, row.id, state="pending", attempts=0,
                                       next_attempt_at=clock.now())
            job = delivery_job(row.id, row.tenant_id)
            jobs.retry_key(uow.connection, job.kind, str(job.key), tenant_id=row.tenant_id, payload=job.payload)
        audit.record(uow, cmd.actor, audit.Audited("webhook_delivery.retry", "webhook_delivery", row.id,
                                                   {"state": row.state}))
        uow.commit()
    return DeliveryRetried(id=str(row.id), state="delivered" if row.state == "delivered" else "pending")


def _scope(actor: Actor) -> Any:
    return actor.partner_id

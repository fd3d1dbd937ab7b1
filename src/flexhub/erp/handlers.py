"""ERP handlers: register a connection (credentials sealed, never answered), map an unmapped record, retry a
parked document."""

from typing import Any

from flexhub.db import jobs
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.erp import outbound, repository, rules
from flexhub.erp.commands import (
    ConnectionCreated,
    CreateConnection,
    DocumentRetried,
    MapRecord,
    RecordMapped,
    RetryDocument,
)
from flexhub.erp.errors import ConnectionExists, MissingCredentials, UnknownKind
from flexhub.identity import audit
from flexhub.integrations.targets import check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel.errors import Forbidden
from flexhub.kernel.ids import new_id


def create_connection(cmd: CreateConnection, uow_factory: UnitOfWorkFactory, vault: Vault) -> ConnectionCreated:
    if cmd.kind not in rules.CREDENTIALS:
        raise UnknownKind(f"no ERP kind {cmd.kind!r}", kinds=sorted(rules.CREDENTIALS))
    missing = rules.missing_credentials(cmd.kind, cmd.credentials)
    if missing:
        raise MissingCredentials(f"a {cmd.kind} connection needs {', '.join(missing)}", missing=missing)
    if cmd.allow_private and (cmd.actor.role != "admin" or cmd.actor.partner_id):
        raise Forbidden("only the tenant's admin may allow a private or local address")
    check_target(cmd.url, allow_private=cmd.allow_private)
    credentials = {name: str(cmd.credentials[name]) for name in rules.CREDENTIALS[cmd.kind]}
    values: dict[str, Any] = {
        "id": new_id(), "tenant_id": cmd.actor.tenant_id, "code": cmd.code, "kind": cmd.kind,
        "url": cmd.url.rstrip("/"), "credentials": vault.seal(credentials), "allow_private": cmd.allow_private,
        "settings": dict(cmd.settings)}
    with uow_factory() as uow:
        if repository.connection_exists(uow.connection, cmd.actor.tenant_id, cmd.code):
            raise ConnectionExists(f"ERP connection {cmd.code} already exists")
        repository.insert_connection(uow.connection, values)
        audit.record(uow, cmd.actor, audit.Audited("erp_connection.create", "erp_connection", values["id"], {
            "code": cmd.code, "kind": cmd.kind, "url": values["url"], "allow_private": cmd.allow_private,
            "credential_names": sorted(credentials)}))
        uow.commit()
    return ConnectionCreated(id=str(values["id"]), code=cmd.code, kind=cmd.kind, url=values["url"],
                             allow_private=cmd.allow_private, credential_names=sorted(credentials))


def retry_document(cmd: RetryDocument, uow_factory: UnitOfWorkFactory) -> DocumentRetried:
    """A parked (or failing) document goes out again at once, with a fresh count of tries."""
    with uow_factory() as uow:
        erp = repository.connection_by_code(uow.connection, cmd.actor.tenant_id, cmd.code)
        row = repository.document_of(uow.connection, cmd.actor.tenant_id, erp.id, cmd.document_id)
        if row.state != "sent":
            repository.update_document(uow.connection, row.id, state="pending", attempts=0)
            job = outbound.document_job(row.id, row.tenant_id)
            jobs.retry_key(uow.connection, job.kind, str(job.key), tenant_id=row.tenant_id, payload=job.payload)
        audit.record(uow, cmd.actor, audit.Audited("erp_document.retry", "erp_document", row.id,
                                                   {"state": row.state}))
        uow.commit()
    return DocumentRetried(id=str(row.id), state="sent" if row.state == "sent" else "pending")


def map_record(cmd: MapRecord, uow_factory: UnitOfWorkFactory) -> RecordMapped:
    with uow_factory() as uow:
        erp = repository.connection_by_code(uow.connection, cmd.actor.tenant_id, cmd.code)
        repository.keep_mapping(uow.connection, cmd.actor.tenant_id, erp.id, cmd.kind, hub_code=cmd.hub_code,
                                erp_ref=cmd.erp_ref)
        audit.record(uow, cmd.actor, audit.Audited("erp_mapping.set", "erp_connection", erp.id, {
            "kind": cmd.kind, "hub_code": cmd.hub_code, "erp_ref": cmd.erp_ref}))
        uow.commit()
    return RecordMapped(kind=cmd.kind, hub_code=cmd.hub_code, erp_ref=cmd.erp_ref)

"""`flexhub keys`: API keys. The new key is printed alone on the last line, for scripts."""

import typer
from rich.console import Console
from sqlalchemy import select

from flexhub.bootstrap import bootstrap
from flexhub.identity.commands import CreateApiKey, CreatePartner, CreateTenant
from flexhub.identity.model import Partner, Tenant
from flexhub.identity.roles import ROLES
from flexhub.kernel.messages import Actor

app = typer.Typer(help="API keys.", no_args_is_help=True)


@app.command()
def create(
    role: str = typer.Option(..., help=f"one of {', '.join(ROLES)}"),
    tenant: str = typer.Option("default", help="the tenant's code; created when it does not exist"),
    partner: str | None = typer.Option(None, help="the partner's code (partner keys); created when missing"),
    partner_kind: str = typer.Option("reseller", help="the kind of a partner created here"),
    name: str = typer.Option("cli", help="a name to recognise the key by"),
) -> None:
    """Create an API key; its token is the last line of the output."""
    console = Console(stderr=True)
    hub = bootstrap(combine=False)
    try:
        with hub.uow(write=False) as uow:
            tenant_id = uow.connection.execute(select(Tenant.id).where(Tenant.code == tenant)).scalar()
        if tenant_id is None:
            tenant_id = hub.handle(CreateTenant(code=tenant, name=tenant))["id"]
            console.print(f"created tenant {tenant}")
        actor = Actor(tenant_id=tenant_id, role="admin", name="cli")
        if partner and not _partner_exists(hub, tenant_id, partner):
            hub.handle(CreatePartner(actor=actor, code=partner, kind=partner_kind))
            console.print(f"created partner {partner} ({partner_kind})")
        key = hub.handle(CreateApiKey(actor=actor, role=role, name=name, partner=partner))
    finally:
        hub.close()
    console.print(f"created a {role} key for tenant {tenant}")
    print(key["token"])


def _partner_exists(hub, tenant_id, code: str) -> bool:  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        query = select(Partner.id).where(Partner.tenant_id == tenant_id, Partner.code == code)
        return uow.connection.execute(query).first() is not None

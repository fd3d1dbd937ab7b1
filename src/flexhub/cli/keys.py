"""`flexhub keys`: API keys. The new key is printed alone on the last line, for scripts."""

import uuid

import typer
from rich.console import Console

from flexhub.bootstrap import Hub, bootstrap
from flexhub.cli.tenants import CLI_ACTOR, tenant_option
from flexhub.identity.commands import CreateApiKey, CreatePartner, CreateTenant
from flexhub.identity.queries import partner_exists, tenant_exists
from flexhub.identity.roles import ROLES
from flexhub.kernel.messages import Actor

app = typer.Typer(help="API keys.", no_args_is_help=True)


@app.command()
def create(
    role: str = typer.Option(..., help=f"one of {', '.join(ROLES)}"),
    tenant: str = typer.Option("default", help="the tenant's code; an unknown one is refused (see --new-tenant)"),
    new_tenant: bool = typer.Option(False, "--new-tenant", help="create the tenant first (refused if it exists)"),
    partner: str | None = typer.Option(None, help="the partner's code (partner keys); created when missing"),
    partner_kind: str = typer.Option("reseller", help="the kind of a partner created here"),
    name: str = typer.Option("cli", help="a name to recognise the key by"),
) -> None:
    """Create an API key; its token is the last line of the output."""
    console = Console(stderr=True)
    hub = bootstrap(combine=False)
    try:
        if new_tenant:  # asked for by name: a typo in a later command is refused, never a tenant of its own
            if _tenant_exists(hub, tenant):
                raise typer.BadParameter(f"a tenant {tenant} exists already", param_hint="--new-tenant")
            actor = Actor(tenant_id=hub.handle(CreateTenant(code=tenant, name=tenant)).id, role="admin",
                          name=CLI_ACTOR)
            console.print(f"created tenant {tenant}")
        else:
            actor = tenant_option(hub.uow, tenant)
        if partner and not _partner_exists(hub, actor.tenant_id, partner):
            hub.handle(CreatePartner(actor=actor, code=partner, kind=partner_kind))
            console.print(f"created partner {partner} ({partner_kind})")
        key = hub.handle(CreateApiKey(actor=actor, role=role, name=name, partner=partner))
    finally:
        hub.close()
    console.print(f"created a {role} key for tenant {tenant}")
    print(key.token)


def _tenant_exists(hub: Hub, code: str) -> bool:
    with hub.uow(write=False) as uow:
        return tenant_exists(uow.connection, code)


def _partner_exists(hub: Hub, tenant_id: uuid.UUID, code: str) -> bool:
    with hub.uow(write=False) as uow:
        return partner_exists(uow.connection, tenant_id, code)

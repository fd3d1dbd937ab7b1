"""The one tenant lookup every CLI command uses: a tenant's code → its admin, acting as `cli`; and a hub for a
command's work as that admin."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from flexhub.bootstrap import Hub, bootstrap
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity.errors import UnknownTenant
from flexhub.identity.queries import tenant_by_code
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor

CLI_ACTOR = "cli"  # the name the audit log shows for what the CLI did


def admin_actor(uow_factory: UnitOfWorkFactory, code: str) -> Actor:
    """The tenant's admin; an unknown code raises identity's UnknownTenant (its code printed, exit 1)."""
    with uow_factory(write=False) as uow:
        tenant = tenant_by_code(uow.connection, code)
    return Actor(tenant_id=tenant.id, role="admin", name=CLI_ACTOR)


def tenant_option(uow_factory: UnitOfWorkFactory, code: str) -> Actor:
    """`admin_actor` for a `--tenant` option: an unknown code is a usage error (exit 2), as Typer shows them."""
    try:
        return admin_actor(uow_factory, code)
    except UnknownTenant as error:
        raise typer.BadParameter(error.message, param_hint="--tenant") from error


@contextmanager
def as_tenant(code: str) -> Iterator[tuple[Hub, Actor]]:
    """A hub and the `--tenant` admin for a command's work; a refusal prints `code: message` and exits 1, and the
    hub is closed either way."""
    hub = bootstrap(combine=False)
    try:
        yield hub, tenant_option(hub.uow, code)
    except FlexhubError as error:
        typer.echo(f"{error.code}: {error}", err=True)
        raise typer.Exit(1) from error
    finally:
        hub.close()

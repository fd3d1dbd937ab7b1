"""`flexhub users`: people who sign in to the dashboard (the password from a prompt or stdin, never argv), and
signing one out of every browser."""

import sys

import typer
from rich.console import Console

from flexhub.bootstrap import bootstrap
from flexhub.cli.tenants import admin_actor
from flexhub.identity.commands import CreateUser, RevokeSessions
from flexhub.identity.handlers import normal_login
from flexhub.identity.queries import user_in_tenant
from flexhub.identity.roles import ROLES
from flexhub.kernel.errors import FlexhubError

app = typer.Typer(help="Dashboard users.", no_args_is_help=True)


@app.command()
def create(
    tenant: str = typer.Option(..., help="the tenant's code"),
    login: str = typer.Option(..., help="a login name or an e-mail address (unique across tenants)"),
    role: str = typer.Option(..., help=f"one of {', '.join(ROLES)}"),
    name: str | None = typer.Option(None, help="the name shown for the user"),
    partner: str | None = typer.Option(None, help="the partner's code (partner users)"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from stdin"),
) -> None:
    """Create a user; audited as done by `cli`."""
    console = Console(stderr=True)
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True, err=True)
    hub = bootstrap(combine=False)
    try:
        actor = admin_actor(hub.uow, tenant)
        created = hub.handle(CreateUser(actor=actor, login=login, role=role, password=password,
                                        display_name=name, partner=partner))
    except FlexhubError as error:
        console.print(f"[red]{error.code}[/red]: {error.message}")
        raise typer.Exit(1) from error
    finally:
        hub.close()
    console.print(f"created the {role} user {created.login} for tenant {tenant}")
    print(created.id)


@app.command("sign-out")
def sign_out(
    tenant: str = typer.Option(..., help="the tenant's code"),
    login: str = typer.Option(..., help="the user's login"),
) -> None:
    """Revoke every dashboard session of the user: each browser of theirs is signed out at its next page."""
    console = Console(stderr=True)
    hub = bootstrap(combine=False)
    try:
        actor = admin_actor(hub.uow, tenant)
        with hub.uow(write=False) as uow:
            user = user_in_tenant(uow.connection, actor.tenant_id, login=normal_login(login))
        revoked = hub.handle(RevokeSessions(actor=actor, user_id=str(user.id)))
    except FlexhubError as error:
        console.print(f"[red]{error.code}[/red]: {error.message}")
        raise typer.Exit(1) from error
    finally:
        hub.close()
    console.print(f"signed {revoked.login} out: {revoked.revoked} session(s) revoked")
    print(revoked.revoked)

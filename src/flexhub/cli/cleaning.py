"""`flexhub cleaning`: the tenant's order cleaning rules from a YAML file, and printed back."""

import json
from pathlib import Path

import typer

from flexhub.cleaning import SetCleaningRules
from flexhub.cleaning.reading import rules_from_yaml
from flexhub.cleaning.screening import stored_rules
from flexhub.cli.tenants import as_tenant

app = typer.Typer(help="Order cleaning rules (docs/cleaning.md).", no_args_is_help=True)
TenantOption = typer.Option("default", "--tenant", help="the tenant's code")


@app.command()
def load(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
         tenant: str = TenantOption) -> None:
    """Replace the tenant's rules with those of a YAML file (a `rules:` list); a wrong rule changes nothing."""
    with as_tenant(tenant) as (hub, actor):
        saved = hub.handle(SetCleaningRules(actor=actor, rules=rules_from_yaml(file.read_text(encoding="utf-8"))))
    typer.echo(f"{len(saved.rules)} rules: {', '.join(rule['name'] for rule in saved.rules) or 'none'}")


@app.command()
def show(tenant: str = TenantOption) -> None:
    """The tenant's rules as JSON, in the order they run."""
    with as_tenant(tenant) as (hub, actor), hub.uow(write=False) as uow:
        rules = stored_rules(uow.connection, actor.tenant_id)
    typer.echo(json.dumps([rule.as_dict() for rule in rules], ensure_ascii=False, indent=2))

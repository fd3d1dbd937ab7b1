"""`flexhub`: the entry point that gathers each command group.

A command's module is imported when that command runs, not before: `flexhub worker` does not pay for the API app,
the sandbox platforms and the benchmarks (1.7 of its 3.7 s of CPU at start-up, measured at load 7), in every worker a
deployment or a test starts. `flexhub --help` lists every command, and so imports them all.
"""

import importlib

import typer
from typer._click.core import (  # typer carries its own click; its types are what its groups take and hold
    Command,
    Context,
)
from typer.core import TyperGroup

# name: (module, attribute), the attribute a group's Typer app or a command's function, in the order `--help` lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "db": ("flexhub.cli.db", "app"),
    "keys": ("flexhub.cli.keys", "app"),
    "users": ("flexhub.cli.users", "app"),
    "inventory": ("flexhub.cli.inventory", "app"),
    "bench": ("flexhub.cli.bench", "app"),
    "channels": ("flexhub.cli.channels", "app"),
    "analytics": ("flexhub.cli.analytics", "app"),
    "sandbox": ("flexhub.cli.sandbox", "app"),
    "purchasing": ("flexhub.cli.purchasing", "app"),
    "jobs": ("flexhub.cli.jobs", "app"),
    "finance": ("flexhub.cli.finance", "app"),
    "erp": ("flexhub.cli.erp", "app"),
    "cleaning": ("flexhub.cli.cleaning", "app"),
    "events": ("flexhub.cli.events", "app"),
    "planning": ("flexhub.cli.planning", "app"),
    "serve": ("flexhub.cli.serve", "serve"),
    "demo": ("flexhub.cli.demo", "demo"),
    "worker": ("flexhub.cli.worker", "worker"),
}


class LazyCommands(TyperGroup):
    """The commands of COMMANDS, each imported the first time it is asked for."""

    def list_commands(self, ctx: Context) -> list[str]:
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, attribute = COMMANDS[cmd_name]
        found = getattr(importlib.import_module(module), attribute)
        if isinstance(found, typer.Typer):  # a group, even of one command (`flexhub db migrate`)
            command: Command = typer.main.get_group(found)
        else:  # a command: a Typer of its own makes it a click command
            one = typer.Typer()
            one.command(cmd_name)(found)
            command = typer.main.get_command(one)
        command.name = cmd_name
        return command


app = typer.Typer(name="flexhub", cls=LazyCommands, no_args_is_help=True)


@app.callback()
def flexhub() -> None:
    """One pool of goods behind every place a brand sells."""


if __name__ == "__main__":
    app()

"""Settings for the long-running processes (`serve`, `worker`), refused where several could not run safely."""

import difflib
import os
from collections.abc import Mapping

import typer
from pydantic import ValidationError

from flexhub.settings import Settings

PREFIX = "FLEXHUB_"
NOT_SETTINGS = ("FLEXHUB_TEST_", "FLEXHUB_BENCH_")  # the test suite's and the benchmarks' own variables
# Settings that were renamed: the old name's variable is ignored, so starting says what took its place.
RENAMED = {"SPIKE_HORIZON_S": "FLEXHUB_HOLD_BACK_QUANTILE (0 turns the hold-back off) and a channel's hold_back_s",
           "SPIKE_MIN_PER_S": "FLEXHUB_HOLD_BACK_QUANTILE, FLEXHUB_HOLD_BACK_WINDOW_S"}


def checked_settings() -> Settings:
    """The settings, or exit 2 saying which is wrong (a bad value, or no secret key off SQLite)."""
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in error.errors():
            name = f"FLEXHUB_{str(problem['loc'][0]).upper()}" if problem["loc"] else "settings"
            typer.echo(f"{name}: {problem['msg']}", err=True)
        raise typer.Exit(2) from error
    if settings.missing_secret_key():
        typer.echo("FLEXHUB_SECRET_KEY is required when the database is not SQLite: every API and worker process "
                   "must seal and open credentials with the same key. Make one with\n  python -c 'from "
                   "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'", err=True)
        raise typer.Exit(2)
    for warning in unknown_settings(os.environ):
        typer.echo(warning, err=True)
    return settings


def unknown_settings(environment: Mapping[str, str]) -> list[str]:
    """A line for each FLEXHUB_ variable that names no setting (a typo, or a setting since renamed): the settings
    ignore it, so the process would start as if it were not set."""
    known = {name.upper() for name in Settings.model_fields}
    lines = []
    for variable in sorted(environment):
        name = variable.removeprefix(PREFIX)
        if not variable.startswith(PREFIX) or variable.startswith(NOT_SETTINGS) or name in known:
            continue
        instead = RENAMED.get(name) or ", ".join(PREFIX + close for close in difflib.get_close_matches(name, known, 2))
        lines.append(f"{variable} is not a setting and is ignored" + (f"; see {instead}" if instead else ""))
    return lines

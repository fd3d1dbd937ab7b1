"""Settings for the long-running processes (`serve`, `worker`), refused where several could not run safely."""

import typer
from pydantic import ValidationError

from flexhub.settings import Settings


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
    return settings

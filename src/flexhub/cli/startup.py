"""Settings for the long-running processes (`serve`, `worker`), refused where several could not run safely."""

import typer

from flexhub.settings import Settings


def checked_settings() -> Settings:
    settings = Settings()
    if settings.missing_secret_key():
        typer.echo("FLEXHUB_SECRET_KEY is required when the database is not SQLite: every API and worker process "
                   "must seal and open credentials with the same key. Make one with\n  python -c 'from "
                   "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'", err=True)
        raise typer.Exit(2)
    return settings

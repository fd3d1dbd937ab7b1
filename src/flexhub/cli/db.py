"""`flexhub db`: schema migrations."""

import typer
from rich.console import Console

from flexhub.db import migrate
from flexhub.settings import Settings

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("heads", help="the revision to migrate to (heads: every branch)")) -> None:
    """Migrate the database named by FLEXHUB_DATABASE_URL (an SQLite file under ./var by default)."""
    url = Settings().database_url
    migrate.upgrade(url, revision)
    Console().print(f"[green]migrated[/green] {_safe(url)} to {revision}")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

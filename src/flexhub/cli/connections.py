"""At start-up, `serve` and `worker` compare the connections they may open with those the PostgreSQL server has
left, and say so in one line when they could take the last: past max_connections the server refuses every newcomer,
whichever process it belongs to (docs/connections.md)."""

from typing import Any

import structlog
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from flexhub.db.connections import ServerConnections, server_connections
from flexhub.db.engine import build_engine
from flexhub.settings import Settings

log = structlog.get_logger("flexhub.startup")
MAY_RUN_OUT = "database connections may run out"  # the warning's event, for a log collector to match on
READ_TIMEOUT_S = 5  # a server that does not answer is the readiness check's to report, not start-up's to wait on


def may_open(settings: Settings, *, hubs: int, listens: bool) -> int:
    """The most connections a command's processes hold at once: each hub's pool full (size + overflow; every thread
    of the process, requests, the writer's batches, jobs, imports and pushes, takes its connection from it), and the
    wake-up listener's own outside it where the import of channel messages runs (db.wakes)."""
    return hubs * (settings.db_pool_size + settings.db_max_overflow) + int(listens)


def shortage(server: ServerConnections, settings: Settings, *, hubs: int, listens: bool) -> dict[str, Any] | None:
    """The warning's figures when this command could take the server's last connections, else None."""
    wanted = may_open(settings, hubs=hubs, listens=listens)
    short = server.short_by(wanted)
    if not short:
        return None
    return {"max_connections": server.max_connections, "reserved": server.reserved, "in_use": server.in_use,
            "free": server.free, "may_open": wanted, "short_by": short, "pools": hubs,
            "pool_size": settings.db_pool_size, "max_overflow": settings.db_max_overflow,
            "change": "FLEXHUB_DB_POOL_SIZE, FLEXHUB_DB_MAX_OVERFLOW (each pool's), or PostgreSQL's max_connections; "
                      "see docs/connections.md"}


def check_connections(settings: Settings, *, hubs: int, listens: bool) -> None:
    """Read the server's figures with a connection of its own and warn when this command could run it out.
    Nothing on SQLite; a server that cannot be read is said in a line, and the process starts all the same."""
    url = make_url(settings.database_url)
    if url.get_backend_name() != "postgresql":
        return
    engine = build_engine(url.update_query_dict({"connect_timeout": str(READ_TIMEOUT_S)})
                          .render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    try:
        found = shortage(server_connections(engine), settings, hubs=hubs, listens=listens)
    except SQLAlchemyError as error:
        log.warning("database connections not checked", error=str(error).splitlines()[0])
        return
    finally:
        engine.dispose()
    if found:
        log.warning(MAY_RUN_OUT, **found)

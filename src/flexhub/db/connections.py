"""How many connections the PostgreSQL server leaves a process, against how many the process may open: a server
out of connections refuses every newcomer ("too many clients already"), whichever process it belongs to, so a
planning turn, a job or a reconciliation fails where its own process had room in its pool."""

from dataclasses import dataclass

from sqlalchemy import Engine, text

# Client connections only: the server's own processes (checkpointer, autovacuum…) have slots of their own. A role
# that may not see another role's sessions reads their backend_type as NULL; a client's datid and user still show.
READ = text("""
    SELECT current_setting('max_connections')::int,
           CASE WHEN rolsuper THEN 0
                ELSE current_setting('superuser_reserved_connections')::int
                     + coalesce(current_setting('reserved_connections', true)::int, 0) END,
           (SELECT count(*) FROM pg_stat_activity
             WHERE coalesce(backend_type = 'client backend', datid IS NOT NULL AND usesysid IS NOT NULL)
               AND pid <> pg_backend_pid())
      FROM pg_roles WHERE rolname = current_user""")


@dataclass(frozen=True, slots=True)
class ServerConnections:
    """The server's connections as this role sees them at one moment."""

    max_connections: int
    reserved: int  # kept for superusers (and PostgreSQL 16's reserved_connections): not this role's to take
    in_use: int  # client connections open now, besides the one that read these figures

    @property
    def free(self) -> int:
        return self.max_connections - self.reserved - self.in_use

    def short_by(self, may_open: int) -> int:
        """How many of `may_open` more connections the server would refuse now (0: room for them all)."""
        return max(0, may_open - self.free)


def server_connections(engine: Engine) -> ServerConnections:
    """The PostgreSQL server's figures, read with one of the engine's connections."""
    with engine.connect() as connection:
        max_connections, reserved, in_use = connection.execute(READ).one()
    return ServerConnections(max_connections=max_connections, reserved=reserved, in_use=in_use)

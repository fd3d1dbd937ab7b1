"""`serve` and `worker` read the PostgreSQL server's real figures at start-up (cli.connections): the server's own
max_connections, and the client connections open, as a role that may not see other roles' sessions counts them too.
A small max_connections cannot be planted per test (it needs a restart): the figures' arithmetic is a unit test."""

import json
import os
import subprocess
import sys

import pytest
import structlog
from cryptography.fernet import Fernet
from sqlalchemy import Engine, text

from flexhub.bench.children import stop
from flexhub.cli.connections import MAY_RUN_OUT, check_connections
from flexhub.db.connections import READ
from flexhub.settings import Settings

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def test_start_up_warns_with_the_servers_own_figures_when_the_pools_could_exceed_them(engine: Engine,
                                                                                     database_url: str) -> None:
    with engine.connect() as held, engine.connect() as other:  # two connections of the test's open throughout
        ours = {held.execute(text("SELECT pg_backend_pid()")).scalar_one(),
                other.execute(text("SELECT pg_backend_pid()")).scalar_one()}
        max_connections = int(held.execute(text("SHOW max_connections")).scalar_one())
        with structlog.testing.capture_logs() as logged:
            check_connections(Settings(database_url=database_url, db_pool_size=max_connections, db_max_overflow=5),
                              hubs=1, listens=True)
            check_connections(Settings(database_url=database_url, db_pool_size=1, db_max_overflow=0),
                              hubs=1, listens=False)
        open_now = held.execute(text("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'"))

    [warning] = logged
    assert warning["event"] == MAY_RUN_OUT and warning["log_level"] == "warning"
    assert warning["max_connections"] == max_connections and warning["may_open"] == max_connections + 6
    assert warning["reserved"] == 0  # the tests connect as postgres, a superuser: the reserved slots are its too
    assert len(ours) <= warning["in_use"] <= max_connections and ours <= set(open_now.scalars())
    assert warning["short_by"] == warning["may_open"] - (max_connections - warning["in_use"])


def test_a_role_that_cannot_see_other_sessions_counts_them_all_the_same(engine: Engine) -> None:
    with engine.connect() as watched, engine.connect() as connection, connection.begin() as transaction:
        watched.execute(text("SELECT 1"))
        # The server keeps one picture of its sessions for a transaction: counted as postgres, then read as the role.
        seen = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                                       "AND pid <> pg_backend_pid()")).scalar_one()
        reserved = int(connection.execute(text("SHOW superuser_reserved_connections")).scalar_one())
        connection.execute(text("CREATE ROLE flexhub_sees_only_its_own NOLOGIN"))  # gone with the rollback
        connection.execute(text("SET LOCAL ROLE flexhub_sees_only_its_own"))
        hidden = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE backend_type IS NULL "
                                         "AND datid IS NOT NULL")).scalar_one()
        max_connections, reserved_for_others, in_use = connection.execute(READ).one()
        transaction.rollback()

    assert hidden >= 1  # the watched connection, at least, is another role's session to it
    assert in_use == seen >= 1
    assert reserved_for_others == reserved and max_connections > reserved


def test_serve_and_worker_say_it_in_one_line_as_they_start(engine: Engine, database_url: str) -> None:
    with engine.connect() as connection:
        max_connections = int(connection.execute(text("SHOW max_connections")).scalar_one())
    env = {**os.environ, "FLEXHUB_DATABASE_URL": database_url, "FLEXHUB_SECRET_KEY": Fernet.generate_key().decode(),
           "FLEXHUB_DB_POOL_SIZE": str(max_connections), "FLEXHUB_LOG_FORMAT": "json"}
    said = {}
    for command, pools in ((["worker", "--role", "background"], 1), (["serve", "--port", "0", "--workers", "2"], 3)):
        started = subprocess.Popen([sys.executable, "-m", "flexhub.cli.main", *command], env=env, text=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            said[command[0]] = _warning(started)
        finally:
            stop(started)
        assert said[command[0]]["pools"] == pools
    assert said["worker"]["may_open"] == max_connections + 20  # its pool, no listener: the import is not its role
    assert said["serve"]["may_open"] == 3 * (max_connections + 20) + 1  # two API pools, the jobs' pool and listener
    assert said["worker"]["max_connections"] == said["serve"]["max_connections"] == max_connections


def _warning(process: subprocess.Popen[str]) -> dict:
    assert process.stderr is not None
    for line in process.stderr:  # the warning comes before anything is served, or the process ends
        if MAY_RUN_OUT in line:
            return json.loads(line)
    raise AssertionError(f"no warning; exit {process.wait()}")

"""What `serve` and `worker` may open against what the PostgreSQL server has left (cli.connections): the warning's
figures, computed from numbers."""

from flexhub.cli.connections import may_open, shortage
from flexhub.db.connections import ServerConnections
from flexhub.settings import Settings

DEFAULTS = Settings(database_url="postgresql://flexhub@db/flexhub")  # a pool of 20 + 20


def test_each_pool_may_fill_and_the_import_listens_on_one_connection_more() -> None:
    assert may_open(DEFAULTS, hubs=1, listens=True) == 41  # `worker`, or `serve` with its jobs
    assert may_open(DEFAULTS, hubs=1, listens=False) == 40  # `serve --no-jobs`, `worker --role background`
    assert may_open(DEFAULTS, hubs=4, listens=True) == 161  # `serve --workers 3`: three API pools, the jobs' one
    assert may_open(Settings(db_pool_size=5, db_max_overflow=0), hubs=2, listens=False) == 10


def test_a_worker_beside_two_busy_api_processes_is_told_it_could_run_the_server_out() -> None:
    server = ServerConnections(max_connections=100, reserved=3, in_use=80)  # two API processes' pools full

    found = shortage(server, DEFAULTS, hubs=1, listens=True)

    assert found is not None
    assert (found["free"], found["may_open"], found["short_by"]) == (17, 41, 24)
    assert (found["max_connections"], found["reserved"], found["in_use"]) == (100, 3, 80)
    assert (found["pools"], found["pool_size"], found["max_overflow"]) == (1, 20, 20)
    assert "FLEXHUB_DB_POOL_SIZE" in found["change"] and "max_connections" in found["change"]


def test_no_warning_while_every_connection_it_may_open_fits() -> None:
    exactly = ServerConnections(max_connections=100, reserved=3, in_use=56)  # 41 left: a worker's
    one_less = ServerConnections(max_connections=100, reserved=3, in_use=57)

    assert shortage(exactly, DEFAULTS, hubs=1, listens=True) is None
    assert shortage(exactly, DEFAULTS, hubs=1, listens=False) is None
    found = shortage(one_less, DEFAULTS, hubs=1, listens=True)
    assert found is not None and found["short_by"] == 1


def test_a_full_server_is_short_by_all_it_may_open() -> None:
    server = ServerConnections(max_connections=100, reserved=3, in_use=99)  # superusers in the reserved slots too

    assert server.free == -2 and server.short_by(40) == 42

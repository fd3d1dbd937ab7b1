"""The connection pool takes its size, overflow and wait from the settings: past size + overflow connections, a
caller waits FLEXHUB_DB_POOL_TIMEOUT_S, then is refused."""

import time

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeout

from flexhub.bootstrap import bootstrap
from flexhub.settings import Settings


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_pool_holds_size_plus_overflow_connections_then_waits_the_timeout(database_url: str) -> None:
    hub = bootstrap(Settings(database_url=database_url, db_pool_size=2, db_max_overflow=1, db_pool_timeout_s=0.5),
                    combine=False)
    held = []
    try:
        held = [hub.engine.connect() for _ in range(3)]
        began = time.monotonic()
        with pytest.raises(PoolTimeout):
            hub.engine.connect()
        waited = time.monotonic() - began
    finally:
        for connection in held:
            connection.close()
        hub.close()

    assert 0.4 <= waited < 3
    assert hub.engine.pool.size() == 2

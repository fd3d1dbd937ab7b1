"""Failed sign-ins per client address are counted in the database: another process (another engine) and a
restart (a new SignInLimits) see the same count; an address is held back after its failures until a token
refills, and another address is not."""

import time

from sqlalchemy import Engine

from flexhub.db.engine import build_engine
from flexhub.identity.sign_in_limits import SignInLimits


def test_failures_are_shared_by_processes_and_survive_a_restart(engine: Engine, database_url: str) -> None:
    first = SignInLimits(engine, max_failures=3, window_s=600)
    elsewhere = build_engine(database_url)  # another process's pool
    try:
        for _ in range(2):
            first.failed("10.0.0.7")
        assert SignInLimits(elsewhere, max_failures=3, window_s=600).blocked_for_s("10.0.0.7") == 0

        SignInLimits(elsewhere, max_failures=3, window_s=600).failed("10.0.0.7")

        assert 150 < first.blocked_for_s("10.0.0.7") <= 200  # one token of 3 per 600 s refills in 200 s
        assert SignInLimits(engine, max_failures=3, window_s=600).blocked_for_s("10.0.0.7") > 150  # restarted
        assert first.blocked_for_s("10.0.0.8") == 0  # another address is not held back
    finally:
        elsewhere.dispose()


def test_an_address_may_try_again_once_a_failure_has_refilled(engine: Engine) -> None:
    limits = SignInLimits(engine, max_failures=2, window_s=1.0)
    limits.failed("10.0.0.9")
    limits.failed("10.0.0.9")
    assert limits.blocked_for_s("10.0.0.9") > 0

    time.sleep(0.7)

    assert limits.blocked_for_s("10.0.0.9") == 0

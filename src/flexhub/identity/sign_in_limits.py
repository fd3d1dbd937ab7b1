"""Failed sign-ins counted per client address in the database, so every API process and a restart see the
same counts: MAX_FAILURES within WINDOW_S hold that address back (429). The account lock (identity/signin.py)
stops guessing one login; this stops one client spraying guesses over many logins, known or not.

Each address has a token bucket in the database (db/jobs/buckets.py, the one platforms' rate limits use):
MAX_FAILURES deep, refilled at MAX_FAILURES per WINDOW_S; a failure takes a token, and an address with less
than one token left waits until one has refilled. Success takes nothing.
"""

from sqlalchemy import Engine

from flexhub.db.jobs.buckets import SharedBucket

MAX_FAILURES = 20
WINDOW_S = 600.0


class SignInLimits:
    def __init__(self, engine: Engine, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S) -> None:
        self._engine, self._max, self._window = engine, max_failures, window_s

    def blocked_for_s(self, client: str) -> float:
        """Seconds until `client` may try again; 0 when it may now."""
        bucket = self._bucket(client)
        left = bucket.tokens()
        return 0.0 if left >= 1 else (1 - left) / bucket.rate

    def failed(self, client: str) -> None:
        self._bucket(client).take()

    def _bucket(self, client: str) -> SharedBucket:
        return SharedBucket(self._engine, f"sign-in:{client}"[:120], per_second=self._max / self._window,
                            burst=self._max)

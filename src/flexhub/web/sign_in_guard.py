"""Failed sign-ins counted per client address, in this process: past MAX_FAILURES within WINDOW, that address
is refused (429) until its oldest failure ages out. The account lock (identity/signin.py) stops guessing one
login; this stops one client spraying guesses over many logins, known or not."""

import threading
import time
from collections import defaultdict, deque

MAX_FAILURES = 20
WINDOW_S = 600.0


class SignInGuard:
    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 now=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._max, self._window, self._now = max_failures, window_s, now
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked_for_s(self, client: str) -> float:
        """Seconds until `client` may try again; 0 when it may now."""
        with self._lock:
            recent = self._recent(client)
            if not recent:
                del self._failures[client]  # nothing to remember: the map does not grow with every client
            if len(recent) < self._max:
                return 0.0
            return max(0.0, recent[0] + self._window - self._now())

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self._now())

    def _recent(self, client: str) -> deque[float]:
        recent = self._failures[client]
        while recent and recent[0] <= self._now() - self._window:
            recent.popleft()
        return recent

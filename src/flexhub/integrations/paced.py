"""Sending one outbound call on a rate limit: a token taken first, a 429 or 5xx tried again.

Each call first takes a token from the caller's bucket, waiting for it rather than skipping; a 429 or 5xx is
tried again after its `Retry-After`, else with exponential back-off (stamina). Stock reads, order polls and
order-detail fetches go this way. Never called inside a transaction.
"""

from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx2
import stamina

from flexhub.integrations.ratelimit import Bucket, wait_to_take
from flexhub.integrations.request import ApiRequest
from flexhub.kernel import clock

ATTEMPTS = 5
RETRYABLE = (429, 500, 502, 503, 504)  # a 501 or a 505 will not change by asking again
LONGEST_WAIT_S = 30.0  # a Retry-After beyond this is not waited out here: the read fails, the next run tries


class RetryableAnswer(Exception):
    """A 429 or a passing 5xx; `retry_after` is the platform's own wait when it named one."""

    def __init__(self, status: int, text: str, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}: {text[:200]}")
        self.status = status
        self.retry_after = retry_after


def send_paced(client: httpx2.Client, request: ApiRequest, bucket: Bucket, *,
               on_rate_limited: Callable[[], None] = lambda: None) -> Any:
    """One read call, its token taken first, a 429 or 5xx tried again (Retry-After, else back-off); the JSON.

    Raises RetryableAnswer, httpx2.HTTPError or ValueError once it gives up. Order-detail fetches
    (channels/fetched.py) and order polls go the same way, on the same bucket, as stock reads."""
    for attempt in stamina.retry_context(on=_wait_for, attempts=ATTEMPTS, wait_initial=0.5, wait_max=8.0):
        with attempt:
            wait_to_take(bucket)  # a read is worth waiting for
            response = client.request(request.method, request.url, headers=request.headers,
                                      params=request.params or None, json=request.json, content=request.content)
            if response.status_code == 429:
                on_rate_limited()
            if response.status_code in RETRYABLE:
                raise RetryableAnswer(response.status_code, response.text, retry_after(response))
            if response.status_code >= 300:
                raise ValueError(f"HTTP {response.status_code}: {response.text[:200]}")
            return response.json()
    raise AssertionError("unreachable: stamina re-raises the last failure")


def _wait_for(error: Exception) -> bool | float:
    """stamina's hook: the platform's Retry-After when it gave one, its own back-off for other 5xx/429."""
    if isinstance(error, RetryableAnswer):
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= LONGEST_WAIT_S else False
        return True
    return isinstance(error, httpx2.TransportError)


def retry_after(response: httpx2.Response) -> float | None:
    """Seconds the platform asks for: Retry-After as a number ("2", "2.0") or an HTTP date."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - clock.now()).total_seconds())
    except (TypeError, ValueError):
        return None

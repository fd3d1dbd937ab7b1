"""The hub's outbound HTTP client, over one TLS context per process.

Loading the system's certificate authorities takes about 0.15 s of CPU; every client the process makes (a hub's,
and a test's hub per test) shares the context loaded the first time, as httpx2 would build it (`verify=True`)."""

import functools
import ssl
from typing import Any

import httpx2

from flexhub.kernel import metrics


@functools.cache
def trusted() -> ssl.SSLContext:
    """The certificate authorities httpx2 trusts by default (SSL_CERT_FILE / SSL_CERT_DIR, else OpenSSL's)."""
    return httpx2.create_ssl_context()


def outbound_client(**options: Any) -> httpx2.Client:
    """A client for calls out to platforms, carriers, ERPs and payment gateways, each answer counted."""
    return httpx2.Client(verify=trusted(), timeout=10.0, event_hooks={"response": [metrics.count_response]},
                         **options)

"""Safe outbound targets: the hub posts only to public addresses unless an admin allowed a private one.

A URL someone configures (a webhook endpoint, later a channel's, carrier's or ERP's base URL) could point the
hub at itself or at the network behind it (server-side request forgery). Its host is resolved and every address
it resolves to must be global: loopback, private, link-local (cloud metadata at 169.254.169.254), multicast,
unspecified and reserved addresses are refused. It is checked when the target is configured and again before
each call, so a name that later resolves somewhere private is caught. An admin may allow private targets for
one configured target (`"allow_private": true`), as the sandbox and an on-premises ERP need.
"""

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from flexhub.kernel.errors import error_class

UnsafeTarget = error_class("integrations.unsafe_target", 422)
Resolver = Callable[[str], list[str]]


def resolve(host: str) -> list[str]:
    """Every address `host` resolves to now (empty when it does not resolve)."""
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError):
        return []


def check_target(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> None:
    """Refuse `url` (UnsafeTarget) unless it is http(s) to a host whose every address is public, or
    `allow_private`. A name that does not resolve yet passes: it is checked again before each call."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"{url!r} is not an http(s) URL with a host")
    if allow_private:
        return
    host = parts.hostname
    private = [address for address in _addresses(host, resolver or resolve) if not _is_public(address)]
    if private:
        raise UnsafeTarget(f"{host} resolves to a private or local address ({', '.join(private)}); "
                           "an admin may allow it with allow_private", host=host, addresses=private)


def _addresses(host: str, resolver: Resolver) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        return resolver(host)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)

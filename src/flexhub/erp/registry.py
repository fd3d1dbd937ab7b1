"""Connectors by kind, found through the `flexhub.erp` entry point group (plug-ins welcome)."""

from functools import cache

from flexhub.erp.connectors.base import ErpConnector
from flexhub.erp.errors import NoConnector
from flexhub.kernel import plugins

GROUP = "flexhub.erp"


@cache
def connectors() -> dict[str, ErpConnector]:
    return plugins.load(GROUP, "kind")


def connector_for(kind: str) -> ErpConnector:
    connector = connectors().get(kind)
    if connector is None:
        raise NoConnector(f"no connector installed for {kind!r}", kinds=sorted(connectors()))
    return connector

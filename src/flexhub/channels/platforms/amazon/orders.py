"""Reading Amazon orders: which shape a payload is, and the Orders API v2026-01-01 requests.

`parse` takes an Orders-2026 `Order` (a searchOrders page entry), a getOrder response
(`{"order": Order}`), or a v0 order merged with its items (`{"order": v0 Order, "items": [...]}`,
see order_v0). Polling uses searchOrders (GET /orders/2026-01-01/orders) with lastUpdatedAfter /
lastUpdatedBefore, paging by `pagination.nextToken` → `paginationToken`.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from flexhub.channels.adapter import ChannelOrder, OrdersPage
from flexhub.channels.platforms.amazon import order_2026, order_v0
from flexhub.channels.platforms.amazon.calls import call
from flexhub.integrations.request import ApiRequest
from flexhub.kernel.clock import as_utc

SEARCH = "/orders/2026-01-01/orders"
# Everything parse reads. BUYER and RECIPIENT need the PII roles (no Restricted Data Token in 2026-01-01).
INCLUDED = "BUYER,RECIPIENT,PROCEEDS,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES"
# lastUpdatedBefore must lie two minutes before the call, and orders surface about two minutes late:
# shifting the whole window back keeps consecutive windows contiguous and every page's parameters equal.
SETTLE = timedelta(minutes=2)


def parse(payload: Mapping[str, Any]) -> ChannelOrder:
    inner = payload.get("order")
    if inner is None:
        return order_2026.parse(payload)
    return order_v0.parse(payload) if "AmazonOrderId" in inner else order_2026.parse(inner)


def search_request(credentials: Mapping[str, str], since: datetime, until: datetime,
                   cursor: str | None) -> ApiRequest:
    # Paging repeats every parameter of the first request (a token lives 24 hours).
    params = {"marketplaceIds": credentials["marketplace_id"], "lastUpdatedAfter": _iso(since - SETTLE),
              "lastUpdatedBefore": _iso(until - SETTLE), "includedData": INCLUDED, "maxResultsPerPage": "100"}
    if cursor:
        params["paginationToken"] = cursor
    return call(credentials, "GET", SEARCH, params=params)


def page(payload: Mapping[str, Any]) -> OrdersPage:
    return OrdersPage(tuple(payload.get("orders", ())), (payload.get("pagination") or {}).get("nextToken"))


def order_request(credentials: Mapping[str, str], order_id: str) -> ApiRequest:
    """getOrder for one order an ORDER_CHANGE named (0.5 requests/s, against searchOrders' 0.0056)."""
    return call(credentials, "GET", f"{SEARCH}/{quote(order_id, safe='')}", params={"includedData": INCLUDED})


def _iso(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")

"""One stock push call's parts: how urgent a waiting figure is (urgent, fell, bulk), the item a listing belongs to
(what one call of an item's SKUs carries), the figure a row sends (with the compare a store needs), and a refusal read
from a 2xx answer's body."""

from collections.abc import Sequence
from typing import Any

import httpx2

from flexhub.channels import ANSWER_ERRORS, ChannelAdapter, StockPush, capable

# What oversells is a store showing units the hub no longer has, and selling them before the next figure arrives: soon
# where the figure is near zero (a store's next sale or two) or where the store is selling the SKU now.
NEAR_ZERO = 2  # units
URGENT, FELL, BULK = 0, 1, 2  # a waiting figure's urgency, the most urgent first


def urgency(row: Any) -> int:
    """URGENT: the figure is below what the store shows (what we pushed, less what it sold since) and near zero, or
    the store sold the listing since our last push (selling fast); a first figure near zero, whatever the store
    shows. FELL: below what the store shows, neither. BULK: the rest (a store showing no more than the figure:
    restocks, corrections upward, first figures, a fall the store's own sales already took off)."""
    if row.pushed_quantity is None:
        return URGENT if row.quantity <= NEAR_ZERO else BULK
    if row.quantity >= row.pushed_quantity - row.sold_since:
        return BULK
    return URGENT if row.quantity <= NEAR_ZERO or row.sold_since > 0 else FELL


def urgent(row: Any) -> bool:
    """Not bulk (urgency): what goes by single calls, not in a feed."""
    return urgency(row) != BULK


def urgent_first(rows: Sequence[Any]) -> list[Any]:
    """The rows by urgency, then oldest first (queries.URGENT_FIRST ranks them so without the store's sales)."""
    return sorted(rows, key=lambda row: (urgency(row), row.changed_at))


def item_of(row: Any) -> str:
    """The platform item a listing is a SKU of: its external_item_id before the last ':' ("<item>:<sku>", as Taobao,
    Douyin, Shopee, WooCommerce, WeChat and Kuaishou listings hold it); a listing without one is an item of its own."""
    item, colon, _ = (row.external_item_id or "").rpartition(":")
    return item if colon and item else f"listing:{row.listing_id}"


def by_item(rows: Sequence[Any]) -> list[Any]:
    """The rows in their order, each item's rows brought to its first (most urgent, then oldest) one. A platform that
    takes an item's SKUs in one call (Taobao's skus.quantity.update, Douyin's sku.syncStockBatch, Shopee's
    update_stock) then gets them in one call; in the rows' own order a batch held one or two SKUs of each of many
    items, a call each, and an item's other SKUs went in later calls (bench sync, 200 SKUs of 50 items: a round took
    twice its 50 calls)."""
    first: dict[str, int] = {}
    for n, row in enumerate(rows):
        first.setdefault(item_of(row), n)
    return sorted(rows, key=lambda row: first[item_of(row)])


def push_of(row: Any, forced: bool) -> StockPush:
    # What the store shows now, as far as we know: what we pushed, less what it sold since (a store
    # takes its own sales off at once). Compare-and-set (Shopify) and difference (Kuaishou) APIs need it.
    # Shopify refuses a stale one (CHANGE_FROM_QUANTITY_STALE): a sale there not imported yet, or one
    # whose decrement our last push overwrote. Either way the try after it (REFUSED_BACK_OFF_S later,
    # the sale imported by then) sets ours without the compare.
    shown = None if row.pushed_quantity is None else row.pushed_quantity - row.sold_since
    previous = None if forced else shown
    return StockPush(external_sku=row.external_sku, quantity=row.quantity, external_item_id=row.external_item_id,
                     location_id=row.external_location_id, previous_quantity=previous,
                     # A request repeated as it was keeps its key; one without the compare is another request.
                     idempotency_key=f"{row.listing_id}:{row.version}:{previous}")


def refusal(adapter: ChannelAdapter, response: httpx2.Response) -> str | None:
    """Platforms that answer 200 to a failed call (Douyin, Kuaishou, WeChat…) say so in the body."""
    answers = capable(adapter, ANSWER_ERRORS)
    if answers is None:
        return None
    try:
        return answers.response_error(response.json())
    except ValueError:
        return f"unreadable answer: {response.text[:200]}"

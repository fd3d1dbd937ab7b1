"""`bench sync`'s account of a SKU a store still shows differently from the hub at the end (`drifting_skus` names
them): what the hub decided and sent for it, and why each figure moved.

For a few such SKUs: its levels now; its last StockChanged events and ledger movements (seconds from the sale's start;
a unit coming back by a path that records no StockChanged shows as a movement without its event); each listing's push
row (the planner's last figure, its version and state, what the store confirmed and when); each store's last figures
received and its sales of the SKU since the last one.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from flexhub.bench.sync_figures import Sale
from flexhub.catalog.model import Sku
from flexhub.channels.model import Channel, Listing, StockPush
from flexhub.db.outbox import OutboxEvent
from flexhub.inventory.model import StockLevel, StockMovement
from flexhub.kernel.clock import as_utc
from flexhub.sandbox.stage import Stage

SHOWN = 8  # events and movements kept per SKU, the latest
PUSH_COLUMNS = (StockPush.quantity, StockPush.version, StockPush.state, StockPush.pushed_quantity,
                StockPush.pushed_version, StockPush.changed_at, StockPush.figure_at, StockPush.pushed_at,
                StockPush.next_attempt_at)


def drift_traces(stage: Stage, skus: Iterable[str], started: float, sales: list[Sale],
                 most: int = 3) -> dict[str, dict[str, Any]]:
    """For up to `most` of `skus`: {levels, changes, movements, pushes, stores}, times in seconds from `started`."""
    chosen = list(skus)[:most]
    if not chosen:
        return {}
    with stage.hub.uow(write=False) as uow:
        events = list(uow.connection.execute(select(OutboxEvent.occurred_at, OutboxEvent.body)
                                             .where(OutboxEvent.type == "StockChanged").order_by(OutboxEvent.seq)))
    return {sku: _trace(stage, sku, started, sales, events) for sku in chosen}


def _trace(stage: Stage, code: str, started: float, sales: list[Sale], events: list[Any]) -> dict[str, Any]:
    def at(moment: datetime | None) -> float | None:
        return None if moment is None else round(as_utc(moment).timestamp() - started, 3)

    tenant_id = stage.admin.tenant_id
    with stage.hub.uow(write=False) as uow:
        connection = uow.connection
        sku_id = connection.execute(select(Sku.id).where(Sku.tenant_id == tenant_id, Sku.code == code)).scalar_one()
        levels = [{"on_hand": row.on_hand, "reserved": row.reserved, "safety": row.safety} for row in
                  connection.execute(select(StockLevel.on_hand, StockLevel.reserved, StockLevel.safety)
                                     .where(StockLevel.sku_id == sku_id))]
        changes = [[at(occurred), level["available"], body.get("cause")] for occurred, body in events
                   for level in body["levels"] if level["sku_id"] == str(sku_id)]
        movements = [[at(row.created_at), row.kind, row.on_hand_delta, row.reserved_delta, row.reason]
                     for row in connection.execute(
                         select(StockMovement.created_at, StockMovement.kind, StockMovement.on_hand_delta,
                                StockMovement.reserved_delta, StockMovement.reason)
                         .where(StockMovement.sku_id == sku_id).order_by(StockMovement.created_at))]
        pushes = {push.code: {"quantity": push.quantity, "version": push.version, "state": push.state,
                              "pushed_quantity": push.pushed_quantity, "pushed_version": push.pushed_version,
                              "changed_at_s": at(push.changed_at), "figure_at_s": at(push.figure_at),
                              "pushed_at_s": at(push.pushed_at), "next_attempt_at_s": at(push.next_attempt_at)}
                  for push in connection.execute(
                      select(Channel.code, *PUSH_COLUMNS).join(Listing, Listing.id == StockPush.listing_id)
                      .join(Channel, Channel.id == Listing.channel_id).where(Listing.sku_id == sku_id))}
    sold: dict[str, list[float]] = defaultdict(list)
    for sale in sales:
        if sale.sku == code:
            sold[sale.store].append(sale.at)
    stores = {}
    for store in stage.market.stores.values():
        received = [(figure.at.timestamp(), figure.quantity) for figure in list(store.figures) if figure.sku == code]
        last = received[-1][0] if received else float("-inf")
        stores[store.code] = {"shows": store.listings[code].quantity,
                              "received": [[round(moment - started, 3), quantity]
                                           for moment, quantity in received[-3:]],
                              "sold_since_last": sum(moment >= last for moment in sold[store.code])}
    return {"levels": levels, "changes": changes[-SHOWN:], "movements": movements[-SHOWN:], "pushes": pushes,
            "stores": stores}

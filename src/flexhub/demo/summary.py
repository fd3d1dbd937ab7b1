"""The demo's closing figures, read back from the database rather than trusted from the run (the parcel counts
are the warehouse's own).

The gross margin per channel is profit's (`finance.profit`, basis shipped): it counts the orders whose goods have all
left, so it is read after the day has settled (`demo.settle`), and the orders not shipped yet are shown beside it,
outside it — a held or unshipped order's revenue never stands in a margin without its cost of goods.

"oversold" counts what can really go wrong: units a SKU shipped or holds beyond every unit that came in, by the
ledger, plus every unit by which the ledger and the stock levels disagree. (A level holding more than it has on
hand cannot be stored at all: the CHECK constraint on stock_levels refuses it.) Orders a store accepted that the
hub could not fill are counted apart, as "awaiting stock": sold on the platform first, not oversold by the hub.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from rich.table import Table
from sqlalchemy import Connection

from flexhub.bench.oversell import committed_beyond_supply, ledger_gap
from flexhub.bootstrap import Hub
from flexhub.channels.dashboard import sync_lag_ms
from flexhub.demo.planning import Planning
from flexhub.demo.warehouse import Warehouse
from flexhub.finance.profit import profit_view
from flexhub.finance.profit_queries import ALL_SHIPPED
from flexhub.fulfillment import queries as shipment_queries
from flexhub.inventory.queries import verify_ledger
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries
from flexhub.sandbox.buyers import Tally

ACCEPTED = ("reserved", "routed", "picking", "packed", "partially_shipped", "shipped", "delivered", "closed")


@dataclass(frozen=True)
class Margin:
    """A channel's (store's) gross margin in one currency over the orders it has shipped."""

    store: str
    currency: str
    revenue: int  # minor units
    gross_profit: int
    margin: float | None  # None without net revenue


@dataclass(frozen=True)
class Oversold:
    beyond_supply: int  # units shipped or held per SKU beyond the units that came in
    ledger_gap: int  # units by which the ledger and the stock levels disagree

    @property
    def units(self) -> int:
        return self.beyond_supply + self.ledger_gap


def oversold(hub: Hub, admin: Actor) -> Oversold:
    with hub.uow(write=False) as uow:
        return Oversold(committed_beyond_supply(uow.connection, admin.tenant_id),
                        ledger_gap(verify_ledger(uow.connection, admin.tenant_id)))


def order_statuses(hub: Hub, admin: Actor) -> list[tuple[str, str, int]]:
    """(channel, status, orders) for every channel and status the tenant's orders are in."""
    with hub.uow(write=False) as uow:
        return order_queries.statuses_per_channel(uow.connection, admin.tenant_id)


def order_figures(rows: list[tuple[str, str, int]]) -> dict[str, int]:
    """Orders received, accepted (stock reserved), awaiting stock (a store sold what the hub could not fill)."""
    statuses: Counter = Counter()
    for _, status, count in rows:
        statuses[status] += count
    return {"received": sum(statuses.values()), "accepted": sum(statuses[s] for s in ACCEPTED),
            "awaiting_stock": statuses["awaiting_stock"], "cancelled": statuses["cancelled"],
            "routed": statuses["routed"],
            "shipped": statuses["shipped"] + statuses["partially_shipped"] + statuses["delivered"]}


def margins(hub: Hub, admin: Actor) -> list[Margin]:
    """Gross margin per channel (the store's code) and currency of the orders shipped, as the finance page shows it."""
    with hub.uow(write=False) as uow:
        rows = profit_view(uow.connection, admin.tenant_id, "store")["rows"]
    return [Margin(row["key"], row["currency"], row["revenue"], row["gross_profit"], row["margin"]) for row in rows]


def tables(hub: Hub, admin: Actor, tally: Tally, seconds: float, store_room: Warehouse,
           plans: Planning) -> list[Table]:
    rows = order_statuses(hub, admin)
    with hub.uow(write=False) as uow:
        mix = _routing_mix(uow.connection, admin)
        lag = sync_lag_ms(uow.connection, admin.tenant_id)
    return [_per_channel(rows), _totals(hub, admin, rows, tally, seconds, lag, store_room),
            _margins(margins(hub, admin), rows), _routing(mix), _planning(plans)]


def _margins(found: list[Margin], rows: list[tuple[str, str, int]]) -> Table:
    """Each channel's margin over what it shipped, and how many of its orders are not shipped yet (not in it)."""
    waiting: Counter = Counter()
    for code, status, count in rows:
        if status not in ALL_SHIPPED and status != "cancelled":
            waiting[code] += count
    table = Table("channel", "currency", "revenue shipped", "gross profit", "gross margin", "orders not shipped yet",
                  title="Gross margin per channel (orders shipped)")
    for row in found:
        table.add_row(row.store, row.currency, f"{row.revenue / 100:.2f}", f"{row.gross_profit / 100:.2f}",
                      "–" if row.margin is None else f"{row.margin:.1%}", str(waiting.pop(row.store, 0)))
    for code, count in sorted(waiting.items()):
        table.add_row(code, "", "", "", "–", str(count))
    return table


def _routing_mix(connection: Connection, admin: Actor) -> Counter:
    """Orders per node they were routed to: parcels made there, or stock still held there for a routed order."""
    pairs = (shipment_queries.parcel_nodes(connection, admin.tenant_id)
             | order_queries.routed_holding_nodes(connection, admin.tenant_id))
    return Counter(node for node, _ in pairs)


def _per_channel(rows: list) -> Table:
    by_channel: dict[str, Counter] = defaultdict(Counter)
    for code, status, count in rows:
        by_channel[code][status] += count
    table = Table("channel", "orders", "accepted", "awaiting stock", "cancelled", title="Orders per channel")
    for code in sorted(by_channel):
        counts = order_figures([(code, status, n) for status, n in by_channel[code].items()])
        table.add_row(code, str(counts["received"]), str(counts["accepted"]), str(counts["awaiting_stock"]),
                      str(counts["cancelled"]))
    return table


def _totals(hub: Hub, admin: Actor, rows: list, tally: Tally, seconds: float, lag: dict,
            store_room: Warehouse) -> Table:
    orders = order_figures(rows)
    table = Table("", "", title="Summary", show_header=False)  # label and figure: no header to show
    for label, value in (
        ("orders placed in the stores", len(tally.placed)),
        ("rejected: refused by the stores (they showed too little)", tally.refused),
        ("orders received by flexhub", orders["received"]),
        ("accepted (stock reserved)", orders["accepted"]),
        ("kept, awaiting stock (sold on the platform first)", orders["awaiting_stock"]),
        ("oversold", oversold(hub, admin).units),
        ("sync lag p50 / p99 (ms)", f"{lag['p50']} / {lag['p99']}"),
        ("routed, waiting for the warehouse", orders["routed"]),
        ("shipped (orders)", orders["shipped"]),
        ("parcels handed to SF Express / collected in store", f"{store_room.shipped} / {store_room.collected}"),
        ("orders/s", round(orders["received"] / seconds, 1) if seconds else 0),
    ):
        table.add_row(label, str(value))
    return table


def _routing(mix: Counter) -> Table:
    table = Table("node", "routed orders", title="Routing mix")
    for node, count in mix.most_common():
        table.add_row(node, str(count))
    return table


def _planning(plans: Planning) -> Table:
    table = Table("", "", title="Planning", show_header=False)
    for label, value in (
        ("purchase and production orders", plans.orders),
        ("shipment notices (ASNs)", plans.asns),
        ("receiving discrepancies", plans.discrepancies),
        ("stock alerts raised / cleared", f"{plans.alerts.raised} / {plans.alerts.cleared}"),
        ("stock alerts open: stock-outs / excess",
         f"{plans.open_alerts.get('stockout', 0)} / {plans.open_alerts.get('excess', 0)}"),
    ):
        table.add_row(label, str(value))
    return table

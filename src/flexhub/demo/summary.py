"""The demo's closing figures, read back from the database rather than trusted from the run (the parcel counts
are the warehouse's own)."""

from collections import Counter, defaultdict

from rich.table import Table
from sqlalchemy import Connection, func, select

from flexhub.bootstrap import Hub
from flexhub.channels.dashboard import sync_lag_ms
from flexhub.channels.model import Channel
from flexhub.demo.planning import Planning
from flexhub.demo.warehouse import Warehouse
from flexhub.fulfillment.model import Shipment
from flexhub.inventory.model import Location, Reservation, StockLevel
from flexhub.inventory.queries import verify_ledger
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order
from flexhub.sandbox.buyers import Tally

ACCEPTED = ("reserved", "routed", "picking", "packed", "partially_shipped", "shipped", "delivered", "closed")


def oversold_units(hub: Hub, admin: Actor) -> int:
    """Units reserved past what is on hand, plus any level the ledger does not explain."""
    with hub.uow(write=False) as uow:
        over = uow.connection.execute(
            select(func.coalesce(func.sum(StockLevel.reserved - StockLevel.on_hand), 0)).where(
                StockLevel.tenant_id == admin.tenant_id, StockLevel.reserved > StockLevel.on_hand)
        ).scalar()
        drift = verify_ledger(uow.connection, admin.tenant_id)
    return int(over) + len(drift)


def tables(hub: Hub, admin: Actor, tally: Tally, seconds: float, store_room: Warehouse,
           plans: Planning) -> list[Table]:
    with hub.uow(write=False) as uow:
        rows = uow.connection.execute(
            select(Channel.code, Order.status, func.count()).join(Channel, Channel.id == Order.channel_id)
            .where(Order.tenant_id == admin.tenant_id).group_by(Channel.code, Order.status)).all()
        mix = _routing_mix(uow.connection, admin)
        lag = sync_lag_ms(uow.connection, admin.tenant_id)
    return [_per_channel(rows), _totals(hub, admin, rows, tally, seconds, lag, store_room), _routing(mix),
            _planning(plans)]


def _routing_mix(connection: Connection, admin: Actor) -> Counter:
    """Orders per node they were routed to: parcels made there, or stock still held there for a routed order."""
    parcels = select(Location.code, Shipment.order_id).join(Location, Location.id == Shipment.location_id).where(
        Shipment.tenant_id == admin.tenant_id, Shipment.state != "cancelled")
    held = (select(Location.code, Reservation.order_id).join(Location, Location.id == Reservation.location_id)
            .join(Order, Order.id == Reservation.order_id)
            .where(Order.tenant_id == admin.tenant_id, Order.status == "routed", Reservation.state == "active"))
    pairs = set(connection.execute(parcels).all()) | set(connection.execute(held).all())
    return Counter(node for node, _ in pairs)


def _per_channel(rows: list) -> Table:
    by_channel: dict[str, Counter] = defaultdict(Counter)
    for code, status, count in rows:
        by_channel[code][status] += count
    table = Table("channel", "orders", "accepted", "awaiting stock", "cancelled", title="Orders per channel")
    for code in sorted(by_channel):
        counts = by_channel[code]
        table.add_row(code, str(sum(counts.values())), str(sum(counts[s] for s in ACCEPTED)),
                      str(counts["awaiting_stock"]), str(counts["cancelled"]))
    return table


def _totals(hub: Hub, admin: Actor, rows: list, tally: Tally, seconds: float, lag: dict,
            store_room: Warehouse) -> Table:
    statuses = Counter()
    for _, status, count in rows:
        statuses[status] += count
    received = sum(statuses.values())
    table = Table("", "", title="Summary")
    for label, value in (
        ("orders placed in the stores", len(tally.placed)),
        ("rejected: refused by the stores (they showed too little)", tally.refused),
        ("orders received by flexhub", received),
        ("accepted (stock reserved)", sum(statuses[s] for s in ACCEPTED)),
        ("kept, awaiting stock (sold on the platform first)", statuses["awaiting_stock"]),
        ("oversold", oversold_units(hub, admin)),
        ("sync lag p50 / p99 (ms)", f"{lag['p50']} / {lag['p99']}"),
        ("routed, waiting for the warehouse", statuses["routed"]),
        ("shipped (orders)", statuses["shipped"] + statuses["partially_shipped"] + statuses["delivered"]),
        ("parcels handed to SF Express / collected in store", f"{store_room.shipped} / {store_room.collected}"),
        ("orders/s", round(received / seconds, 1) if seconds else 0),
    ):
        table.add_row(label, str(value))
    return table


def _routing(mix: Counter) -> Table:
    table = Table("node", "routed orders", title="Routing mix")
    for node, count in mix.most_common():
        table.add_row(node, str(count))
    return table


def _planning(plans: Planning) -> Table:
    table = Table("", "", title="Planning")
    for label, value in (
        ("purchase and production orders", plans.orders),
        ("shipment notices (ASNs)", plans.asns),
        ("receiving discrepancies", plans.discrepancies),
        ("stock alerts raised / cleared", f"{plans.alerts.get('raised', 0)} / {plans.alerts.get('cleared', 0)}"),
    ):
        table.add_row(label, str(value))
    return table

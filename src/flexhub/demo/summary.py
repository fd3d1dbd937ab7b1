"""The demo's closing figures, read back from the database rather than trusted from the run."""

from rich.table import Table
from sqlalchemy import func, select

from flexhub.bootstrap import Hub
from flexhub.catalog.model import Sku
from flexhub.demo.brand import HOT_SKU
from flexhub.demo.flash_sale import SaleResult
from flexhub.inventory.model import StockLevel
from flexhub.inventory.queries import verify_ledger
from flexhub.kernel.messages import Actor


def oversold_units(hub: Hub, admin: Actor) -> int:
    """Units reserved past what is on hand, plus any level the ledger does not explain."""
    with hub.uow(write=False) as uow:
        over = uow.connection.execute(
            select(func.coalesce(func.sum(StockLevel.reserved - StockLevel.on_hand), 0)).where(
                StockLevel.tenant_id == admin.tenant_id, StockLevel.reserved > StockLevel.on_hand)
        ).scalar()
        drift = verify_ledger(uow.connection, admin.tenant_id)
    return int(over) + len(drift)


def hot_sku_level(hub: Hub, admin: Actor) -> tuple[int, int]:
    with hub.uow(write=False) as uow:
        row = uow.connection.execute(
            select(func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved))
            .join(Sku, Sku.id == StockLevel.sku_id)
            .where(StockLevel.tenant_id == admin.tenant_id, Sku.code == HOT_SKU)
        ).one()
    return int(row[0] or 0), int(row[1] or 0)


def table(hub: Hub, admin: Actor, sale: SaleResult) -> Table:
    on_hand, reserved = hot_sku_level(hub, admin)
    rows = [
        ("orders placed", sale.orders),
        ("accepted (stock reserved)", sale.outcomes["reserved"]),
        ("kept, awaiting stock (sold on the platform)", sale.outcomes["awaiting_stock"]),
        ("rejected for stock (web shop, sold live)", sale.outcomes["rejected"]),
        ("other errors", sale.orders - sum(sale.outcomes[k] for k in ("reserved", "awaiting_stock", "rejected"))),
        ("oversold", oversold_units(hub, admin)),
        ("orders/s", round(sale.orders / sale.seconds) if sale.seconds else 0),
        (f"{HOT_SKU} on hand / reserved", f"{on_hand} / {reserved}"),
    ]
    out = Table("flash sale", "", title="Summary")
    for label, value in rows:
        out.add_row(label, str(value))
    return out

"""The resellers on their own. reseller-sg connects its Shopee store in the sandbox with its own key, as its own
system would: the store (selling from its consigned pool first, then the brand's shared one), then each listing
mapped to the brand's SKU; its buyers then order there through the day. After the day reseller-my, whose small
credit limit held some of its orders, pays what it owes, and the orders its credit then covers are released. The
summary's table shows each reseller's orders, fees and credit as its statement has them."""

from dataclasses import dataclass

import httpx2
from rich.table import Table

from flexhub.bootstrap import Hub
from flexhub.identity import partners_of_kind
from flexhub.inventory.rules import consigned_pool
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries
from flexhub.resellers import RecordPayment
from flexhub.resellers import queries as reseller_queries
from flexhub.sandbox.store import Store

HELD = ("on_hold",)
TAKEN = ("reserved", "awaiting_stock", "routed", "picking", "packed", "partially_shipped", "shipped", "delivered",
         "closed")


def connect_own_store(hub_url: str, key: str, partner: str, code: str, name: str, store: Store) -> int:
    """The reseller's key connects its store and maps every listing; how many listings it mapped."""
    base = f"/api/v1/resellers/{partner}/stores"
    with httpx2.Client(base_url=hub_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        _ok(client.post(base, json={"code": code, "platform": store.platform.name, "name": name,
                                    "pools": [consigned_pool(partner), "spot"],
                                    "credentials": dict(store.credentials)}))
        for listing in store.listings.values():
            _ok(client.post(f"{base}/{code}/listings", json={
                "external_sku": listing.sku, "sku": listing.sku, "external_item_id": listing.item_id,
                "external_location_id": listing.location_id}))
    return len(store.listings)


def _ok(answer: httpx2.Response) -> None:
    if answer.status_code != 201:
        raise RuntimeError(f"the reseller's request was refused: {answer.status_code} {answer.text[:300]}")


@dataclass(frozen=True)
class Paid:
    partner: str
    amount: int
    currency: str
    released: int


def pay_what_is_owed(hub: Hub, admin: Actor, partner: str) -> Paid:
    """The reseller pays its balance (the brand's finance records it); its held orders now covered are released."""
    with hub.uow(write=False) as uow:
        account = reseller_queries.account(uow.connection, admin.tenant_id,
                                           reseller_queries.reseller(uow.connection, admin, partner))
    amount = max(account["balance"], 1)
    paid = hub.handle(RecordPayment(actor=admin, partner=partner, amount=amount, reference=f"DEMO-{partner}-1"))
    return Paid(partner, amount, account["terms"]["currency"], len(paid.released))


def table(hub: Hub, admin: Actor) -> Table:
    """Each reseller (a column) with its orders taken and held, and from its statement this month the goods and
    代发费 charged, what it paid, its balance and the credit left, in its terms' currency."""
    columns: dict[str, list[str]] = {}
    with hub.uow(write=False) as uow:
        for partner in partners_of_kind(uow.connection, admin.tenant_id, "reseller"):
            statuses = order_queries.status_counts(uow.connection, admin.tenant_id, partner.id)
            account = reseller_queries.account(uow.connection, admin.tenant_id, partner)
            totals = reseller_queries.statement(uow.connection, admin.tenant_id, partner, None)["totals"]
            currency = account["terms"]["currency"] if account["terms"] else ""
            left = account["credit_left"]
            columns[partner.code] = [
                f"{sum(statuses.get(s, 0) for s in TAKEN)} / {statuses.get('on_hold', 0)}",
                *(_money(amount, currency) for amount in (totals["goods"], totals["dropship_fee"],
                                                          -totals["payment"], account["balance"])),
                "–" if left is None else _money(left, currency)]
    shown = Table("", *columns, title="Resellers (their statements this month)")
    for n, label in enumerate(("orders taken / held", "goods charged", "代发费 charged", "paid", "balance owed",
                               "credit left")):
        shown.add_row(label, *(figures[n] for figures in columns.values()))
    return shown


def _money(minor: int, currency: str) -> str:
    return f"{minor / 100:,.2f} {currency}".strip()

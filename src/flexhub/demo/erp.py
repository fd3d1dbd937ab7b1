"""The brand's ERP in the demo: a sandbox Odoo served on loopback beside the marketplaces, holding the brand's
products, a small chart of accounts and a stock location per node, connected to the hub as a real one would be
(its local address allowed by the admin). The trading day's orders, shipments and a few returns, the stock moves
and the settlement statement's journal reach it through the job queue; the summary and the /erp page show it."""

import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from rich.table import Table

from flexhub import catalog
from flexhub.bootstrap import Hub
from flexhub.demo.brand import NODES, sku_codes
from flexhub.erp import CreateConnection, MapRecord, SyncConnection
from flexhub.erp import queries as erp_queries
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries
from flexhub.returns import commands as ret
from flexhub.sandbox.erp.app import create_app as erp_app
from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.sandbox.server import served

CODE = "odoo"
BUNDLES = ("SET-TEE-CAP-BLACK", "SET-HOODIE-PANTS-NAVY")
ACCOUNTS = {  # role: (code, name) in a Chinese chart of accounts
    "clearing": ("1012", "其他货币资金-平台余额"), "receivable": ("1122", "应收账款"), "bank": ("1002", "银行存款"),
    "fees": ("6601", "销售费用-平台手续费"), "adjustments": ("6711", "营业外支出"),
}
CURRENCIES = ("SGD", "MYR")
COSTS = {"TEE": 28.0, "HOODIE": 85.0, "JACKET": 120.0, "PANTS": 70.0, "SKIRT": 55.0, "DRESS": 160.0, "CAP": 18.0,
         "BAG": 22.0, "MUG": 15.0, "SET": 46.0}  # standard cost per product line, in yuan
RETURNED = 3  # shipped orders a buyer sends one unit back from
RETURNS_NODE = "WH-HZ-CENTRAL"
STALLED_S = 20.0  # the wait for the ERP ends when its backlog stops shrinking this long (a document waits for a map)


@dataclass(frozen=True)
class DemoErp:
    odoo: OdooSandbox
    url: str


def connect(hub: Hub, admin: Actor, stack: ExitStack) -> DemoErp:
    """Serve the sandbox Odoo and connect the hub to it, its nodes and accounts mapped, and read its product master
    once now (the ERP owns the standard costs: they come in before the day, not in the middle of it)."""
    odoo = OdooSandbox()
    with hub.uow(write=False) as uow:
        skus = catalog.skus_by_code(uow.connection, admin.tenant_id, [*sku_codes(), *BUNDLES])
    for code, sku in sorted(skus.items()):  # the brand's own names: the ERP and the hub agree on them
        odoo.add("product.product", {"name": sku.name, "default_code": code, "barcode": sku.barcode or False,
                                     "standard_price": COSTS.get(code.split("-")[0], 30.0)})
    locations = {node: odoo.add("stock.location", {"name": f"{node}/Stock", "usage": "internal"})
                 for node, *_ in NODES}
    for code, name in ACCOUNTS.values():
        odoo.add("account.account", {"code": code, "name": name})
    for currency in CURRENCIES:  # beside the sandbox's CNY and USD: the resellers' Shopee shops settle in these
        odoo.add("res.currency", {"name": currency})
    url = stack.enter_context(served(erp_app({"odoo": odoo.handle}))) + "/odoo"
    login, (_, key) = next(iter(odoo.users.items()))
    hub.handle(CreateConnection(actor=admin, code=CODE, kind="odoo", url=url, allow_private=True,
                                credentials={"database": odoo.database, "login": login, "api_key": key}))
    for node, ref in locations.items():
        hub.handle(MapRecord(actor=admin, code=CODE, kind="location", hub_code=node, erp_ref=str(ref)))
    for role, (code, _) in ACCOUNTS.items():
        hub.handle(MapRecord(actor=admin, code=CODE, kind="account", hub_code=role, erp_ref=code))
    hub.handle(SyncConnection(actor=admin, code=CODE))
    return DemoErp(odoo, url)


def send_back(hub: Hub, admin: Actor, count: int = RETURNED) -> list[str]:
    """A few shipped orders come back, one unit each, received and inspected resellable: credit notes for the
    ERP. The returns (RMA ids) made."""
    with hub.uow(write=False) as uow:
        shipped = order_queries.list_orders(uow.connection, admin.tenant_id, statuses=["shipped", "delivered"],
                                            limit=count)
        lines = {o["id"]: order_queries.order_lines(uow.connection, admin.tenant_id, uuid.UUID(str(o["id"])))
                 for o in shipped}
    made = []
    for order in shipped:
        sku = lines[order["id"]][0].sku_code
        rma = hub.handle(ret.CreateReturn(actor=admin, order_id=str(order["id"]), lines={sku: 1},
                                          reason="did not fit"))
        hub.handle(ret.ReceiveReturn(actor=admin, return_id=str(rma.id), node=RETURNS_NODE))
        hub.handle(ret.InspectReturn(actor=admin, return_id=str(rma.id), grades={sku: {"resellable": 1}}))
        made.append(str(rma.id))
    return made


def wait(hub: Hub, admin: Actor, *, timeout_s: float, seen: Callable[[int], None] = lambda _: None) -> int:
    """Until the documents for the ERP have gone (or stop going, or time is up): what still waits."""
    started = progressed = time.monotonic()
    least = left = int(figures(hub, admin)["backlog"])
    while left and time.monotonic() - started < timeout_s and time.monotonic() - progressed < STALLED_S:
        seen(left)
        time.sleep(0.5)
        left = int(figures(hub, admin)["backlog"])
        if left < least:
            least, progressed = left, time.monotonic()
    return left


def table(hub: Hub, admin: Actor, erp: DemoErp) -> Table:
    """The ERP's figures: the hub's side (sent, waiting, parked, unmapped, a failing read) and what the ERP holds."""
    status = figures(hub, admin)
    held = {model: len(erp.odoo.records(model)) for model in ("sale.order", "stock.picking", "account.move")}
    refunds = sum(1 for m in erp.odoo.records("account.move") if m.get("move_type") == "out_refund")
    result = Table("", "", title=f"ERP ({CODE}, the sandbox Odoo at {erp.url})", show_header=False)
    for label, value in (
        ("documents sent / waiting (backlog) / parked", f"{status['sent']} / {status['backlog']} / {status['dead']}"),
        ("unmapped / conflicts", f"{status['unmapped']} / {status['conflicts']}"),
        ("reading from the ERP", status["reading"]["error"] or "OK"),
        ("in Odoo: sales orders / deliveries", f"{held['sale.order']} / {held['stock.picking']}"),
        ("in Odoo: credit notes / journal entries", f"{refunds} / {held['account.move'] - refunds}"),
    ):
        result.add_row(label, str(value))
    return result


def figures(hub: Hub, admin: Actor) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return erp_queries.status(uow.connection, admin.tenant_id, CODE, limit=0)

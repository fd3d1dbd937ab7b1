"""Two tenants for the isolation walker, each with the brand's own store, two resellers and two suppliers.

Every row an owner holds carries its owner's token (`kappa-res2` in a channel code, an order number, a listing, a
waybill, a webhook URL, a supplier's reference) and a six-digit figure of its own (its orders' unit price, its
supply cost, its fee per order), so an answer showing another owner's row is found by its text. Rows the tenant
shares with every role of it (its SKUs, its nodes) carry only the tenant's name: `KAPPA-TEE`, `KAPPA-WH`."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select

from flexhub import batches, filters, inventory
from flexhub.bootstrap import Hub, bootstrap
from flexhub.channels import inbound
from flexhub.channels import repository as channel_repository
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import ChannelException, Listing, Reconciliation, StockDrift, StockPush
from flexhub.db import jobs
from flexhub.db.jobs import queue
from flexhub.erp.commands import CreateConnection
from flexhub.erp.model import ErpDocument
from flexhub.finance.commands import ImportStatement
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.fulfillment import commands as ful
from flexhub.identity.commands import CreateApiKey
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.members.commands import AdjustPoints, CreateCoupon, IssueCoupon, LinkIdentity, RegisterMember
from flexhub.notifications.commands import CreateEndpoint
from flexhub.notifications.model import WebhookDelivery
from flexhub.planning.commands import CreateEvent
from flexhub.returns.commands import CreateReturn, SetReturnsCentres
from flexhub.routing.commands import RouteOrder
from flexhub.settings import Settings
from flexhub.stores import repository as store_repository
from flexhub.testing import builders
from flexhub.testing import finance as finance_builders
from flexhub.testing import purchasing as purchasing_builders
from flexhub.testing.clocks import movable_clock
from flexhub.testing.seeded import seeded

TENANTS = ("kappa", "lambda")
STAFF = ("admin", "operator", "viewer")
RESELLERS = ("res1", "res2")
SUPPLIERS = ("sup1", "sup2")
SELLERS = ("brand", *RESELLERS)  # who has a store (a channel) and its orders
OWNERS = (*SELLERS, *SUPPLIERS)


@dataclass
class Owner:
    """What one owner (the brand, a reseller, a supplier) holds: its token, its figure, its rows by kind."""

    token: str  # "kappa-res2": in every code, number and text of its rows
    figure: int  # six digits: its orders' unit price, its supply cost, its fee per order
    rows: dict[str, str] = field(default_factory=dict)  # kind → a value naming its row (id, code, number)
    ids: set[str] = field(default_factory=set)  # ids of every row it holds

    def add(self, kind: str, value: Any) -> str:
        self.rows.setdefault(kind, str(value))
        self.ids.add(str(value))
        return str(value)

    @property
    def texts(self) -> set[str]:
        """Text that shows this owner's rows: its token, ids and figure (as minor units and as money)."""
        return {self.token, *self.ids, str(self.figure), f"{self.figure / 100:.2f}"}


@dataclass
class SeededTenant:
    code: str
    admin: Actor
    owners: dict[str, Owner]
    shared: dict[str, str]  # kind → a value every role of the tenant may name (a SKU, a node)
    tokens: dict[str, str] = field(default_factory=dict)  # walker role → API key


@dataclass
class World:
    tenants: dict[str, SeededTenant]


def seeded_world(database_url: str) -> World:
    """The world on `database_url` (empty and migrated), seeded on a clock that stands still once per process and
    backend, and put back for each later test (flexhub.testing.seeded)."""
    return seeded(database_url, "scoped_world", _seed_on)


def _seed_on(database_url: str) -> World:
    hub = bootstrap(Settings(database_url=database_url))
    try:
        with movable_clock():
            return seed_world(hub)
    finally:
        hub.close()


def seed_world(hub: Hub) -> World:
    world = World({code: seed_tenant(hub, code, n) for n, code in enumerate(TENANTS, start=1)})
    hub.relay.run_once()  # the events out: webhook deliveries queued to each owner's endpoint
    for tenant in world.tenants.values():
        tenant.owners["brand"].add("job", _dead_job(hub, tenant))
        for owner in tenant.owners.values():
            with hub.uow(write=False) as uow:
                for delivery_id in uow.connection.execute(select(WebhookDelivery.id).where(
                        WebhookDelivery.endpoint_id == uuid.UUID(owner.rows["endpoint"]))).scalars():
                    owner.add("delivery", delivery_id)
        with hub.uow(write=False) as uow:
            for document_id in uow.connection.execute(select(ErpDocument.id).where(
                    ErpDocument.tenant_id == tenant.admin.tenant_id)).scalars():
                tenant.owners["brand"].add("erp_document", document_id)
    return world


def seed_tenant(hub: Hub, code: str, number: int) -> SeededTenant:
    admin = builders.create_tenant(hub, code=code, name=f"{code.title()} Brand")
    owners = {name: Owner(token=f"{code}-{name}", figure=600000 + number * 10000 + i * 1000 + 117)
              for i, name in enumerate(OWNERS, start=1)}
    tenant = SeededTenant(code, admin, owners, shared={"sku": f"{code.upper()}-TEE", "location": f"{code.upper()}-WH",
                                                   "second_location": f"{code.upper()}-STORE",
                                                   "unstocked_sku": f"{code.upper()}-CAP"})
    partners = {name: builders.create_partner(hub, admin, owners[name].token,
                                              "supplier" if name in SUPPLIERS else "reseller")
                for name in (*RESELLERS, *SUPPLIERS)}
    for name, actor in partners.items():
        owners[name].ids.add(str(actor.partner_id))
        owners[name].rows["partner"] = owners[name].token
    for name in SUPPLIERS:
        owners[name].rows["supplier"] = owners[name].token
    _keys(hub, tenant, partners)
    user = builders.create_user(hub, admin, login=f"{owners['brand'].token}@example.com", role="viewer")
    owners["brand"].add("user", user["id"])
    for name, actor in {"brand": admin, **partners}.items():  # before the rows whose events they are sent
        endpoint = hub.handle(CreateEndpoint(actor=actor, url=f"https://{owners[name].token}.invalid/hooks"))
        owners[name].add("endpoint", endpoint["id"])
        saved = hub.handle(filters.SaveFilter(actor=actor, list_name="orders", name=f"{owners[name].token} orders",
                                              query={"q": owners[name].token}, shared=True))
        owners[name].add("saved_filter", saved.id)
    _erp(hub, tenant, owners["brand"])  # before the orders: each becomes a document for it
    _stock(hub, tenant)
    for name in SELLERS:
        _store(hub, tenant, owners[name], partner=name if name in RESELLERS else None)
    for name in SELLERS:  # a batch over its own order, started by its own key (worked or not, it is the owner's)
        actor = partners.get(name, admin)
        owners[name].add("order_batch", hub.handle(batches.StartOrderBatch(
            actor=actor, action="hold", order_ids=(owners[name].rows["order"],))).id)
    _member(hub, tenant, owners["brand"])
    _store_sale(hub, tenant, owners["brand"])
    _exception(hub, tenant, owners["res2"])
    _statement(hub, tenant, owners["brand"])
    _event(hub, tenant, owners["brand"])
    for name in SUPPLIERS:
        _supply(hub, tenant, owners[name], partners[name])
    hub.handle(SetReturnsCentres(actor=admin, centres={"*": tenant.shared["location"]}))
    tenant.shared["transfer"] = builders.transfer(hub, admin, tenant.shared["location"],
                                                  tenant.shared["second_location"], {tenant.shared["sku"]: 2})
    return tenant


def _event(hub: Hub, tenant: SeededTenant, owner: Owner) -> None:
    """A campaign on the brand's calendar, for the planning routes that name one."""
    today = clock.now().date()
    created = hub.handle(CreateEvent(actor=tenant.admin, name=f"{owner.token} campaign", kind="campaign",
                                     starts_on=today, ends_on=today + timedelta(days=2),
                                     skus=[tenant.shared["sku"]], expected_uplift=1.5))
    owner.add("planning_event", created.id)


def more_business(hub: Hub, world: World, owners: list[tuple[str, str]]) -> None:
    """More of these (tenant, owner)s' business, touching no pool anyone else sells from: an order of each seller's
    waiting for a SKU nobody holds, stock received into its own pool (a reseller's consigned pool, the brand's
    presale), a purchase order drafted for each supplier."""
    for code, name in owners:
        tenant, owner = world.tenants[code], world.tenants[code].owners[name]
        if name in SELLERS:
            builders.receive(hub, tenant.admin, tenant.shared["sku"], tenant.shared["location"], 5,
                             pool="presale" if name == "brand" else f"consigned:{owner.token}")
        if name in SUPPLIERS:
            purchasing_builders.place(hub, tenant.admin, owner.token, {tenant.shared["sku"]: 3},
                                      location=tenant.shared["location"], reference=f"{owner.token.upper()}-PO-2")
        else:
            placed = builders.import_order(hub, tenant.admin, channel=owner.rows["channel"],
                                           external_id=f"{owner.token.upper()}-ORD-3",
                                           lines=[builders.line(tenant.shared["unstocked_sku"], 2, owner.figure)])
            assert placed.status == "awaiting_stock", placed.status


def _keys(hub: Hub, tenant: SeededTenant, partners: dict[str, Actor]) -> None:
    """A key per staff role, and one for the first reseller and the first supplier (the walker's partners)."""
    for role in STAFF:
        tenant.tokens[role] = hub.handle(CreateApiKey(actor=tenant.admin, role=role, name=f"{role}-key"))["token"]
    for walker_role, name in (("reseller", "res1"), ("supplier", "sup1")):
        tenant.tokens[walker_role] = hub.handle(CreateApiKey(
            actor=tenant.admin, role="partner", name=f"{name}-key", partner=tenant.owners[name].token))["token"]


def _stock(hub: Hub, tenant: SeededTenant) -> None:
    admin, sku, node = tenant.admin, tenant.shared["sku"], tenant.shared["location"]
    builders.create_sku(hub, admin, sku, name=f"{tenant.code.title()} tee")
    builders.create_sku(hub, admin, tenant.shared["unstocked_sku"], name=f"{tenant.code.title()} cap")
    builders.create_location(hub, admin, node, "central", country="CN", province="浙江省", city="杭州市")
    builders.create_location(hub, admin, tenant.shared["second_location"], "store", country="CN", province="浙江省",
                             city="杭州市", priority=30)
    builders.receive(hub, admin, sku, node, 40)
    for name in RESELLERS:  # stock consigned to each reseller: its own pool
        builders.receive(hub, admin, sku, node, 20, pool=f"consigned:{tenant.owners[name].token}")


def _store(hub: Hub, tenant: SeededTenant, owner: Owner, partner: str | None) -> None:
    """The owner's channel, a listing, an order at its figure, routed, shipped with its waybill and returned."""
    admin, sku, token = tenant.admin, tenant.shared["sku"], owner.token
    pools = ["spot"] if partner is None else [f"consigned:{token}", "spot"]  # a reseller sells from the pool too
    channel = builders.create_channel(hub, admin, f"{token}-shop", partner=token if partner else None, pools=pools,
                                      credentials={"webhook_secret": f"{token}-secret"})
    owner.add("channel", f"{token}-shop")
    owner.ids.add(str(channel.id))
    hub.handle(CreateListing(actor=admin, channel=f"{token}-shop", external_sku=f"{token.upper()}-LST", sku=sku))
    owner.add("listing", f"{token.upper()}-LST")
    _sync_figures(hub, tenant, owner, channel.id)
    finance_builders.set_terms(hub, admin, f"{token}-shop", effective_from=date(2025, 1, 1),
                               fixed_per_order=owner.figure)
    placed = builders.import_order(
        hub, admin, channel=f"{token}-shop", external_id=f"{token.upper()}-ORD-1",
        buyer={"name": f"{token} buyer", "phone": "13800000000"},
        lines=[builders.line(sku, quantity=1, unit_price=owner.figure)])
    owner.add("order", placed.order_id)
    owner.rows["external_id"] = f"{token.upper()}-ORD-1"
    assert hub.handle(RouteOrder(actor=admin, order_id=str(placed.order_id))).outcome == "routed"
    shipment = hub.handle(ful.CreateShipment(actor=admin, order_id=str(placed.order_id)))
    owner.add("shipment", shipment.id)
    hub.handle(ful.ConfirmPick(actor=admin, shipment_id=str(shipment.id)))
    hub.handle(ful.PackShipment(actor=admin, shipment_id=str(shipment.id)))
    hub.handle(ful.ShipShipment(actor=admin, shipment_id=str(shipment.id), waybill_number=f"{token.upper()}-WB"))
    hub.handle(ful.RecordTrackingEvent(actor=admin, shipment_id=str(shipment.id), state="in_transit",
                                       description=f"{token} parcel left the hub"))
    returned = hub.handle(CreateReturn(actor=admin, order_id=str(placed.order_id), lines={sku: 1},
                                       reason=f"{token} return"))
    owner.add("return", returned.id)


def _sync_figures(hub: Hub, tenant: SeededTenant, owner: Owner, channel_id: Any) -> None:
    """The listing's figure the platform refused until it gave up, and a reconciliation that found it drifted
    by the owner's figure."""
    tenant_id, now = tenant.admin.tenant_id, clock.now()
    with hub.uow() as uow:
        listing_id = uow.connection.execute(select(Listing.id).where(Listing.channel_id == channel_id)).scalar_one()
        uow.connection.execute(insert(StockPush).values(
            listing_id=listing_id, tenant_id=tenant_id, channel_id=channel_id, quantity=0, version=1, state="dead",
            pushed_quantity=None, pushed_version=0, attempts=8, next_attempt_at=now, changed_at=now,
            last_error=f"HTTP 503: {owner.token} is down"))
        reconciliation_id = new_id()
        uow.connection.execute(insert(Reconciliation).values(
            id=reconciliation_id, tenant_id=tenant_id, channel_id=channel_id, trigger="request", started_at=now,
            finished_at=now, listings_read=1, drifted=1, units=owner.figure, unread=0, error=None))
        uow.connection.execute(insert(StockDrift).values(
            id=new_id(), tenant_id=tenant_id, channel_id=channel_id, reconciliation_id=reconciliation_id,
            listing_id=listing_id, platform_quantity=owner.figure, our_quantity=0, difference=owner.figure,
            found_at=now))
        uow.commit()


def _member(hub: Hub, tenant: SeededTenant, owner: Owner) -> None:
    """A member of the brand's, known on its store by the buyer's phone (so its orders are the member's), holding
    points of the owner's figure and a coupon."""
    admin = tenant.admin
    member = hub.handle(RegisterMember(actor=admin, phone="13800000000", name=f"{owner.token} member"))
    owner.add("member", member.id)
    hub.handle(LinkIdentity(actor=admin, member_id=member.id, scope="wechat_unionid", value=f"{owner.token}-union"))
    hub.handle(AdjustPoints(actor=admin, member_id=member.id, delta=owner.figure, reason=f"{owner.token} gift"))
    now = clock.now()
    hub.handle(CreateCoupon(actor=admin, code=f"{owner.token}-10", kind="amount", value=1000, currency="CNY",
                            valid_from=now, valid_until=now + timedelta(days=30)))
    hub.handle(IssueCoupon(actor=admin, member_id=member.id, coupon=f"{owner.token}-10"))


def _store_sale(hub: Hub, tenant: SeededTenant, owner: Owner) -> None:
    """A sale at the brand's store, paid at the owner's figure (written as the checkout leaves it, without the
    WeChat Pay account a checkout needs): the store sale routes name it."""
    with hub.uow() as uow:
        store = inventory.location_by_code(uow.connection, tenant.admin.tenant_id, tenant.shared["second_location"])
        sale_id = new_id()
        store_repository.insert_sale(uow.connection, {
            "id": sale_id, "tenant_id": tenant.admin.tenant_id, "location_id": store.id, "location": store.code,
            "member_id": None, "state": "paid", "currency": "CNY", "subtotal": owner.figure, "discount": 0,
            "points_spent": 0, "total": owner.figure, "coupon": None, "lines": [], "orders": [],
            "payment": {"gateway": "wechatpay", "transaction_id": f"{owner.token}-txn"}, "paid_at": clock.now()})
        uow.commit()
    owner.add("store_sale", sale_id)


def _exception(hub: Hub, tenant: SeededTenant, owner: Owner) -> None:
    """An order on the owner's channel naming a SKU no listing maps: a channel exception of its own."""
    with hub.uow(write=False) as uow:
        channel = channel_repository.channels_by_code(uow.connection, tenant.admin.tenant_id,
                                                      [owner.rows["channel"]])[owner.rows["channel"]]
    body = builders.order_body(f"{owner.token.upper()}-ORD-2", lines=[builders.line(f"{owner.token}-unmapped", 1)])
    body.pop("channel")
    inbound.keep(hub, channel, "webhook", {"content-type": "application/json"}, json.dumps(body))
    inbound.process_pending(hub)
    with hub.uow(write=False) as uow:
        found = uow.connection.execute(select(ChannelException.id).where(
            ChannelException.channel_id == channel.id)).scalar_one()
    owner.add("channel_exception", found)


def _erp(hub: Hub, tenant: SeededTenant, owner: Owner) -> None:
    """The brand's ERP: a connection named with its token (the brand's staff see it, partners nothing of it)."""
    created = hub.handle(CreateConnection(actor=tenant.admin, code=f"{owner.token}-erp", kind="odoo",
                                          url=f"https://{owner.token}.invalid/odoo",
                                          credentials={"database": owner.token, "login": owner.token,
                                                       "api_key": f"{owner.token}-key"}))
    owner.add("erp_connection", created.code)
    owner.ids.add(created.id)


def _statement(hub: Hub, tenant: SeededTenant, owner: Owner) -> None:
    """A settlement statement of the owner's store, whose lines match none of its orders: differences to resolve."""
    planted = finance_builders.sample("shopify_payments")
    kept = hub.handle(ImportStatement(actor=tenant.admin, channel=owner.rows["channel"], format=planted.format,
                                      content=planted.content))
    owner.add("statement", kept.id)
    with hub.uow(write=False) as uow:
        found = channel_reconciliation(uow.connection, tenant.admin.tenant_id, owner.rows["channel"], None, None)
    owner.add("difference", found.view()["differences"][0]["id"])


def _supply(hub: Hub, tenant: SeededTenant, owner: Owner, supplier: Actor) -> None:
    """The supplier's terms at its figure, an order it confirmed and shipped, received short: a discrepancy."""
    admin, sku = tenant.admin, tenant.shared["sku"]
    purchasing_builders.supplier_terms(hub, admin, owner.token, sku, unit_cost=owner.figure)
    order = purchasing_builders.place(hub, admin, owner.token, {sku: 6}, location=tenant.shared["location"],
                                      reference=f"{owner.token.upper()}-PO")
    owner.add("po", order["id"])
    purchasing_builders.act(hub, admin, order["id"], "send")
    purchasing_builders.act(hub, supplier, order["id"], "confirm")
    asn = purchasing_builders.ship(hub, supplier, order["id"], {sku: 6})
    owner.add("asn", asn["id"])
    receipt = purchasing_builders.receive_notice(hub, admin, asn["id"], {sku: 5})
    for discrepancy in receipt.get("discrepancies", []):
        owner.add("discrepancy", discrepancy["id"])


def _dead_job(hub: Hub, tenant: SeededTenant) -> str:
    """A job of the tenant's that failed for good (the queue's dead letter), its payload naming the brand."""
    with hub.uow() as uow:
        jobs.enqueue(uow.connection, [jobs.NewJob("scope.echo", {"store": tenant.owners["brand"].token},
                                                  tenant_id=tenant.admin.tenant_id)])
        (job,) = jobs.claim(uow.connection, ["scope.echo"], "walker", lease_s=30, limit=1)
        queue.fail(uow.connection, job, "HTTP 410", max_attempts=5, first_s=1, cap_s=10, give_up=True)
        uow.commit()
    return str(job.id)

"""The demo brand's planning: a fabric mill, a trim supplier and the Dongguan factory as partners with terms
for the SKUs they make, purchase orders at each step (sent; confirmed with a shipment on its way; received
short, so a discrepancy waits), a production order within the factory's capacity; after the trading day,
the stock alerts the day's sales call for. All through the purchasing commands, each side with its own actor. Once the
weeks of history are in, the learned forecast is trained on them, so every plan of the day reads it."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from flexhub.alerts import AlertsRaised, RaiseAlerts, list_alerts
from flexhub.bootstrap import Hub
from flexhub.demo.brand import sku_codes
from flexhub.identity.commands import CreateApiKey, CreatePartner
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.purchasing.commands import (
    ActOnOrder,
    AnnounceShipment,
    CreatePurchaseOrder,
    OrderLineSpec,
    ReceiveAsn,
    SetFactory,
    SetSupplierSku,
)
from flexhub.replenishment.commands import TrainForecastModel
from flexhub.replenishment.forecasting import learned
from flexhub.replenishment.queries import model_status

CENTRAL = "WH-HZ-CENTRAL"
MILL, TRIMS, FACTORY = "shaoxing-fabric-mill", "yiwu-trims", "dongguan-factory"
# supplier: (products it makes, lead time in days, MOQ, pack, unit cost in fen)
SUPPLIES = {
    MILL: (("TEE-CLASSIC", "TEE-OVERSIZE", "HOODIE-CLOUD", "PANTS-CARGO"), 14, 50, 10, 3800),
    TRIMS: (("CAP-LOGO", "BAG-TOTE"), 7, 100, 20, 900),
    FACTORY: (("JACKET-WIND", "SKIRT-PLEAT", "DRESS-SILK", "MUG-CERAMIC"), 10, 30, 6, 5200),
}
FACTORY_DAILY = 400  # units a day the factory makes for the brand


@dataclass
class Planning:
    supplier_key: str
    received_asn: str = ""  # the shipment notice received (short): its receipt carries the demo's landed cost
    orders: int = 0
    asns: int = 0
    discrepancies: int = 0
    alerts: AlertsRaised = field(default_factory=AlertsRaised)
    open_alerts: dict[str, int] = field(default_factory=dict)  # kind → alerts open after the day


def seed(hub: Hub, admin: Actor) -> Planning:
    """Partners, terms and the orders in their states; returns the mill's key and the figures."""
    partners = {code: hub.handle(CreatePartner(actor=admin, code=code, kind="supplier")).id for code in SUPPLIES}
    _terms(hub, admin)
    hub.handle(SetFactory(actor=admin, supplier=FACTORY, daily_capacity=FACTORY_DAILY))
    key = hub.handle(CreateApiKey(actor=admin, role="partner", name=f"{MILL}-key", partner=MILL)).token
    mill, trims = (Actor(tenant_id=admin.tenant_id, role="partner", name=f"demo:{code}", partner_id=partners[code])
                   for code in (MILL, TRIMS))
    planning = Planning(key)
    _order(hub, admin, planning, MILL, {"TEE-CLASSIC-WHITE-M": 120, "HOODIE-CLOUD-NAVY-L": 60}, send=True)
    on_its_way = _order(hub, admin, planning, TRIMS, {"CAP-LOGO-BLACK-M": 200, "BAG-TOTE-SAND-M": 100}, send=True)
    hub.handle(ActOnOrder(actor=trims, order_id=on_its_way, action="confirm"))
    _announce(hub, trims, planning, on_its_way, {"CAP-LOGO-BLACK-M": 200, "BAG-TOTE-SAND-M": 100})
    short = _order(hub, admin, planning, MILL, {"TEE-CLASSIC-BLACK-M": 100}, send=True)
    hub.handle(ActOnOrder(actor=mill, order_id=short, action="confirm"))
    asn = _announce(hub, mill, planning, short, {"TEE-CLASSIC-BLACK-M": 100})
    received = hub.handle(ReceiveAsn(actor=admin, asn_id=asn, counted={"TEE-CLASSIC-BLACK-M": 92}))
    planning.discrepancies += len(received.discrepancies)
    planning.received_asn = str(asn)
    _order(hub, admin, planning, FACTORY, {"JACKET-WIND-OLIVE-L": 600, "SKIRT-PLEAT-BLACK-S": 300},
           kind="production", expected_in=7)  # 900 of the 2,800 units it makes in 7 days
    return planning


def raise_alerts(hub: Hub, admin: Actor, planning: Planning) -> None:
    """The alerts job's run after the day: stock-outs and excess from what sold (the job may have raised some
    before, while the day ran: the open ones are counted too)."""
    planning.alerts = hub.handle(RaiseAlerts())
    with hub.uow(write=False) as uow:
        found = list_alerts(uow.connection, admin.tenant_id, limit=100_000)
    planning.open_alerts = dict(Counter(a["kind"] for a in found))


def train_forecast(hub: Hub, admin: Actor) -> str:
    """The learned forecast trained on the history (as a planner's POST would); returns a line saying how it did on
    the days it held out, or why the numpy core plans instead (LightGBM not installed)."""
    missing = learned.available()
    if missing:
        return f"forecast: the numpy core ({missing})"
    trained = hub.handle(TrainForecastModel(actor=admin, trigger="demo"))
    with hub.uow(write=False) as uow:
        held = model_status(uow.connection, admin.tenant_id, today=clock.now().date())["holdout"]
    return (f"forecast: {learned.METHOD} trained on {trained['series']} series × {trained['history_days']} days in "
            f"{trained['seconds']:.1f} s; over its {held['holdout_days']} held-out days WAPE "
            f"{held['holdout_wape']:.1%}, bias {held['holdout_bias']:+.1%} (numpy core: WAPE {held['core_wape']:.1%})")


def _terms(hub: Hub, admin: Actor) -> None:
    for supplier, (products, lead, moq, pack, cost) in SUPPLIES.items():
        for sku in sku_codes():
            if sku.rsplit("-", 2)[0] in products:
                hub.handle(SetSupplierSku(actor=admin, supplier=supplier, sku=sku, lead_time_days=lead,
                                          currency="CNY", moq=moq, pack=pack, unit_cost=cost))


def _order(hub: Hub, admin: Actor, planning: Planning, supplier: str, lines: dict[str, int], *,
           kind: str = "purchase", send: bool = False, expected_in: int | None = None) -> str:
    expected_on = clock.now().date() + timedelta(days=expected_in) if expected_in else None
    made = hub.handle(CreatePurchaseOrder(actor=admin, supplier=supplier, location=CENTRAL, kind=kind,
                                          expected_on=expected_on, reference=f"DEMO-{planning.orders + 1:03d}",
                                          lines=[OrderLineSpec(sku=s, quantity=q) for s, q in lines.items()]))
    if send:
        hub.handle(ActOnOrder(actor=admin, order_id=made.id, action="send"))
    planning.orders += 1
    return made.id


def _announce(hub: Hub, supplier: Actor, planning: Planning, order_id: str, lines: dict[str, int]) -> str:
    asn = hub.handle(AnnounceShipment(actor=supplier, order_id=order_id, lines=lines, carrier="sf_express",
                                      expected_on=clock.now().date() + timedelta(days=2),
                                      tracking_number=f"SF{7000000000 + planning.asns}"))
    planning.asns += 1
    return asn.id


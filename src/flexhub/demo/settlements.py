"""Money for the finance pages: fee terms for every channel the demo sells through, and after the day a
settlement statement from every channel whose platform publishes one flexhub reads, built from the day's orders
as the platform would publish it (`statements`), each with a few differences planted — so every channel's
reconciliation has something to find, and profit uses the fees the platforms charged; a landed cost (freight) on
the receipt the demo took in, the carriers' bills for the day's parcels and what the day's returns cost to bring
back, so profit's cost of goods, shipping and return costs are what they cost; daily exchange rates, so the SGD
and USD shops' costs are converted from yuan."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flexhub.bootstrap import Hub
from flexhub.channels import queries as channel_queries
from flexhub.demo import statements
from flexhub.finance import (
    AddLandedCost,
    AddReturnCost,
    CarrierChargeIn,
    ImportStatement,
    RateIn,
    RecordCarrierCharges,
    RecordExchangeRates,
    SetFeeTerms,
    profit_queries,
)
from flexhub.finance import queries as finance_queries
from flexhub.finance.rules import (
    AMOUNT_MISMATCH,
    DUPLICATE_PAYOUT,
    FEE_ABOVE_RATE,
    MISSING_PAYOUT,
    OTHER,
    REFUND_NOT_IN_HUB,
    UNKNOWN_ORDER,
    FeeTerms,
    ppm_of,
)
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries

# channel: (commission %, payment fee %, fixed per order in minor units)
TERMS = {
    "douyin-live-1": ("5", "0.6", 0), "douyin-live-2": ("5", "0.6", 0), "tmall-flagship": ("5", "0.6", 0),
    "jd-flagship": ("8", "0", 0), "shopify-global": ("2.9", "0", 30), "wechat-shop": ("0", "0.6", 0),
    "web": ("0", "0.6", 0), "shopee-reseller-sg": ("6", "2", 0), "shopee-reseller-my": ("6", "2", 0),
}
# platform: the statement format its channels publish
FORMATS = {"shopify": "shopify_payments", "taobao": "alipay_bill", "tmall": "alipay_bill", "jd": "jd_settlement",
           "douyin": "douyin_settlement", "wechat": "wechatpay_tradebill", "shopee": "shopee_escrow"}
# channel: the differences planted in its statement (any channel not named: PLANTS_ELSEWHERE)
PLANTS = {
    "shopify-global": (AMOUNT_MISMATCH, MISSING_PAYOUT, UNKNOWN_ORDER, FEE_ABOVE_RATE),
    "tmall-flagship": (DUPLICATE_PAYOUT, REFUND_NOT_IN_HUB, MISSING_PAYOUT),
    "jd-flagship": (AMOUNT_MISMATCH, FEE_ABOVE_RATE, UNKNOWN_ORDER),
    "douyin-live-1": (DUPLICATE_PAYOUT, MISSING_PAYOUT),
    "douyin-live-2": (REFUND_NOT_IN_HUB, FEE_ABOVE_RATE),
    "wechat-shop": (AMOUNT_MISMATCH, UNKNOWN_ORDER, OTHER),
    "shopee-reseller-sg": (MISSING_PAYOUT, REFUND_NOT_IN_HUB),
    "shopee-reseller-my": (FEE_ABOVE_RATE, OTHER),
}
PLANTS_ELSEWHERE = (AMOUNT_MISMATCH, MISSING_PAYOUT)
# currency: units of yuan one unit was worth, about (the demo's fixed rates)
RATES = {"USD": "7.18", "SGD": "5.36", "MYR": "1.61"}


@dataclass(frozen=True)
class Settled:
    """A channel's statement as imported: its format, lines, and the differences planted in it."""

    channel: str
    format: str
    lines: int
    planted: list[tuple[str, str | None]]


def seed_rates(hub: Hub, admin: Actor) -> int:
    """Daily exchange rates to the yuan (the demo keeps its costs in CNY) for the currencies its shops sell in, from
    two weeks back to the day after tomorrow: the SGD and USD shops' costs are converted, not taken as yuan. Fixed
    demo figures near 2025's averages, with a small daily drift; the rates recorded."""
    today = clock.now().date()
    rates = [RateIn(from_currency=currency, to_currency="CNY", day=today + timedelta(days=d),
                    rate=Decimal(rate) + Decimal(d) / 1000)
             for currency, rate in RATES.items() for d in range(-14, 3)]
    hub.handle(RecordExchangeRates(actor=admin, rates=rates, source="demo: fixed rates", cost_currency="CNY"))
    return len(rates)


def seed_terms(hub: Hub, admin: Actor) -> None:
    since = date(clock.now().year, 1, 1)
    for channel, (commission, payment, fixed) in TERMS.items():
        hub.handle(SetFeeTerms(actor=admin, channel=channel, effective_from=since, commission_pct=Decimal(commission),
                               payment_fee_pct=Decimal(payment), fixed_per_order=fixed))


def import_statements(hub: Hub, admin: Actor) -> list[Settled]:
    """Each selling channel's statement of its orders (with a format for its platform and an order at least),
    imported through the same command as the API's."""
    with hub.uow(write=False) as uow:
        channels = {code: finance_queries.channel(uow.connection, admin.tenant_id, code).platform
                    for code in channel_queries.channel_codes(uow.connection, admin.tenant_id)}
        orders = {code: list(reversed(order_queries.list_orders(uow.connection, admin.tenant_id, channel=code,
                                                                limit=100_000)))
                  for code, platform in channels.items() if platform in FORMATS}
    settled = []
    for code, placed in sorted(orders.items()):
        planned = statements.plan(placed, PLANTS.get(code, PLANTS_ELSEWHERE), _fees(code))
        if not planned.entries:
            continue
        name = FORMATS[channels[code]]
        content = statements.WRITERS[name](planned.entries, placed[0]["currency"])
        kept = hub.handle(ImportStatement(actor=admin, channel=code, format=name, content=content))
        settled.append(Settled(code, name, kept.lines, planned.planted))
    return settled


def seed_landed_cost(hub: Hub, admin: Actor, asn: str) -> int:
    """The mill's sea freight on the receipt the demo took in: 4.00 a unit, allocated by value (minor units)."""
    if not asn:
        return 0
    added = hub.handle(AddLandedCost(actor=admin, asn=asn, kind="freight", amount=36800, currency="CNY",
                                     note="demo: the mill's freight to Hangzhou"))
    return added.amount


# What bringing a return back cost, in yuan: the carrier's parcel back and the warehouse's handling and restocking.
RETURN_COSTS = (("shipping", 1200, "SF's parcel back"), ("handling", 300, "received, inspected and restocked"))


def seed_return_costs(hub: Hub, admin: Actor, returns: list[str]) -> int:
    """Each return's parcel back and handling, recorded against it as the returns desk would; what they came to (fen),
    so profit's return costs are not nil."""
    for rma in returns:
        for kind, amount, note in RETURN_COSTS:
            hub.handle(AddReturnCost(actor=admin, return_id=rma, kind=kind, amount=amount, currency="CNY",
                                     note=f"demo: {note}"))
    return len(returns) * sum(amount for _, amount, _ in RETURN_COSTS)


def carriers_bills(hub: Hub, admin: Actor) -> int:
    """What the carriers billed (in yuan, as the rate card prices) for the day's parcels, recorded per waybill: the
    rate card's price of the order's plan shared over its parcels, with a remote-area surcharge of 1.20 on every
    fifth and 10 % off the rest (a volume discount), so profit's shipping is the carriers' charge, not the rate card.
    The waybills billed."""
    with hub.uow(write=False) as uow:
        parcels = profit_queries.shipped_parcels(uow.connection, admin.tenant_id)
        prices = profit_queries.routed_shipping(uow.connection, admin.tenant_id,
                                                 sorted({p.order_id for p in parcels}))
    per_order = Counter(p.order_id for p in parcels)
    charges: dict[str, CarrierChargeIn] = {}
    for n, parcel in enumerate(parcels):
        rate = prices.get(parcel.order_id, 0) // per_order[parcel.order_id]
        charged = rate + 120 if n % 5 == 0 else rate - rate // 10
        charges[parcel.waybill_number] = CarrierChargeIn(waybill_number=parcel.waybill_number, amount=charged,
                                                         currency="CNY", carrier=parcel.carrier)
    if charges:
        hub.handle(RecordCarrierCharges(actor=admin, charges=list(charges.values()), source="demo: carriers' bills"))
    return len(charges)


def _fees(channel: str) -> Callable[[int], int]:
    """What the channel's terms charge on a gross amount (no terms: nothing)."""
    commission, payment, fixed = TERMS.get(channel, ("0", "0", 0))
    return FeeTerms(ppm_of(Decimal(commission)), ppm_of(Decimal(payment)), fixed).allowed_fee

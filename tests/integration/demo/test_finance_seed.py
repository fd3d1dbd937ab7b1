"""The demo's money seed over a small day of its own, on SQLite and PostgreSQL: fee terms, daily exchange rates, a
statement per selling channel with its planted differences, the carriers' bills and what the returns cost to bring
back. Every selling channel then has a margin, in its own currency, equal to the Python oracle's; the USD and SGD
shops' yuan costs are converted at the demo's rates (none missing), and each channel's cost of goods, shipping and
the returns' costs are in it — the figures the demo's summary prints and the finance page shows."""

from decimal import Decimal

from flexhub.bootstrap import Hub
from flexhub.demo import erp, settlements, summary
from flexhub.demo.stores import SHOPS
from flexhub.finance.profit import profit_view
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.testing.builders import create_channel, create_location, line
from flexhub.testing.finance import buy, douyin_shop, sell_and_ship
from flexhub.testing.profit_oracle import oracle_view

ORDERS = 4  # per channel: enough to keep one clean beside every difference planted on an order
UNIT_COST = 2000  # fen a tee, bought in yuan
CURRENCIES = {"shopify": "USD", "shopee": "SGD"}


def day(hub: Hub) -> tuple[Actor, dict[str, str]]:
    """Tees bought at 20.00 CNY, then every selling channel's orders shipped today, each in its shop's currency;
    the tenant's admin and each channel's currency."""
    admin, mill = douyin_shop(hub)
    create_location(hub, admin, erp.RETURNS_NODE, "central", country="CN", province="浙江省", city="杭州市")
    sold = {shop.code: CURRENCIES.get(shop.platform, "CNY") for shop in SHOPS if shop.sells}
    for shop in SHOPS:
        create_channel(hub, admin, shop.code, shop.platform)
    buy(hub, admin, mill, {"TEE-RED-M": ORDERS * len(sold)}, {"TEE-RED-M": UNIT_COST})
    settlements.seed_terms(hub, admin)
    settlements.seed_rates(hub, admin)
    for n, (code, currency) in enumerate(sorted(sold.items())):
        for k in range(ORDERS):
            sell_and_ship(hub, admin, f"{40000 + n}{k:04d}", "小雅", [line("TEE-RED-M", 1, 9900 + 100 * k)],
                          channel=code, placed_at=clock.now().isoformat(), currency=currency, shipping_fee=600)
    return admin, sold


def test_every_selling_channel_has_its_margin_with_every_cost_in_it(hub: Hub) -> None:
    admin, sold = day(hub)

    settled = settlements.import_statements(hub, admin)
    billed = settlements.carriers_bills(hub, admin)
    returned = erp.send_back(hub, admin, count=2)
    brought_back = settlements.seed_return_costs(hub, admin, returned)

    assert {s.channel for s in settled} == set(sold) - {"web"}  # the own shop publishes no statement
    assert billed == ORDERS * len(sold) and len(returned) == 2 and brought_back == 2 * (1200 + 300)
    with hub.uow(write=False) as uow:
        rows = profit_view(uow.connection, admin.tenant_id, "store")["rows"]
        assert rows == oracle_view(uow.connection, admin.tenant_id, "store")["rows"]
        for statement in settled:  # the planted differences are what the finance page lists
            view = channel_reconciliation(uow.connection, admin.tenant_id, statement.channel).view()
            assert sorted((d["kind"], d["external_id"]) for d in view["differences"]) == statement.planted
    by_channel = {row["key"]: row for row in rows}
    assert {key: row["currency"] for key, row in by_channel.items()} == sold
    for code, row in by_channel.items():
        assert row["cogs"] > 0 and row["shipping"] > 0 and row["platform_fees"] >= 0, code
        assert 0 < row["margin"] < 1, code
    assert sum(row["return_costs"] for row in rows) > 0
    # a USD order's tee cost 20.00 CNY at the demo's rate of the day, not 20.00 USD (nor 20.00 taken as 1:1)
    usd = Decimal(settlements.RATES["USD"])
    assert abs(by_channel["shopify-global"]["cogs"] - ORDERS * UNIT_COST / usd) <= ORDERS
    assert {(m.store, m.currency): m.margin for m in summary.margins(hub, admin)} == \
        {(code, currency): by_channel[code]["margin"] for code, currency in sold.items()}

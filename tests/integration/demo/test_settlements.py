"""The demo's statements: one per selling channel whose platform has a format, each written in that format from
the channel's own orders, and each channel's reconciliation finds exactly the differences planted in it — every
kind somewhere, none invented — on SQLite and PostgreSQL."""

from flexhub.bootstrap import Hub
from flexhub.demo import settlements
from flexhub.demo.stores import SHOPS, Shop
from flexhub.finance import queries
from flexhub.finance.profit import DIMENSIONS, profit_view
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.finance.rules import DIFFERENCE_KINDS
from flexhub.testing.builders import (
    cancel_order,
    create_channel,
    create_location,
    create_sku,
    create_tenant,
    import_order,
    line,
    receive,
)
from flexhub.testing.profit_oracle import oracle_view

ORDERS = 7  # per channel, one more cancelled


def sold() -> list[tuple[Shop, str]]:
    return [(shop, {"shopify": "USD", "shopee": "SGD"}.get(shop.platform, "CNY")) for shop in SHOPS if shop.sells]


def trade(hub: Hub) -> Hub:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M")
    create_location(hub, admin, "WH-CENTRAL")
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1000)
    for shop in SHOPS:
        create_channel(hub, admin, shop.code, shop.platform)
    for n, (shop, currency) in enumerate(sold()):
        for k in range(ORDERS + 1):
            made = import_order(hub, admin, channel=shop.code, external_id=f"{30000 + n}{k:04d}", currency=currency,
                                placed_at=f"2026-12-05T0{k}:15:00+00:00",
                                lines=[line(quantity=1 + k % 2, unit_price=4990 + 1000 * k)], shipping_fee=600)
            if k == ORDERS:
                cancel_order(hub, admin, made.order_id)
    settlements.seed_terms(hub, admin)
    return admin


def test_every_channel_reconciles_to_exactly_what_was_planted(any_hub: Hub) -> None:
    admin = trade(any_hub)

    settled = settlements.import_statements(any_hub, admin)

    formats = {s.channel: s.format for s in settled}
    assert formats == {"douyin-live-1": "douyin_settlement", "douyin-live-2": "douyin_settlement",
                       "jd-flagship": "jd_settlement", "shopee-reseller-my": "shopee_escrow",
                       "shopee-reseller-sg": "shopee_escrow", "shopify-global": "shopify_payments",
                       "tmall-flagship": "alipay_bill", "wechat-shop": "wechatpay_tradebill"}
    kinds = set()
    for statement in settled:
        with any_hub.uow(write=False) as uow:
            view = channel_reconciliation(uow.connection, admin.tenant_id, statement.channel).view()
        found = sorted((d["kind"], d["external_id"]) for d in view["differences"])
        assert found == sorted(statement.planted, key=lambda p: (p[0], p[1] or "")), statement.channel
        assert len(statement.planted) == len(settlements.PLANTS[statement.channel])
        assert view["matched"] + sum(len(d["lines"]) for d in view["differences"]) == view["lines"] \
            == statement.lines
        kinds |= {kind for kind, _ in found}
    assert kinds == set(DIFFERENCE_KINDS)


def test_profit_from_the_statements_is_the_oracles_by_every_dimension(hub: Hub) -> None:
    admin = trade(hub)
    settlements.import_statements(hub, admin)

    with hub.uow(write=False) as uow:
        for by in DIMENSIONS:  # none of the orders has shipped: booked when placed
            rows = profit_view(uow.connection, admin.tenant_id, by, basis="placed")["rows"]
            assert rows == oracle_view(uow.connection, admin.tenant_id, by, basis="placed")["rows"], by
        stores = {row["key"] for row in profit_view(uow.connection, admin.tenant_id, "store", basis="placed")["rows"]}
        assert profit_view(uow.connection, admin.tenant_id, "store")["rows"] == []
    assert stores == {shop.code for shop, _ in sold()}


def test_again_the_same_statements_change_nothing(hub: Hub) -> None:
    admin = trade(hub)
    first = settlements.import_statements(hub, admin)

    again = settlements.import_statements(hub, admin)

    assert again == first
    with hub.uow(write=False) as uow:
        assert len(queries.statements(uow.connection, admin.tenant_id)) == len(first)

"""Refunds reverse exactly: a random store sale (units taken now, picked up later and shipped from the central
warehouse; with or without a coupon; some points spent) paid through the sandbox WeChat Pay, then refunded in a
random split of its orders, leaves the member's points, their coupon, the stock and the money exactly as before the
sale — and after every partial refund the points are never negative and the money refunded never exceeds what was
paid."""

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flexhub.bootstrap import Hub
from flexhub.catalog.commands import CreateSku
from flexhub.inventory.commands import AdjustStock, CreateLocation
from flexhub.kernel.messages import Actor
from flexhub.members.commands import AdjustPoints, CreateCoupon, IssueCoupon, RegisterMember
from flexhub.members.queries import member_view
from flexhub.sandbox.wechatpay import SandboxWechatPay
from flexhub.stores import paying, queries, refunds
from flexhub.stores.commands import CheckOut, SaleLine, SetShelfPrice, SetWechatPay, TakePayment
from flexhub.testing.builders import create_tenant
from flexhub.testing.properties import stateful
from flexhub.testing.snapshots import level

tenant_numbers = itertools.count(1)
STORE, STOCK, POINTS = "STORE-SH", 5, 1000
NOTIFY = "https://hub.example/webhooks/payments/wechatpay"


@pytest.fixture
def till(hub: Hub) -> Iterator[tuple[Hub, SandboxWechatPay]]:
    sandbox = SandboxWechatPay()
    hub.http = httpx2.Client(transport=httpx2.MockTransport(sandbox.handle))
    yield hub, sandbox


def open_shop(hub: Hub, sandbox: SandboxWechatPay) -> tuple[Actor, str]:
    admin = create_tenant(hub, f"refund-{next(tenant_numbers)}")
    for code, price in (("TEE-RED-M", 9900), ("CAP-BLK", 4900)):
        hub.handle(CreateSku(actor=admin, code=code, name=code))
        hub.handle(SetShelfPrice(actor=admin, sku=code, amount=price, currency="CNY"))
    hub.handle(CreateLocation(actor=admin, code="WH-CENTRAL", kind="central", country="CN", province="浙江省",
                              city="杭州市"))
    hub.handle(CreateLocation(actor=admin, code=STORE, kind="store", name="Jing'an", country="CN", province="上海市",
                              city="上海市", can_pickup=True, priority=30))
    for sku, node in (("TEE-RED-M", STORE), ("CAP-BLK", "WH-CENTRAL")):
        hub.handle(AdjustStock(actor=admin, sku=sku, location=node, quantity_delta=STOCK, reason="delivery"))
    hub.handle(SetWechatPay(actor=admin, allow_private=True, **sandbox.credentials()))
    member = hub.handle(RegisterMember(actor=admin, phone="13800138000", name="王小明"))
    hub.handle(AdjustPoints(actor=admin, member_id=member.id, delta=POINTS, reason="welcome"))
    now = datetime.now(UTC)
    hub.handle(CreateCoupon(actor=admin, code="TEN", kind="amount", value=1000, currency="CNY",
                            valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=30)))
    hub.handle(IssueCoupon(actor=admin, member_id=member.id, coupon="TEN"))
    return admin, member.id


def state(hub: Hub, admin: Actor, member_id: str) -> tuple[Any, ...]:
    with hub.uow(write=False) as uow:
        member = member_view(uow.connection, admin.tenant_id, member_id, "admin")
    tee, cap = level(hub, admin, "TEE-RED-M", STORE), level(hub, admin, "CAP-BLK", "WH-CENTRAL")
    return (member["points"], [c["state"] for c in member["coupons"]], (tee["on_hand"], tee["reserved"]),
            (cap["on_hand"], cap["reserved"]))


# Each example opens its own tenant: the hub and the sandbox are shared on purpose.
@settings(stateful(), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(take=st.integers(0, 2), pickup=st.integers(0, 2), ship=st.integers(0, 2), coupon=st.booleans(),
       points=st.integers(0, POINTS), data=st.data())
def test_refunds_reverse_exactly(till: tuple[Hub, SandboxWechatPay], take: int, pickup: int, ship: int,
                                 coupon: bool, points: int, data: st.DataObject) -> None:
    hub, sandbox = till
    wanted = [(mode, n) for mode, n in (("take", take), ("pickup", pickup), ("ship", ship)) if n]
    if not wanted:
        return
    admin, member_id = open_shop(hub, sandbox)
    before = state(hub, admin, member_id)
    lines = [SaleLine(sku="CAP-BLK" if mode == "ship" else "TEE-RED-M", quantity=n, mode=mode) for mode, n in wanted]
    subtotal = sum(line.quantity * (4900 if line.sku == "CAP-BLK" else 9900) for line in lines)
    spent = min(points, subtotal - (1000 if coupon else 0))
    sale_id = hub.handle(CheckOut(actor=admin, location=STORE, lines=lines,
                                  buyer={"name": "王小明", "phone": "13800138000"},
                                  ship_to={"country": "CN", "province": "上海市", "city": "上海市", "line1": "1 号"},
                                  member_id=member_id, coupon="TEN" if coupon else None, points=spent))
    paying.ask_payment(hub.uow, hub.http, hub.vault, admin.tenant_id, sale_id, openid=None, payer_ip="127.0.0.1",
                       notify_url=NOTIFY)
    _, headers, body = sandbox.pay(sale_id.hex)
    hub.handle(TakePayment(actor=admin, headers=headers, body=body))
    hub.relay.run_once()
    with hub.uow(write=False) as uow:
        sale = queries.sale_view(uow, admin.tenant_id, sale_id)
    orders = [o["order_id"] for o in sale["orders"]]
    order = data.draw(st.permutations(orders))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(order) - 1), max_size=len(order) - 1))) if len(order) > 1 \
        else []
    groups = [order[a:b] for a, b in itertools.pairwise([0, *cuts, len(order)])]
    given_back, points_back = 0, 0
    for group in groups:
        refund = refunds.refund_sale(hub.uow, hub.http, hub.vault, hub.handle, admin, sale_id, order_ids=group,
                                     reason="property", notify_url=NOTIFY)
        given_back, points_back = given_back + refund["amount"], points_back + refund["points"]
        assert given_back <= sale["total"] and state(hub, admin, member_id)[0] >= 0
        hub.relay.run_once()
    assert (given_back, points_back) == (sale["total"], spent)
    assert sandbox.trades[sale_id.hex].refunded == sale["total"]
    assert state(hub, admin, member_id) == before

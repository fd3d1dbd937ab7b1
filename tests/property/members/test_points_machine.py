"""Points and coupons as properties: random sequences of adjustments, paid orders (points earned, points spent),
refunds and coupon redemptions on one member, checked after every step against a model kept beside it.

- points never go below zero, and the balance is the sum of the ledger's entries;
- a refund gives back what its order spent and takes back what it earned (all of it unless spent since), once;
- a paid order refunded before anything else happens leaves the balance exactly where it was;
- a coupon is used once: a second redemption is refused with nothing changed."""

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from flexhub.bootstrap import Hub
from flexhub.members import coupons, points, rules
from flexhub.members.commands import AdjustPoints, CreateCoupon, IssueCoupon, RegisterMember
from flexhub.members.errors import CouponUsed, InsufficientPoints
from flexhub.members.model import PointsEntry
from flexhub.members.repository import member
from flexhub.testing.builders import create_tenant
from flexhub.testing.properties import stateful
from flexhub.testing.route_walker import fingerprint

tenant_numbers = itertools.count(1)
ORDERS = tuple(f"O-{n}" for n in range(1, 5))  # few, so that orders are paid, spent on and refunded again


class PointsMachine(RuleBasedStateMachine):
    hub: Hub

    def __init__(self) -> None:
        super().__init__()
        self.admin = create_tenant(self.hub, f"pts-{next(tenant_numbers)}")
        self.member_id = self.hub.handle(RegisterMember(actor=self.admin, phone="13800138000", name="m")).id
        now = datetime.now(UTC)
        self.hub.handle(CreateCoupon(actor=self.admin, code="TEN", kind="amount", value=1000, currency="CNY",
                                     valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=30)))
        self.balance = 0
        self.orders: dict[str, dict[str, int]] = {}  # order ref -> {"earn": E, "spend": S, "refunded": 0/1}
        self.coupons: dict[str, bool] = {}  # held coupon id -> used

    def row(self) -> Any:
        with self.hub.uow(write=False) as uow:
            return member(uow.connection, self.admin.tenant_id, self.member_id)

    def in_uow(self, act: Any) -> Any:
        with self.hub.uow() as uow:
            found = member(uow.connection, self.admin.tenant_id, self.member_id, lock=True)
            result = act(uow, found)
            uow.commit()
        return result

    def refused(self, act: Any, *errors: type[Exception]) -> bool:
        before = fingerprint(self.hub.engine)
        try:
            act()
        except errors:
            assert fingerprint(self.hub.engine) == before
            return True
        return False

    @rule(delta=st.integers(-3000, 3000).filter(bool))
    def adjust(self, delta: int) -> None:
        refused = self.refused(lambda: self.hub.handle(AdjustPoints(actor=self.admin, member_id=self.member_id,
                                                                    delta=delta, reason="by hand")),
                               InsufficientPoints)
        assert refused == (self.balance + delta < 0)
        if not refused:
            self.balance += delta

    @rule(ref=st.sampled_from(ORDERS), paid=st.integers(0, 500_000), spend=st.integers(0, 5000))
    def pay(self, ref: str, paid: int, spend: int) -> None:
        """A checkout spending up to `spend` points, then the order paid: points earned on what was paid."""
        if ref in self.orders:
            return  # an order is paid once
        spent = rules.spendable(self.balance, spend)
        self.in_uow(lambda uow, m: points.spend(uow, "t", m, ref, spent))
        self.in_uow(lambda uow, m: points.earn(uow, "t", m.id, m.tenant_id, ref, paid))
        self.in_uow(lambda uow, m: points.earn(uow, "t", m.id, m.tenant_id, ref, paid))  # told twice: earned once
        earned = rules.points_for(paid)
        self.orders[ref] = {"earn": earned, "spend": spent, "refunded": 0}
        self.balance += earned - spent

    @rule(ref=st.sampled_from(ORDERS))
    def refund(self, ref: str) -> None:
        for _ in range(2):  # told twice: reversed once
            self.in_uow(lambda uow, m: points.reverse(uow, "t", m.id, m.tenant_id, ref))
        order = self.orders.get(ref)
        if order and not order["refunded"]:
            self.balance += order["spend"]
            self.balance -= min(order["earn"], self.balance)
            order["refunded"] = 1

    @rule(paid=st.integers(0, 500_000), spend=st.integers(0, 5000))
    def pay_and_refund_at_once(self, paid: int, spend: int) -> None:
        ref = f"X-{len(self.orders)}"
        before = self.row().points
        spent = rules.spendable(before, spend)
        self.in_uow(lambda uow, m: points.spend(uow, "t", m, ref, spent))
        self.in_uow(lambda uow, m: points.earn(uow, "t", m.id, m.tenant_id, ref, paid))
        self.in_uow(lambda uow, m: points.reverse(uow, "t", m.id, m.tenant_id, ref))
        assert self.row().points == before  # reversed exactly
        self.orders[ref] = {"earn": 0, "spend": 0, "refunded": 1}

    @rule()
    def issue_coupon(self) -> None:
        held = self.hub.handle(IssueCoupon(actor=self.admin, member_id=self.member_id, coupon="TEN"))
        self.coupons[held.id] = False

    @rule(subtotal=st.integers(0, 50_000))
    def redeem_coupon(self, subtotal: int) -> None:
        unused = [held for held, used in self.coupons.items() if not used]

        def redeem() -> int:
            return self.in_uow(lambda uow, m: coupons.redeem(uow, m, "TEN", subtotal=subtotal, currency="CNY",
                                                             channel="store", used_for=f"sale-{subtotal}"))

        if not self.coupons:
            return
        refused = self.refused(redeem, CouponUsed)
        assert refused == (not unused)
        if unused:
            self.coupons[unused[0]] = True

    @invariant()
    def the_balance_is_the_ledger_and_never_negative(self) -> None:
        row = self.row()
        with self.hub.uow(write=False) as uow:
            total = uow.connection.scalar(select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
                PointsEntry.member_id == row.id))
        assert row.points == self.balance == total >= 0


def test_points_and_coupons_hold_their_promises(hub: Hub) -> None:
    PointsMachine.hub = hub
    run_state_machine_as_test(PointsMachine, settings=stateful(stateful_step_count=20))

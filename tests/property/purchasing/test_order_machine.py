"""Purchase orders as a property: random steps of the brand, the supplier and the receiving node, through the
real handlers, with the invariants checked after every step:

- the ledger rebuilds the stock levels exactly, and on hand is what was counted in, less what went back, by the
  model's own record of what each notice announced and what the node counted (never the hub's reply);
- each receipt raises exactly the discrepancies the model expects from its own counts;
- each line's `announced` is the units on its notices not yet received, `received` what was counted in;
  neither is ever negative, and nothing is announced beyond what is still open;
- what stays on order (replenishment's inventory position) is Σ max(0, ordered − received) of open orders,
  so an over-receipt never makes it negative and a receipt never counts twice;
- a refused step changes nothing, a notice is received once, and another supplier's order is never found.
"""

import itertools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.kernel.errors import FlexhubError
from flexhub.purchasing import on_order
from flexhub.purchasing.commands import ProposeChange, ResolveDiscrepancy
from flexhub.purchasing.errors import (
    AlreadyReceived,
    AlreadyResolved,
    InvalidLines,
    InvalidResolution,
    InvalidTransition,
    OverAnnounced,
    UnknownOrder,
)
from flexhub.purchasing.model import Asn, AsnLine, PurchaseOrder, PurchaseOrderLine
from flexhub.purchasing.queries import list_discrepancies
from flexhub.purchasing.rules import OPEN, RESOLUTIONS
from flexhub.testing.builders import create_location, create_partner, create_sku, create_tenant
from flexhub.testing.properties import stateful
from flexhub.testing.purchasing import act, place, purchasing_rows, receive_notice, ship, supplier_terms
from flexhub.testing.snapshots import ledger_differences, level, snapshot

SKUS = ("TEE", "CAP")
numbers = itertools.count(1)
quantities = st.dictionaries(st.sampled_from(SKUS), st.integers(1, 20), min_size=1)


class OrderMachine(RuleBasedStateMachine):
    hub: Hub

    def __init__(self) -> None:
        super().__init__()
        self.admin = create_tenant(self.hub, f"po-{next(numbers)}")
        for sku in SKUS:
            create_sku(self.hub, self.admin, sku)
        create_location(self.hub, self.admin, "WH-CENTRAL")
        self.mill = create_partner(self.hub, self.admin, "mill", kind="supplier")
        self.rival = create_partner(self.hub, self.admin, "rival", kind="supplier")
        for sku in SKUS:
            supplier_terms(self.hub, self.admin, "mill", sku)
        self.on_hand: dict[str, int] = defaultdict(int)
        self.announced: dict[str, dict[str, int]] = {}  # per notice: the units the supplier said it shipped
        self.counts: dict[str, tuple[dict[str, int], dict[str, int]]] = {}  # per notice received: announced, counted

    orders = Bundle("orders")
    notices = Bundle("notices")
    received = Bundle("received")

    def refused(self, action: Callable[[], Any], *errors: type[FlexhubError]) -> Any:
        before = (snapshot(self.hub), purchasing_rows(self.hub))
        try:
            return action()
        except errors:
            assert (snapshot(self.hub), purchasing_rows(self.hub)) == before
            return None

    @rule(target=orders, lines=quantities)
    def place_and_send(self, lines: dict[str, int]) -> str:
        order = place(self.hub, self.admin, "mill", lines)
        act(self.hub, self.admin, order["id"], "send")
        return order["id"]

    @rule(order=orders)
    def supplier_confirms(self, order: str) -> None:
        self.refused(lambda: act(self.hub, self.mill, order, "confirm"), InvalidTransition)

    @rule(order=orders)
    def a_rival_finds_nothing(self, order: str) -> None:
        self.refused(lambda: act(self.hub, self.rival, order, "confirm"), UnknownOrder)

    @rule(order=orders, lines=quantities, accept=st.booleans())
    def supplier_changes_then_brand_answers(self, order: str, lines: dict[str, int], accept: bool) -> None:
        proposed = self.refused(lambda: self.hub.handle(ProposeChange(actor=self.mill, order_id=order,
                                                                      quantities=lines)),
                                InvalidTransition, InvalidLines)
        if proposed is not None:
            act(self.hub, self.admin, order, "accept_change" if accept else "reject_change")

    @rule(target=notices, order=orders, lines=quantities)
    def supplier_ships(self, order: str, lines: dict[str, int]) -> Any:
        shipped = self.refused(lambda: ship(self.hub, self.mill, order, lines),
                               InvalidTransition, InvalidLines, OverAnnounced)
        if not shipped:
            return "none"
        self.announced[shipped["id"]] = dict(lines)
        return shipped["id"]

    @rule(target=received, notice=consumes(notices),
          counted=st.dictionaries(st.sampled_from(SKUS), st.integers(0, 25)) | st.none())
    def node_receives(self, notice: str, counted: dict[str, int] | None) -> str:
        if notice == "none":
            return notice
        done = self.refused(lambda: receive_notice(self.hub, self.admin, notice, counted), InvalidTransition)
        if done is not None:
            announced = self.announced[notice]
            got = dict(announced) if counted is None else dict(counted)  # no count: received as announced
            self.counts[notice] = (announced, got)
            for sku, units in got.items():
                self.on_hand[sku] += units
            assert {(d["sku"], d["kind"], d["expected"], d["received"]) for d in done["discrepancies"]} == \
                expected_discrepancies(announced, got)
        return notice

    @rule(notice=received)
    def receiving_again_is_refused(self, notice: str) -> None:
        if notice != "none":
            self.refused(lambda: receive_notice(self.hub, self.admin, notice), AlreadyReceived, InvalidTransition)

    @rule(data=st.data())
    def brand_resolves_a_discrepancy(self, data: st.DataObject) -> None:
        with self.hub.uow(write=False) as uow:
            found = list_discrepancies(uow.connection, self.admin.tenant_id)
        if not found:
            return
        pick = data.draw(st.sampled_from(found))
        resolution = data.draw(st.sampled_from(sorted({r for rs in RESOLUTIONS.values() for r in rs})))
        done = self.refused(lambda: self.hub.handle(ResolveDiscrepancy(
            actor=self.admin, discrepancy_id=pick["id"], resolution=resolution)),
            InvalidResolution, InvalidTransition, AlreadyResolved)
        announced, got = self.counts[pick["asn_id"]]
        expected, received = announced.get(pick["sku"], 0), got.get(pick["sku"], 0)
        assert (pick["expected"], pick["received"]) == (expected, received)
        if done is not None and resolution == "return_to_supplier":
            self.on_hand[pick["sku"]] -= received - expected  # the units beyond the notice go back

    @rule(order=orders, action=st.sampled_from(["cancel", "close"]))
    def brand_cancels_or_closes(self, order: str, action: str) -> None:
        self.refused(lambda: act(self.hub, self.admin, order, action), InvalidTransition)

    @invariant()
    def the_ledger_and_the_orders_agree(self) -> None:
        tenant_id = self.admin.tenant_id
        assert ledger_differences(self.hub, tenant_id) == []
        for sku in SKUS:
            assert level(self.hub, self.admin, sku)["on_hand"] == self.on_hand[sku]
        with self.hub.uow(write=False) as uow:
            c = uow.connection
            lines = c.execute(select(PurchaseOrderLine, PurchaseOrder.state)
                              .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
                              .where(PurchaseOrder.tenant_id == tenant_id)).all()
            waiting = c.execute(select(Asn.order_id, AsnLine.sku_id, AsnLine.quantity)
                                .join(AsnLine, AsnLine.asn_id == Asn.id)
                                .where(Asn.tenant_id == tenant_id, Asn.state == "announced")).all()
            coming = on_order(c, tenant_id)
        announced: dict[tuple, int] = defaultdict(int)
        for order_id, sku_id, units in waiting:
            announced[(order_id, sku_id)] += units
        expected_on_order: dict[tuple, int] = defaultdict(int)
        for line in lines:
            assert line.announced == announced[(line.order_id, line.sku_id)] >= 0
            assert line.received >= 0 and line.announced <= max(0, line.quantity - line.received)
            if line.state in OPEN:
                expected_on_order[(line.sku_id,)] += max(0, line.quantity - line.received)
        assert {k[0]: v for k, v in expected_on_order.items() if v} == {k[0]: v for k, v in coming.items() if v}


def expected_discrepancies(announced: dict[str, int], counted: dict[str, int]) -> set[tuple[str, str, int, int]]:
    """The model's own reading of a receipt: a SKU not on the notice is unexpected, fewer is short, more is over."""
    found = set()
    for sku in set(announced) | set(counted):
        expected, got = announced.get(sku, 0), counted.get(sku, 0)
        if sku not in announced:
            found.add((sku, "unexpected", 0, got))
        elif got != expected:
            found.add((sku, "short" if got < expected else "over", expected, got))
    return found


def test_purchase_orders_keep_their_invariants(hub: Hub) -> None:
    machine = type("OrderMachineOnThisDatabase", (OrderMachine,), {"hub": hub})
    run_state_machine_as_test(machine, settings=stateful(stateful_step_count=20))

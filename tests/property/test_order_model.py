"""A model-based check: a few lines of arithmetic predict every accept and refusal of the real hub.

One location and one pool keep the model simple: per SKU, on hand and reserved; available is the
difference. An order (on_shortage=reject) is taken exactly when every SKU it needs, bundles
counted as their components, has enough available; a write-off exactly when it leaves the
reserved units on hand.
"""

import itertools
from collections import Counter
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from flexhub.bootstrap import Hub
from flexhub.inventory.errors import InsufficientStock, NegativeStock
from flexhub.ordering.errors import InvalidTransition
from flexhub.ordering.intake import Imported
from flexhub.testing.builders import (
    adjust,
    cancel_order,
    count,
    create_bundle,
    create_shop,
    create_sku,
    import_order,
    line,
    receive,
)
from flexhub.testing.properties import stateful
from flexhub.testing.snapshots import level, snapshot

SKUS = ("TEE", "CAP")
BUNDLE = {"TEE": 1, "CAP": 2}  # a SET is one tee and two caps
tenant_numbers = itertools.count(1)
order_lines = st.lists(st.builds(line, sku=st.sampled_from((*SKUS, "SET")), quantity=st.integers(1, 4)),
                       min_size=1, max_size=3)


class OrderModel(RuleBasedStateMachine):
    hub: Hub

    def __init__(self) -> None:
        super().__init__()
        self.admin = create_shop(self.hub, f"model-{next(tenant_numbers)}", stock=0, sku="TEE", location="WH")
        create_sku(self.hub, self.admin, "CAP")
        create_bundle(self.hub, self.admin, "SET", BUNDLE)
        self.on_hand = Counter({sku: 0 for sku in SKUS})
        self.reserved = Counter({sku: 0 for sku in SKUS})
        self.held: dict[Any, Counter] = {}  # order id -> units it holds, per SKU
        self.external_ids = itertools.count(1)

    def available(self, sku: str) -> int:
        return self.on_hand[sku] - self.reserved[sku]

    def expect(self, accepted: bool, action, refusal: type) -> Any:
        """Run `action`; it must succeed exactly when the model says so, and change nothing when refused."""
        before = snapshot(self.hub)
        try:
            result = action()
        except refusal:
            assert not accepted, "the hub refused what the model accepts"
            assert snapshot(self.hub) == before
            return None
        assert accepted, "the hub accepted what the model refuses"
        return result

    @rule(sku=st.sampled_from(SKUS), quantity=st.integers(1, 12))
    def receive_stock(self, sku: str, quantity: int) -> None:
        receive(self.hub, self.admin, sku, "WH", quantity)
        self.on_hand[sku] += quantity

    @rule(sku=st.sampled_from(SKUS), quantity=st.integers(1, 8))
    def write_off(self, sku: str, quantity: int) -> None:
        fits = self.on_hand[sku] - quantity >= self.reserved[sku]
        refusal = NegativeStock if self.on_hand[sku] < quantity else InsufficientStock
        if self.expect(fits, lambda: adjust(self.hub, self.admin, sku, "WH", -quantity), refusal) is not None:
            self.on_hand[sku] -= quantity

    @rule(sku=st.sampled_from(SKUS), counted=st.integers(0, 15))
    def count_stock(self, sku: str, counted: int) -> None:
        fits = counted >= self.reserved[sku]
        if self.expect(fits, lambda: count(self.hub, self.admin, sku, "WH", counted), InsufficientStock) is not None:
            self.on_hand[sku] = counted

    @rule(lines=order_lines)
    def import_an_order(self, lines: list[dict]) -> None:
        needs = Counter()
        for ordered in lines:
            for sku, per_unit in (BUNDLE if ordered["sku"] == "SET" else {ordered["sku"]: 1}).items():
                needs[sku] += per_unit * ordered["quantity"]
        fits = all(needs[sku] <= self.available(sku) for sku in needs)
        imported = self.expect(fits, lambda: import_order(
            self.hub, self.admin, external_id=f"M-{next(self.external_ids)}", lines=lines, on_shortage="reject"),
            InsufficientStock)
        if imported is not None:
            assert isinstance(imported, Imported) and imported.status == "reserved"
            self.reserved += needs
            self.held[imported.order_id] = needs

    @precondition(lambda self: self.held)
    @rule(data=st.data())
    def cancel_an_order(self, data: st.DataObject) -> None:
        order_id = data.draw(st.sampled_from(sorted(self.held)))
        active = self.held[order_id] is not None
        if self.expect(active, lambda: cancel_order(self.hub, self.admin, order_id), InvalidTransition) is not None:
            self.reserved -= self.held[order_id]
            self.held[order_id] = None

    @invariant()
    def the_hub_agrees_with_the_model(self) -> None:
        for sku in SKUS:
            found = level(self.hub, self.admin, sku, "WH")
            assert (found["on_hand"], found["reserved"]) == (self.on_hand[sku], self.reserved[sku])


def test_the_hub_accepts_exactly_what_the_model_predicts(hub: Hub) -> None:
    machine = type("OrderModelOnThisDatabase", (OrderModel,), {"hub": hub})
    run_state_machine_as_test(machine, settings=stateful(stateful_step_count=20))

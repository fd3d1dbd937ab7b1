"""The invariants as properties: random sequences of stock and order commands, checked after every step.

Each example works in a fresh tenant of the same database; a bystander tenant, set up once per test,
must come out of every example untouched.
"""

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from flexhub.bootstrap import Hub
from flexhub.inventory.errors import InsufficientStock, NegativeStock
from flexhub.kernel.errors import FlexhubError
from flexhub.ordering.errors import InvalidTransition
from flexhub.testing.builders import (
    adjust,
    cancel_order,
    count,
    create_bundle,
    create_channel,
    create_location,
    create_shop,
    create_sku,
    create_tenant,
    import_order,
    line,
    receive,
    receive_transfer,
    set_safety_stock,
    transfer,
)
from flexhub.testing.properties import stateful
from flexhub.testing.snapshots import (
    ledger_differences,
    repeated_orders,
    reservation_mismatches,
    snapshot,
    stock_levels,
    tenant_rows,
)

SKUS = ("TEE", "CAP")
SELLABLE = (*SKUS, "SET")  # SET is a bundle of one TEE and two CAPs
LOCATIONS = ("WH-A", "WH-B")
POOLS = ("spot", "presale", "consigned:r1")
CHANNELS = {"web": ["spot"], "live": ["spot", "presale"], "r1-shop": ["consigned:r1", "spot"]}
EXTERNAL_IDS = tuple(f"E-{n}" for n in range(1, 6))  # few, so that replays and new versions happen
VERSIONS = (None, *(datetime(2025, 6, day, tzinfo=UTC).isoformat() for day in (1, 2, 3)))

tenant_numbers = itertools.count(1)

# Spot stock and plain lines are the common case; the rest comes often enough to meet each other.
pools = st.sampled_from(("spot", "spot", *POOLS))
rarely = st.sampled_from((False, False, False, True))
order_lines = st.lists(
    st.builds(line, sku=st.sampled_from(SELLABLE), quantity=st.integers(1, 4), presale=rarely),
    min_size=1, max_size=3,
)


class StockMachine(RuleBasedStateMachine):
    hub: Hub
    bystander: tuple[Any, tuple]  # (tenant id, its rows when the test began)

    def __init__(self) -> None:
        super().__init__()
        hub = self.hub
        self.admin = create_tenant(hub, f"prop-{next(tenant_numbers)}")
        for sku in SKUS:
            create_sku(hub, self.admin, sku)
        create_bundle(hub, self.admin, "SET", {"TEE": 1, "CAP": 2})
        create_location(hub, self.admin, "WH-A", priority=10)
        create_location(hub, self.admin, "WH-B", kind="regional", priority=20)
        for code, pools in CHANNELS.items():
            create_channel(hub, self.admin, code, pools=pools)
        for sku in SKUS:  # something to sell from the first step
            receive(hub, self.admin, sku, "WH-A", 12)
        self.orders: dict[tuple[str, str], Any] = {}  # (channel, external id) -> order id

    transfers = Bundle("transfers")

    def refused(self, action: Callable[[], Any], *errors: type[FlexhubError]) -> Any:
        """Run `action`; when it is refused, with one of `errors`, nothing at all may have changed."""
        before = snapshot(self.hub)
        try:
            return action()
        except errors:
            assert snapshot(self.hub) == before
            return None

    @rule(sku=st.sampled_from(SKUS), location=st.sampled_from(LOCATIONS), pool=pools,
          quantity=st.integers(1, 20))
    def receive_stock(self, sku: str, location: str, pool: str, quantity: int) -> None:
        receive(self.hub, self.admin, sku, location, quantity, pool=pool)

    @rule(sku=st.sampled_from(SKUS), location=st.sampled_from(LOCATIONS), pool=pools,
          delta=st.integers(-6, 6).filter(bool))
    def adjust_stock(self, sku: str, location: str, pool: str, delta: int) -> None:
        self.refused(lambda: adjust(self.hub, self.admin, sku, location, delta, pool=pool),
                     NegativeStock, InsufficientStock)

    @rule(sku=st.sampled_from(SKUS), location=st.sampled_from(LOCATIONS), pool=pools,
          counted=st.integers(0, 12))
    def count_stock(self, sku: str, location: str, pool: str, counted: int) -> None:
        self.refused(lambda: count(self.hub, self.admin, sku, location, counted, pool=pool), InsufficientStock)

    @rule(sku=st.sampled_from(SKUS), location=st.sampled_from(LOCATIONS), quantity=st.integers(0, 3))
    def keep_safety_stock(self, sku: str, location: str, quantity: int) -> None:
        set_safety_stock(self.hub, self.admin, sku, location, quantity)

    @rule(target=transfers, sku=st.sampled_from(SKUS), source=st.sampled_from(LOCATIONS),
          pool=pools, quantity=st.integers(1, 5))
    def send_stock(self, sku: str, source: str, pool: str, quantity: int) -> Any:
        target = LOCATIONS[1 - LOCATIONS.index(source)]
        sent = self.refused(lambda: transfer(self.hub, self.admin, source, target, {sku: quantity}, pool=pool),
                            NegativeStock, InsufficientStock)
        return multiple() if sent is None else sent

    @rule(transfer_id=consumes(transfers))
    def receive_sent_stock(self, transfer_id: str) -> None:
        receive_transfer(self.hub, self.admin, transfer_id)

    @rule(channel=st.sampled_from(sorted(CHANNELS)), external_id=st.sampled_from(EXTERNAL_IDS), lines=order_lines,
          on_shortage=st.sampled_from(["backorder", "reject"]), payment=st.sampled_from(["paid", "pending"]),
          version=st.sampled_from(VERSIONS), cancelled=rarely)
    def import_an_order(self, channel: str, external_id: str, lines: list, on_shortage: str, payment: str,
                        version: str | None, cancelled: bool) -> None:
        key = (channel, external_id)
        imported = self.refused(lambda: import_order(
            self.hub, self.admin, channel=channel, external_id=external_id, lines=lines, on_shortage=on_shortage,
            payment_state=payment, updated_at=version, cancelled=cancelled), InsufficientStock)
        if imported is None:
            assert on_shortage == "reject" and key not in self.orders
        elif key in self.orders:
            assert (imported.order_id, imported.created) == (self.orders[key], False)
        else:
            assert imported.created
            self.orders[key] = imported.order_id

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), lines=order_lines, payment=st.sampled_from(["paid", "pending"]),
          version=st.sampled_from(VERSIONS), cancelled=rarely)
    def import_a_known_order_again(self, data: st.DataObject, lines: list, payment: str, version: str | None,
                                   cancelled: bool) -> None:
        """The channel sends an order we have: the same version again, an older one, or a newer one."""
        channel, external_id = data.draw(st.sampled_from(sorted(self.orders)))
        self.import_an_order(channel, external_id, lines, "backorder", payment, version, cancelled)

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def cancel_an_order(self, data: st.DataObject) -> None:
        order_id = self.orders[data.draw(st.sampled_from(sorted(self.orders)))]
        self.refused(lambda: cancel_order(self.hub, self.admin, order_id), InvalidTransition)

    @invariant()
    def the_invariants_hold(self) -> None:
        tenant_id = self.admin.tenant_id
        for lv in stock_levels(self.hub, tenant_id):
            assert 0 <= lv.reserved <= lv.on_hand and lv.in_transit >= 0 and lv.safety >= 0
        assert ledger_differences(self.hub, tenant_id) == []
        assert reservation_mismatches(self.hub, tenant_id) == []
        assert repeated_orders(self.hub, tenant_id) == []
        bystander_id, rows = self.bystander
        assert tenant_rows(self.hub, bystander_id) == rows


def bystander(hub: Hub) -> tuple[Any, tuple]:
    """A tenant with stock, a reserved order and one awaiting stock, that the examples must never touch."""
    admin = create_shop(hub, "bystander", stock=5, sku="TEE", location="WH-A")
    import_order(hub, admin, external_id="E-1", lines=[line("TEE", quantity=3)])
    import_order(hub, admin, external_id="E-2", lines=[line("TEE", quantity=9)])
    return admin.tenant_id, tenant_rows(hub, admin.tenant_id)


def test_stock_and_orders_keep_the_invariants(hub: Hub) -> None:
    machine = type("StockMachineOnThisDatabase", (StockMachine,), {"hub": hub, "bystander": bystander(hub)})
    run_state_machine_as_test(machine, settings=stateful(stateful_step_count=25))


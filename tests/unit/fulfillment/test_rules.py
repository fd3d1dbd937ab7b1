"""Pure fulfilment rules: allocation of reserved units, consumption on shipping, tracking and order steps."""

import uuid

import pytest

from flexhub.fulfillment.errors import InvalidShipmentTransition, NothingToShip, NotShippable, WrongPickupCode
from flexhub.fulfillment.rules import (
    Held,
    allocate,
    check_pickup_code,
    check_transition,
    consume,
    order_status_after,
    pickup_code,
    reship_takes,
    tracking_target,
)
from flexhub.inventory.errors import InsufficientStock
from flexhub.inventory.rules import Level

TEE, CAP = uuid.UUID(int=1), uuid.UUID(int=2)


def test_a_shipment_takes_what_open_shipments_left() -> None:
    held = [Held(1, TEE, "spot", 3, uuid.UUID(int=9)), Held(2, CAP, "spot", 1, uuid.UUID(int=8))]
    assert allocate(held, [Held(1, TEE, "spot", 2)], None) == [Held(1, TEE, "spot", 1), Held(2, CAP, "spot", 1)]
    assert allocate(held, [], {1: 2}) == [Held(1, TEE, "spot", 2)]
    with pytest.raises(NothingToShip):
        allocate(held, [Held(1, TEE, "spot", 2)], {1: 2})
    with pytest.raises(NothingToShip):
        allocate(held, [], {3: None})


def test_shipping_part_of_a_reservation_holds_its_rest_again() -> None:
    r1, r2 = Held(1, TEE, "spot", 2, uuid.UUID(int=5)), Held(1, TEE, "spot", 2, uuid.UUID(int=6))
    used = consume([r1, r2], [Held(1, TEE, "spot", 3)])
    assert used.closed == [r1.id, r2.id] and used.remainders == [Held(1, TEE, "spot", 1, r2.id)]
    with pytest.raises(NotShippable):
        consume([r1], [Held(1, TEE, "spot", 3)])


def test_tracking_moves_forward_only() -> None:
    assert tracking_target("shipped", "picked_up") == "in_transit"
    assert tracking_target("in_transit", "delivered") == "delivered"
    assert tracking_target("delivered", "in_transit") is None
    assert tracking_target("in_transit", "failed_attempt") is None
    assert tracking_target("in_transit", "exception") == "failed"


def test_order_steps_and_shipment_states() -> None:
    assert order_status_after("pick", "routed") == "picking"
    assert order_status_after("pick", "packed") is None
    assert order_status_after("ship", "packed", units_left=1) == "partially_shipped"
    assert order_status_after("ship", "partially_shipped") == "shipped"
    assert order_status_after("deliver", "shipped", all_delivered=False) is None
    with pytest.raises(InvalidShipmentTransition):
        check_transition("created", "shipped")


def test_pickup_codes_are_six_digits_and_must_match() -> None:
    assert pickup_code(42) == "000042"
    check_pickup_code("000042", " 000042 ")
    with pytest.raises(WrongPickupCode):
        check_pickup_code("000042", "000043")


def test_a_lost_parcels_replacement_takes_the_same_units_at_the_same_node() -> None:
    node, level_id = uuid.UUID(int=9), uuid.UUID(int=10)
    levels = {(TEE, node, "spot"): Level(level_id, TEE, node, "spot", on_hand=5, reserved=0)}
    [take] = reship_takes([Held(1, TEE, "spot", 2)], levels, node)
    assert (take.level_id, take.sku_id, take.location_id, take.pool, take.quantity, take.line_no) == (
        level_id, TEE, node, "spot", 2, 1)
    with pytest.raises(InsufficientStock):
        reship_takes([Held(2, CAP, "spot", 1)], levels, node)  # the node holds no CAP at all
    check_transition("in_transit", "lost")
    with pytest.raises(InvalidShipmentTransition):
        check_transition("delivered", "lost")

"""The pure purchasing rules: the order state machine's table, announcing, comparing receipts, capacity."""

import pytest

from flexhub.purchasing import rules
from flexhub.purchasing.errors import InvalidLines, InvalidResolution, InvalidTransition, OverAnnounced, OverCapacity


@pytest.mark.parametrize(("state", "action", "target"), [
    ("draft", "send", "sent"), ("sent", "confirm", "confirmed"), ("sent", "propose_change", "changed"),
    ("changed", "accept_change", "confirmed"), ("changed", "reject_change", "sent"),
    ("confirmed", "cancel", "cancelled"), ("partly_received", "close", "closed"), ("received", "close", "closed"),
])
def test_each_step_leads_where_the_table_says(state: str, action: str, target: str) -> None:
    assert rules.after(state, action) == target


@pytest.mark.parametrize(("state", "action"), [
    ("draft", "confirm"), ("confirmed", "confirm"), ("received", "cancel"), ("partly_received", "cancel"),
    ("closed", "send"), ("cancelled", "send"), ("sent", "close"), ("confirmed", "propose_change"),
])
def test_steps_out_of_order_are_refused(state: str, action: str) -> None:
    with pytest.raises(InvalidTransition) as refused:
        rules.after(state, action)
    assert refused.value.details == {"state": state, "action": action}


def test_open_and_on_order_never_go_negative_on_an_over_receipt() -> None:
    over = rules.Line("TEE", quantity=10, received=12)
    assert (over.open, over.on_order) == (0, 0)
    assert rules.Line("TEE", 10, received=4, announced=3).open == 3


def test_a_notice_ships_only_what_is_open_and_on_the_order() -> None:
    lines = [rules.Line("TEE", 10, received=4, announced=3)]
    rules.check_announce(lines, {"TEE": 3})
    with pytest.raises(OverAnnounced):
        rules.check_announce(lines, {"TEE": 4})
    with pytest.raises(InvalidLines):
        rules.check_announce(lines, {"CAP": 1})
    with pytest.raises(InvalidLines):
        rules.check_announce(lines, {"TEE": 0})


def test_compare_finds_short_over_and_unexpected_in_sku_order() -> None:
    found = rules.compare({"A": 5, "B": 5, "C": 5}, {"A": 5, "B": 3, "C": 7, "D": 1})
    assert [(f.sku, f.kind, f.expected, f.received) for f in found] == [
        ("B", "short", 5, 3), ("C", "over", 5, 7), ("D", "unexpected", 0, 1)]
    assert rules.compare({"A": 5}, {"A": 5}) == []


def test_the_order_is_received_when_every_line_is() -> None:
    assert rules.state_after_receipt([rules.Line("A", 5, 5), rules.Line("B", 5, 6)]) == "received"
    assert rules.state_after_receipt([rules.Line("A", 5, 5), rules.Line("B", 5, 4)]) == "partly_received"


def test_resolutions_fit_their_kind() -> None:
    rules.check_resolution("short", "close_order")
    with pytest.raises(InvalidResolution):
        rules.check_resolution("short", "return_to_supplier")
    with pytest.raises(InvalidResolution):
        rules.check_resolution("over", "expect_rest")


def test_a_factory_takes_no_more_than_it_makes_by_the_due_date() -> None:
    rules.check_capacity(daily_capacity=100, days=10, booked=400, wanted=600)
    with pytest.raises(OverCapacity) as refused:
        rules.check_capacity(daily_capacity=100, days=10, booked=400, wanted=601)
    assert refused.value.details == {"room": 600, "wanted": 601}
    with pytest.raises(OverCapacity):
        rules.check_capacity(daily_capacity=100, days=0, booked=0, wanted=1)


def test_the_brand_amends_quantities_never_below_what_came_in_or_is_on_its_way() -> None:
    lines = [rules.Line("TEE-RED-M", 60, received=10, announced=20), rules.Line("CAP-BLU", 5)]

    rules.check_amend(lines, {"TEE-RED-M": 30, "CAP-BLU": 1})  # 10 in and 20 on their way: 30 is the floor

    with pytest.raises(InvalidLines) as below:
        rules.check_amend(lines, {"TEE-RED-M": 29})
    assert below.value.details["minimum"] == {"TEE-RED-M": 30}
    with pytest.raises(InvalidLines):
        rules.check_amend(lines, {"HOODIE": 3})  # not on the order

"""Pure return rules: receipt quantities, grades and the regional returns centre."""

import uuid

import pytest

from flexhub.returns.errors import InvalidGrading, InvalidReturnTransition
from flexhub.returns.rules import check_grades, check_transition, received_quantities, returns_centre


def test_received_defaults_to_everything_expected_and_never_more() -> None:
    assert received_quantities({"TEE": 2}, None) == {"TEE": 2}
    assert received_quantities({"TEE": 2, "CAP": 1}, {"TEE": 1}) == {"TEE": 1, "CAP": 0}
    with pytest.raises(InvalidGrading):
        received_quantities({"TEE": 2}, {"TEE": 3})


def test_every_received_unit_gets_one_grade() -> None:
    check_grades({"TEE": 2}, {"TEE": {"resellable": 1, "scrap": 1}})
    for grades in ({"TEE": {"resellable": 1}}, {"TEE": {"refurbish_pool": 2}}, {"TEE": {"scrap": 2}, "CAP": {}}):
        with pytest.raises(InvalidGrading):
            check_grades({"TEE": 2}, grades)
    with pytest.raises(InvalidReturnTransition):
        check_transition("open", "inspected")


def test_the_returns_centre_is_the_provinces_else_the_countrys_else_the_catch_all() -> None:
    east, north, anywhere = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
    centres = {"浙江省": east, "CN": north, "*": anywhere}
    assert returns_centre(centres, {"country": "CN", "province": "浙江省"}) == east
    assert returns_centre(centres, {"country": "CN", "province": "北京市"}) == north
    assert returns_centre(centres, {"country": "US", "province": "NY"}) == anywhere
    assert returns_centre({"浙江省": east}, {"country": "US"}) is None
    assert returns_centre({"*": anywhere}, None) == anywhere

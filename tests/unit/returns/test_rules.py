"""Pure return rules: receipt quantities and grades."""

import pytest

from flexhub.returns.errors import InvalidGrading, InvalidReturnTransition
from flexhub.returns.rules import check_grades, check_transition, received_quantities


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

"""The routing policy document: defaults, partial documents, node rules over kind rules, validation."""

import subprocess
import sys
from importlib import resources

import pytest
import yaml
from pydantic import ValidationError

from flexhub.routing.policy import DEFAULT_KINDS, policy_from


def test_an_empty_document_is_the_default_policy() -> None:
    policy = policy_from({})
    assert (policy.split_margin, policy.default_sla_days, policy.currency) == (1500, 3, "CNY")
    assert [s.carrier for s in policy.services] == ["zto", "sf", "ems", "dhl"]
    assert policy.kinds == DEFAULT_KINDS


def test_a_partial_document_changes_only_what_it_names() -> None:
    policy = policy_from({"weights": {"late_day": 5000}, "kinds": {"store": {"handling_fee": 900}}})
    assert policy.weights.late_day == 5000 and policy.weights.split == 500
    assert policy.rule_for("ST-1", "store").handling_fee == 900
    assert policy.rule_for("WH-1", "central").handling_fee == 100


def test_a_nodes_own_rule_goes_over_its_kinds() -> None:
    policy = policy_from({"kinds": {"store": {"handling_fee": 900, "handling_days": 1}},
                          "nodes": {"ST-1": {"handling_fee": 50, "ships_to": ["CN-ZJ"]}}})
    rule = policy.rule_for("ST-1", "store")
    assert (rule.handling_fee, rule.handling_days, rule.ships_to) == (50, 1, ["CN-ZJ"])


@pytest.mark.parametrize("document", [
    {"timezone": "Mars/Olympus"},
    {"kinds": {"warehouse": {"handling_fee": 1}}},
    {"weights": {"late_day": -1}},
    {"services": []},
    {"split_margins": 5},
])
def test_a_document_that_does_not_validate_is_refused(document: dict) -> None:
    with pytest.raises(ValidationError):
        policy_from(document)


def test_the_decision_modules_import_no_database_or_web_code() -> None:
    modules = "geo, rates, policy, candidates, plans, rules, explain"
    code = (f"import sys; from flexhub.routing import {modules}; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'fastapi', 'httpx2')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_example_file_is_a_valid_policy_that_shows_the_defaults() -> None:
    text = resources.files("flexhub.routing").joinpath("policy.example.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    example = policy_from(document)
    default = policy_from({})
    assert example.model_dump(exclude={"nodes"}) == default.model_dump(exclude={"nodes"})
    assert example.rule_for("WH-OLD-DEPOT", "regional").excluded

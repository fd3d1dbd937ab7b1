"""Pure alert rules: which conditions hold for a SKU at a node, and what changed since the last run."""

from datetime import date

from flexhub.alerts import rules

TODAY = date(2025, 6, 18)


def test_a_stockout_inside_the_protection_interval_is_a_condition_and_outside_it_is_not() -> None:
    (out,) = rules.conditions("tee", "wh", position=10, daily=[3.0] * 28, protect_days=10, today=TODAY)
    assert (out.kind, out.detail["projected_stockout"]) == ("stockout", "2025-06-21")
    assert rules.conditions("tee", "wh", position=10, daily=[3.0] * 28, protect_days=3, today=TODAY) == []


def test_excess_is_cover_beyond_the_threshold_and_needs_some_demand() -> None:
    (excess,) = rules.conditions("tee", "wh", position=300, daily=[3.0] * 28, protect_days=10, today=TODAY)
    assert (excess.kind, excess.detail["cover_days"]) == ("excess", 100.0)
    assert rules.conditions("tee", "wh", position=270, daily=[3.0] * 28, protect_days=10, today=TODAY) == []
    assert rules.conditions("tee", "wh", position=300, daily=[0.0] * 28, protect_days=10, today=TODAY) == []


def test_only_appearing_and_clearing_conditions_are_changes() -> None:
    held = [("tee", "wh", "stockout"), ("cap", "wh", "excess")]
    now = [rules.Condition("tee", "wh", "stockout"), rules.Condition("tee", "wh", "excess")]
    raised, cleared = rules.changes(held, now)
    assert [c.key for c in raised] == [("tee", "wh", "excess")]
    assert cleared == [("cap", "wh", "excess")]
    assert rules.changes([c.key for c in now], now) == ([], [])

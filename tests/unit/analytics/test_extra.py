"""The optional dependencies, named when one cannot be imported."""

import sys

import pytest

from flexhub.analytics import extra


def test_a_missing_module_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    assert extra.missing() == []
    monkeypatch.setitem(sys.modules, "polars", None)
    assert extra.missing() == ["polars"]

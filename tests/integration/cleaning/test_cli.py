"""`flexhub cleaning load|show`: rules from a YAML file, printed back; a wrong file changes nothing."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flexhub.bootstrap import Hub
from flexhub.cli.main import app
from flexhub.testing.builders import create_tenant

RULES = """rules:
  - name: address
    kind: address
  - name: blocked
    kind: blacklist
    action: reject
    params: {phones: ["13900000000"]}
"""


@pytest.fixture
def tenant(hub: Hub, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    create_tenant(hub)
    return hub


def cleaning(*arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["cleaning", *arguments, "--tenant", "acme"])


def test_rules_load_from_yaml_and_show(tenant: Hub, tmp_path: Path) -> None:
    file = tmp_path / "rules.yaml"
    file.write_text(RULES, encoding="utf-8")

    loaded = cleaning("load", str(file))
    shown = cleaning("show")

    assert loaded.exit_code == 0, loaded.output
    assert "2 rules: address, blocked" in loaded.output
    assert [(r["name"], r["action"]) for r in json.loads(shown.stdout)] == [("address", "hold"), ("blocked", "reject")]


def test_a_wrong_file_is_refused_with_its_code_and_changes_nothing(tenant: Hub, tmp_path: Path) -> None:
    good, bad = tmp_path / "rules.yaml", tmp_path / "bad.yaml"
    good.write_text(RULES, encoding="utf-8")
    bad.write_text("rules:\n  - name: x\n    kind: horoscope\n", encoding="utf-8")
    cleaning("load", str(good))

    refused = cleaning("load", str(bad))

    assert refused.exit_code == 1 and "cleaning.unknown_kind" in refused.output
    assert [r["name"] for r in json.loads(cleaning("show").stdout)] == ["address", "blocked"]

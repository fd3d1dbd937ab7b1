"""Under CI=true (any case) a skip fails the run; elsewhere it stays a skip; xfail is untouched. The Hypothesis
profile follows CI too."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from flexhub.testing import properties
from flexhub.testing.database import running_in_ci

TESTS = '''
import pytest

def test_skips_at_run():
    pytest.skip("no tool here")

@pytest.mark.skipif(True, reason="marked to skip")
def test_skips_by_marker():
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_to_fail():
    assert False

def test_passes():
    pass
'''
MODULE_SKIP = 'import pytest\npytest.importorskip("no_such_module_for_flexhub")\n\ndef test_x():\n    pass\n'


def run(directory: Path, ci: str | None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": ci} if ci is not None else {})
    (directory / "pytest.ini").write_text("[pytest]\n")
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "flexhub.testing.ci_skips", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "-q", "-rA", str(directory)],
                          capture_output=True, text=True, env=environment, cwd=directory, timeout=120)


@pytest.mark.parametrize("ci", ["true", "TRUE"])
def test_under_ci_a_skip_fails(tmp_path: Path, ci: str) -> None:
    (tmp_path / "test_tools.py").write_text(TESTS)

    result = run(tmp_path, ci)

    assert result.returncode == 1, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert "skipped" not in summary, summary
    assert "1 passed" in summary and "1 xfailed" in summary, summary
    for name in ("test_skips_at_run", "test_skips_by_marker"):
        assert f"{name} - skipped under CI=true" in result.stdout, result.stdout


def test_under_ci_a_module_skipped_while_collecting_fails(tmp_path: Path) -> None:
    (tmp_path / "test_module.py").write_text(MODULE_SKIP)

    result = run(tmp_path, "true")

    assert result.returncode != 0, result.stdout
    assert "ERROR test_module.py - skipped under CI=true" in result.stdout, result.stdout
    assert "no_such_module_for_flexhub" in result.stdout


@pytest.mark.parametrize("ci", [None, "false"])
def test_outside_ci_a_skip_is_a_skip(tmp_path: Path, ci: str | None) -> None:
    (tmp_path / "test_tools.py").write_text(TESTS)

    result = run(tmp_path, ci)

    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("value", "in_ci"), [("true", True), ("TRUE", True), ("1", True), ("false", False),
                                               ("", False), (None, False)])
def test_one_helper_decides_in_ci(monkeypatch: pytest.MonkeyPatch, value: str | None, in_ci: bool) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert running_in_ci() is in_ci


@pytest.mark.parametrize(("ci", "asked", "profile", "stateful_examples"), [
    (None, None, "dev", 6), ("true", None, "ci", 30), ("TRUE", None, "ci", 30), ("true", "nightly", "nightly", 300),
])
def test_the_hypothesis_profile_follows_ci(monkeypatch: pytest.MonkeyPatch, ci: str | None, asked: str | None,
                                           profile: str, stateful_examples: int) -> None:
    for name, value in (("CI", ci), ("HYPOTHESIS_PROFILE", asked)):
        monkeypatch.delenv(name, raising=False) if value is None else monkeypatch.setenv(name, value)
    assert properties.profile_name() == profile
    assert properties.stateful().max_examples == stateful_examples


def test_this_run_loaded_its_profile() -> None:
    assert settings().max_examples == properties.PROFILES[properties.profile_name()][0]

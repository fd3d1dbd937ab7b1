"""Under CI=true nothing skips: a pytest plugin that turns a skipped test, or a module skipped while
collecting (importorskip, allow_module_level), into a failure that says what to install.

A missing tool or server is the set-up's fault (`.ci/run`, the Makefile), and a silent skip hides it.
An expected failure (xfail) is not a skip. The root conftest imports the two hooks.
"""

from collections.abc import Generator

import pytest
from pluggy import Result

from flexhub.testing.database import running_in_ci

# Tests allowed to skip under CI=true, by node id (with or without its parameters), each with the
# documented reason it cannot run in CI. Empty: under CI every test runs.
ALLOWED: dict[str, str] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, Result[pytest.TestReport], None]:
    outcome = yield
    fail_a_skip_in_ci(outcome.get_result(), item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Result[pytest.CollectReport], None]:
    outcome = yield
    fail_a_skip_in_ci(outcome.get_result(), collector.nodeid)


def fail_a_skip_in_ci(report: pytest.TestReport | pytest.CollectReport, nodeid: str,
                      allowed: dict[str, str] = ALLOWED) -> None:
    if not report.skipped or hasattr(report, "wasxfail") or not running_in_ci():
        return
    if nodeid in allowed or nodeid.split("[")[0] in allowed:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"skipped under CI=true, where nothing may skip ({reason}); install what it needs in the "
                       "set-up (.ci/run, Makefile) or allow it in flexhub.testing.ci_skips.ALLOWED with the reason")

"""Whether the `analytics` extra is installed: DuckDB, Polars and PyArrow are optional dependencies."""

import importlib

from flexhub.analytics.errors import AnalyticsUnavailable

MODULES = ("duckdb", "polars", "pyarrow")


def missing() -> list[str]:
    absent = []
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            absent.append(name)
    return absent


def require() -> None:
    """Raises AnalyticsUnavailable (501) naming what is not installed."""
    absent = missing()
    if absent:
        raise AnalyticsUnavailable(
            f"analytics need {', '.join(absent)}: install flexhub with the `analytics` extra "
            "(pip install 'flexhub[analytics]')", missing=absent)

"""The public face of flexhub.analytics: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.analytics.errors import AnalyticsUnavailable, UnknownFormat

__all__ = ["AnalyticsUnavailable", "UnknownFormat"]

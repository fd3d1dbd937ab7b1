"""The public face of flexhub.planning: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.planning.commands import HistoryImported, ImportSalesHistory, SalesDay
from flexhub.planning.errors import DuplicateSalesDay
from flexhub.planning.events import SalesHistoryImported
from flexhub.planning.repository import imported_sales

__all__ = ["DuplicateSalesDay", "HistoryImported", "ImportSalesHistory", "SalesDay", "SalesHistoryImported",
           "imported_sales"]

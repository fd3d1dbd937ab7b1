"""The public face of flexhub.lists: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.lists.errors import BadCursor, UnknownExportFormat, UnknownSort
from flexhub.lists.exports import FORMATS, export_response
from flexhub.lists.queries import ListSpec, Page, every_row, page_of
from flexhub.lists.rules import SortOrder, parse_sort

__all__ = ["FORMATS", "BadCursor", "ListSpec", "Page", "SortOrder", "UnknownExportFormat", "UnknownSort",
           "every_row", "export_response", "page_of", "parse_sort"]

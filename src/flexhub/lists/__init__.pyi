"""The public face of flexhub.lists: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.lists.errors import BadCursor, UnknownExportFormat, UnknownSort
from flexhub.lists.exports import FORMATS, Column, clock_time, export_response, export_table, major_units, text
from flexhub.lists.queries import ListSpec, Page, every_row, page_of
from flexhub.lists.rules import SortOrder, parse_sort
from flexhub.lists.search import Match, containing, every_word, may_be_near, near_containing, words

__all__ = ["FORMATS", "BadCursor", "Column", "ListSpec", "Match", "Page", "SortOrder", "UnknownExportFormat",
           "UnknownSort", "clock_time", "containing", "every_row", "every_word", "export_response", "export_table",
           "major_units", "may_be_near", "near_containing", "page_of", "parse_sort", "text", "words"]

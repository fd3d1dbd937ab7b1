"""The public face of flexhub.filters: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.filters.applied import applied
from flexhub.filters.commands import DeleteFilter, FilterDeleted, FilterSaved, SaveFilter
from flexhub.filters.errors import (
    FilterNameTaken,
    FilterOfAnotherList,
    InvalidFilter,
    NotYourFilter,
    PersonalFilterForbidden,
    UnknownFilter,
)
from flexhub.filters.queries import saved_filter, saved_filters
from flexhub.filters.rules import LISTS

__all__ = ["LISTS", "DeleteFilter", "FilterDeleted", "FilterNameTaken", "FilterOfAnotherList", "FilterSaved",
           "InvalidFilter", "NotYourFilter", "PersonalFilterForbidden", "SaveFilter", "UnknownFilter", "applied",
           "saved_filter", "saved_filters"]

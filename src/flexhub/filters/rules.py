"""What a saved filter may hold, pure: the filters of one list page by the names its form and its address use,
each value of the shape that filter takes. A phone's ending is personal data: only a role that sees phones keeps
one, and never in a filter shared with others (they may not see phones)."""

import re
from collections.abc import Mapping

from flexhub.filters.errors import InvalidFilter, PersonalFilterForbidden

TEXT = re.compile(r"[^\x00-\x1f]{1,64}")
NUMBER = re.compile(r"[^\x00-\x1f]{1,120}")
CODE = re.compile(r"[a-z_]{1,32}")
PHONE = re.compile(r"\d{3,11}")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SORT = re.compile(r"-?[a-z_]{1,32}")

# Each list a filter can be saved for → its filters (the page's query parameters) and the shape of each value.
LISTS: dict[str, dict[str, re.Pattern[str]]] = {
    "orders": {"channel": TEXT, "status": CODE, "q": TEXT, "external_id": NUMBER, "phone": PHONE, "since": DAY,
               "until": DAY, "sort": SORT},
    "stock": {"q": TEXT, "node": TEXT, "sort": SORT},
}
PERSONAL = frozenset({"phone"})
MAX_NAME = 80
MAX_PER_LIST = 50  # an owner's filters of one list


def checked_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise InvalidFilter(f"a saved filter's name is 1 to {MAX_NAME} characters", field="name")
    return cleaned


def checked_query(list_name: str, query: Mapping[str, str], *, shared: bool, sees_phones: bool) -> dict[str, str]:
    """The filters to keep (empty ones dropped), in the list's order; InvalidFilter for an unknown list or filter,
    a value of the wrong shape or nothing to keep; PersonalFilterForbidden for a phone from a role without phones."""
    fields = LISTS.get(list_name)
    if fields is None:
        raise InvalidFilter(f"no list {list_name!r}: one of {', '.join(LISTS)}", field="list", allowed=list(LISTS))
    unknown = sorted(set(query) - set(fields))
    if unknown:
        raise InvalidFilter(f"the {list_name} list has no filter {unknown[0]!r}: {', '.join(fields)}",
                            field=unknown[0], allowed=list(fields))
    kept = {name: query[name].strip() for name in fields if query.get(name, "").strip()}
    if not kept:
        raise InvalidFilter("choose at least one filter to save", field="filters")
    for name, value in kept.items():
        if not fields[name].fullmatch(value):
            raise InvalidFilter(f"{value!r} is not a value of the {name} filter", field=name)
    if PERSONAL & set(kept):
        if not sees_phones:
            raise PersonalFilterForbidden("this role may not see buyers' phones, so it may not keep a filter by one")
        if shared:
            raise InvalidFilter("a filter by the buyer's phone is not shared: others may not see phones",
                                field="shared")
    return kept

"""A saved filter applied to its list by its id, the same for a list's page and its API: the filter's values under
those the request gives itself (a filter named in the request wins; one left empty keeps the saved value)."""

import uuid
from collections.abc import Mapping

from sqlalchemy import Connection

from flexhub.filters.errors import FilterOfAnotherList
from flexhub.filters.queries import saved_filter
from flexhub.kernel.messages import Actor


def applied(connection: Connection, actor: Actor, list_name: str, filter_id: uuid.UUID | None,
            given: Mapping[str, str | None]) -> dict[str, str]:
    """The list's filters for this request, empty ones dropped. 404 `filters.unknown_filter` for a filter the
    actor does not see (another tenant's, another person's private one); 422 `filters.another_list` for one saved
    for another list."""
    asked = {name: value.strip() for name, value in given.items() if value and value.strip()}
    if filter_id is None:
        return asked
    found = saved_filter(connection, actor, filter_id)
    if found["list"] != list_name:
        raise FilterOfAnotherList(f"saved filter {filter_id} is of the {found['list']} list, not the {list_name} list",
                                  filter_list=found["list"], list=list_name)
    return {**found["filters"], **asked}

"""The statement formats installed: every plug-in registered under the `flexhub.statements` entry point group,
by its `format` name."""

from functools import cache

from flexhub.finance.errors import UnknownFormat
from flexhub.finance.formats.lines import StatementFormat
from flexhub.kernel import plugins

GROUP = "flexhub.statements"


@cache
def formats() -> dict[str, StatementFormat]:
    return plugins.load(GROUP, "format")


def format_named(name: str) -> StatementFormat:
    found = formats().get(name)
    if found is None:
        raise UnknownFormat(f"no statement format {name!r}; one of {', '.join(sorted(formats()))}",
                            formats=sorted(formats()))
    return found

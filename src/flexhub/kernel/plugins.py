"""Plug-ins found through an entry point group, each an adapter class keyed by one of its attributes."""

from importlib.metadata import entry_points
from typing import Any


def load(group: str, key: str) -> dict[str, Any]:
    """An instance of every class registered under `group`, by the value of its `key` attribute."""
    found = {}
    for entry in entry_points(group=group):
        adapter = entry.load()()
        found[getattr(adapter, key)] = adapter
    return found

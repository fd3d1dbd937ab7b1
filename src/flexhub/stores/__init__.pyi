"""The public face of flexhub.stores: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.stores.commands import SetShelfPrice
from flexhub.stores.errors import NotAStore, UnknownShelfLink
from flexhub.stores.queries import shelf_view

__all__ = ["NotAStore", "SetShelfPrice", "UnknownShelfLink", "shelf_view"]

"""The public face of flexhub.catalog: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.catalog.commands import CreateBundle, CreateSku, SkuCreated, SkuUpdated, UpdateSku
from flexhub.catalog.errors import InvalidBundle, SkuExists, UnknownSku
from flexhub.catalog.repository import components_of, skus_by_code

__all__ = [
    "CreateBundle", "CreateSku", "InvalidBundle", "SkuCreated", "SkuExists", "SkuUpdated", "UnknownSku",
    "UpdateSku", "components_of", "skus_by_code",
]

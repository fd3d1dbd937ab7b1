"""The shopper's link of a SKU in a store: the tenant, the store and the SKU in the path, and a tag the hub's key
makes, so a link works only as printed (nobody reads another tenant's stock by writing a path)."""

import uuid
from urllib.parse import quote

from flexhub.integrations.vault import Vault

PREFIX = "/s"


def shelf_path(vault: Vault, tenant_id: uuid.UUID, location: str, sku: str) -> str:
    tag = vault.tag(_signed(tenant_id, location, sku))
    return f"{PREFIX}/{tenant_id}/{quote(location, safe='')}/{quote(sku, safe='')}?k={tag}"


def is_genuine(vault: Vault, tenant_id: uuid.UUID, location: str, sku: str, tag: str) -> bool:
    return vault.has_tag(_signed(tenant_id, location, sku), tag)


def _signed(tenant_id: uuid.UUID, location: str, sku: str) -> str:
    return f"shelf\n{tenant_id}\n{location}\n{sku}"

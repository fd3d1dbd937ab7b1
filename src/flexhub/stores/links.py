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


def sale_path(vault: Vault, tenant_id: uuid.UUID, location: str, sale_id: uuid.UUID) -> str:
    """The shopper's receipt of a sale made on the phone page: its state, its pick-up code, where it ships from."""
    tag = vault.tag(f"sale\n{tenant_id}\n{location}\n{sale_id}")
    return f"{PREFIX}/{tenant_id}/{quote(location, safe='')}/sales/{sale_id}?t={tag}"


def is_genuine_sale(vault: Vault, tenant_id: uuid.UUID, location: str, sale_id: uuid.UUID, tag: str) -> bool:
    return vault.has_tag(f"sale\n{tenant_id}\n{location}\n{sale_id}", tag)

"""The shopper's cart on the phone page: its lines (SKU, units, way of fulfilment) carried in the page's own links as
a token the hub's key tags for one store of one tenant, so the cart needs no sign-in and no table, and nobody can
make one for another store or change one by hand."""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass

from flexhub.integrations.vault import Vault
from flexhub.stores.errors import InvalidSale
from flexhub.stores.rules import MODES

MAX_LINES, MAX_UNITS = 20, 99


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int
    mode: str


def added(lines: list[CartLine], line: CartLine) -> list[CartLine]:
    """The cart with `line` in it: units of the same SKU and way add up."""
    if line.mode not in MODES or not 1 <= line.quantity <= MAX_UNITS:
        raise InvalidSale("a cart line is 1 to 99 units, taken now, picked up later or shipped", mode=line.mode)
    merged, found = [], False
    for kept in lines:
        if (kept.sku, kept.mode) == (line.sku, line.mode):
            kept, found = CartLine(kept.sku, min(MAX_UNITS, kept.quantity + line.quantity), kept.mode), True
        merged.append(kept)
    if not found:
        merged.append(line)
    if len(merged) > MAX_LINES:
        raise InvalidSale(f"a cart holds {MAX_LINES} lines at most")
    return merged


def token(vault: Vault, tenant_id: uuid.UUID, location: str, lines: list[CartLine]) -> str:
    body = base64.urlsafe_b64encode(json.dumps([[x.sku, x.quantity, x.mode] for x in lines],
                                               ensure_ascii=False, separators=(",", ":")).encode()).decode()
    return f"{body}.{vault.tag(_signed(tenant_id, location, body))}"


def read(vault: Vault, tenant_id: uuid.UUID, location: str, text: str) -> list[CartLine]:
    """The cart a token holds; an empty cart for no token; InvalidSale for one this hub did not make here."""
    if not text:
        return []
    body, _, tag = text.partition(".")
    if not vault.has_tag(_signed(tenant_id, location, body), tag):
        raise InvalidSale("this cart was not made in this store")
    try:
        return [CartLine(str(sku), int(quantity), str(mode))
                for sku, quantity, mode in json.loads(base64.urlsafe_b64decode(body.encode()))]
    except (ValueError, TypeError, binascii.Error):
        raise InvalidSale("this cart cannot be read") from None


def _signed(tenant_id: uuid.UUID, location: str, body: str) -> str:
    return f"cart\n{tenant_id}\n{location}\n{body}"

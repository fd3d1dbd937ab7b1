"""What a role may see of an answer. Personal data masked for roles that do not need it: buyers' names, phones,
e-mails and addresses, in the order's header and in the raw channel payload (JSON walked key by key; any other
text by its digit runs). And the brand's nodes left out for roles without `nodes.read` (a partner's key): a
reseller's parcels are drop-shipped blind, so its orders and parcels never name the brand's warehouse.

Rules of the role (`personal_data.read`, `nodes.read`), applied wherever an order or a parcel leaves: the API's
answers and the pages."""

import json
import re
from collections.abc import Mapping
from typing import Any

from flexhub.identity.roles import may

# A key naming any of these holds personal data, and so does everything under it.
PERSONAL_KEYS = ("buyer", "receiver", "consignee", "customer", "recipient", "address", "addr", "phone", "mobile",
                 "tel", "email", "nick", "contact", "id_card", "idcard", "open_id", "openid")
REGION_KEYS = frozenset({"country", "province", "city", "district", "region", "state"})
LONG_DIGITS = re.compile(r"\d{7,}")
E_MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def masked_text(value: str) -> str:
    """`13800138000` → `*******8000`; `张三` → `张*`; an e-mail keeps its first letter and domain."""
    if "@" in value and E_MAIL.fullmatch(value.strip()):
        local, domain = value.strip().split("@", 1)
        return f"{local[:1]}***@{domain}"
    digits = sum(ch.isdigit() for ch in value)
    if digits >= 7:
        return "*" * (len(value) - 4) + value[-4:]
    return value[:1] + "*" * max(1, min(len(value) - 1, 6)) if value else value


def masked_document(value: Any, *, personal: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: v if personal and k in REGION_KEYS and not isinstance(v, dict | list)
                else masked_document(v, personal=personal or _is_personal(str(k))) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_document(v, personal=personal) for v in value]
    if personal and isinstance(value, str):
        return masked_text(value)
    if personal and isinstance(value, int | float) and not isinstance(value, bool):
        return masked_text(str(value))
    return value


def masked_address(address: dict[str, Any]) -> dict[str, Any]:
    """The region stays (it says where stock must go); the street, the name and the numbers do not."""
    return {k: v if k in REGION_KEYS or not isinstance(v, str) else masked_text(v) for k, v in (address or {}).items()}


def order_as_seen_by(role: str, order: Mapping[str, Any]) -> dict[str, Any]:
    """An order (its header as the API and pages show it) as `role` may see it: without `personal_data.read`
    the buyer is masked and the address keeps only its region; without `nodes.read` its reservations and the
    list's `nodes` name no node of the brand."""
    shown = dict(order)
    if not may(role, "personal_data.read"):
        shown |= {"buyer": masked_document(order.get("buyer") or {}, personal=True),
                  "shipping_address": masked_address(order.get("shipping_address") or {})}
    if not may(role, "nodes.read"):
        if "reservations" in shown:
            shown["reservations"] = [{**r, "location": None} for r in shown["reservations"]]
        if "nodes" in shown:
            shown["nodes"] = []
    return shown


def shipment_as_seen_by(role: str, shipment: Mapping[str, Any]) -> dict[str, Any]:
    """A parcel as `role` may see it: without `nodes.read` the node it left from is not named (blind drop-ship);
    its state, carrier, waybill and tracking stay."""
    return dict(shipment) if may(role, "nodes.read") else {**shipment, "node": None}


def masked_payload(body: str) -> str:
    """A raw body with its personal data masked: JSON by key, anything else by long digit runs and e-mails."""
    try:
        parsed = json.loads(body)
    except ValueError:
        text = E_MAIL.sub(lambda m: masked_text(m.group(0)), body)
        return LONG_DIGITS.sub(lambda m: masked_text(m.group(0)), text)
    return json.dumps(masked_document(parsed), ensure_ascii=False, indent=2)


def readable_payload(body: str) -> str:
    """A raw body as sent, JSON indented for reading (escaped by the template, never trusted as HTML)."""
    try:
        return json.dumps(json.loads(body), ensure_ascii=False, indent=2)
    except ValueError:
        return body


def _is_personal(key: str) -> bool:
    lowered = key.lower()
    return any(token in lowered for token in PERSONAL_KEYS)

"""Pure ERP decisions: each kind's credentials, who owns which field in which direction, what an ERP's bad answer
means for a document (try again, or park it with a reason a person can read), and the documents sent."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The credentials each kind of ERP signs in with (the connection's contract).
CREDENTIALS: dict[str, tuple[str, ...]] = {
    "odoo": ("database", "login", "api_key"),
    "erpnext": ("api_key", "api_secret"),
    "kingdee": ("acct_id", "username", "app_id", "app_secret", "lcid"),
}
DOCUMENT_JOB = "erp.document"  # the job queue's kind: one job per document
DOCUMENT_KINDS = ("sale_order", "delivery", "credit_note", "receipt", "stock_in", "stock_out", "journal")
STREAMS = ("products", "suppliers", "purchase_orders")
# Who owns a field: the ERP the product master and its costs, the hub what it sells and its orders. A field's
# owner's value wins; a change from the other side is shown as a conflict, never written over it.
OWNERSHIP: dict[str, dict[str, str]] = {
    "product": {"name": "erp", "barcode": "erp", "standard_cost": "erp", "available": "hub"},
    "order": {"lines": "hub", "status": "hub"},
    # A purchase order that came from the ERP is the ERP's: its quantities, date and cancellation are taken.
    "purchase_order": {"quantities": "erp", "expected_on": "erp", "state": "erp"},
}


def missing_credentials(kind: str, given: Mapping[str, str]) -> list[str]:
    return [name for name in CREDENTIALS[kind] if not str(given.get(name) or "").strip()]


def ownership(settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The default ownership with the connection's own choices laid over it."""
    chosen = settings.get("ownership") or {}
    return {entity: {**fields, **chosen.get(entity, {})} for entity, fields in OWNERSHIP.items()}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    hub_value: Any
    erp_value: Any


def merge_from_erp(owners: Mapping[str, str], hub: Mapping[str, Any], erp: Mapping[str, Any]
                   ) -> tuple[dict[str, Any], list[FieldChange]]:
    """An ERP record laid over the hub's: the fields the ERP owns that differ are taken; a differing field the hub
    owns is a conflict, and the hub keeps its value."""
    taken: dict[str, Any] = {}
    conflicts: list[FieldChange] = []
    for field, erp_value in erp.items():
        if field not in owners or erp_value is None or hub.get(field) == erp_value:
            continue
        if owners[field] == "erp" or hub.get(field) is None:
            taken[field] = erp_value
        else:
            conflicts.append(FieldChange(field, hub.get(field), erp_value))
    return taken, conflicts


# What an ERP's bad answer is, and whether trying again can help.
RETRIED = {"session_expired", "rate_limited", "timeout", "unavailable", "unmapped"}
PARKED = {"validation", "refused", "access_denied"}


def readable(reason: str, detail: str) -> str:
    titles = {"validation": "validation error", "session_expired": "session expired", "rate_limited": "rate limit",
              "timeout": "timeout", "unavailable": "ERP unavailable", "refused": "refused by the ERP",
              "access_denied": "access denied", "unmapped": "unmapped"}
    return f"{titles.get(reason, reason)}: {detail}" if detail else titles.get(reason, reason)


def gives_up(reason: str) -> bool:
    """A document the ERP refused on its merits is parked at once: sending it again unchanged would fail again."""
    return reason in PARKED


def read_back_off(failures: int, *, first_s: float = 60.0, cap_s: float = 3600.0) -> float:
    """How long the poll leaves an ERP alone after `failures` failed reads in a row: a minute, doubled each time,
    at most an hour (a sync asked for by a person reads at once all the same)."""
    return min(first_s * 2 ** max(failures - 1, 0), cap_s)


def customer_ref(settings: Mapping[str, Any], channel: str, partner: str | None) -> tuple[str, str]:
    """The ERP customer account an order is booked to: a reseller's own, else one per channel, unless the
    connection names one (`settings.customers`: channel or reseller code → account)."""
    named = settings.get("customers") or {}
    key = partner or channel
    if key in named:
        return f"flexhub:{named[key]}", str(named[key])
    return (f"flexhub:reseller:{partner}", f"Reseller {partner}") if partner else \
        (f"flexhub:channel:{channel}", f"Channel {channel}")


def document_lines(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Lines of units per SKU, the same SKU's lines added up, in the order first seen."""
    merged: dict[str, dict[str, Any]] = {}
    for line in lines:
        if int(line["quantity"]) <= 0:
            continue
        kept = merged.setdefault(line["sku"], {"sku": line["sku"], "quantity": 0,
                                               "unit_price": line.get("unit_price")})
        kept["quantity"] += int(line["quantity"])
    return list(merged.values())


def supplier_code(connection_code: str, record: Mapping[str, Any]) -> str:
    """The hub's partner code for an ERP supplier: the ERP's own reference for it, else one made from its id."""
    own = str(record.get("code") or "").strip()
    return own[:64] if own else f"{connection_code}-supplier-{record['ref']}"[:64]


# A settlement journal's accounts by role, each mapped to an ERP account (`POST …/mappings {"kind": "account",
# "hub_code": "fees", "erp_ref": "6602"}`; `fees:<channel>` for one channel's own).
ACCOUNT_ROLES = ("clearing", "receivable", "fees", "adjustments", "bank")


def journal_lines(money: Mapping[str, int]) -> list[dict[str, Any]]:
    """A statement's money in one currency as a balanced journal: the platform's balance (clearing) takes what the
    statement left in it, fees are an expense, the bank receives the payouts, against the sales and refunds settled
    (receivable) and the adjustments. A negative amount goes to the other side; a zero one is left out."""
    sales, fees, adjustments = money["sales"] + money["refunds"], money["fees"], money["adjustments"]
    paid_out = -money["payouts"]
    kept = sales + adjustments - fees - paid_out  # what stays on the platform's balance
    lines = []
    for role, debit in (("clearing", kept), ("fees", fees), ("bank", paid_out), ("receivable", -sales),
                        ("adjustments", -adjustments)):
        if debit:
            lines.append({"role": role, "debit": max(debit, 0), "credit": max(-debit, 0)})
    return lines

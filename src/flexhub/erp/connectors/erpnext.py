"""ERPNext (Frappe) through its REST API: `Authorization: token <api_key>:<api_secret>`, documents listed with
`GET /api/resource/<DocType>?filters=…&fields=…&order_by=…&limit_page_length=…`, read with
`GET /api/resource/<DocType>/<name>`, made with `POST /api/resource/<DocType>`; answers carry `{"data": …}`.
Every document carries the hub's id in a standard data field ERPNext keeps and filters on (`po_no`, the
customer's purchase order, on Sales Order, Delivery Note and Sales Invoice; `supplier_delivery_note` on Purchase
Receipt; the Reference No `cheque_no` on a settlement's Journal Entry), searched before anything is made.
Documents are made as drafts (docstatus 0) for the ERP's users to submit.

Errors as Frappe answers them (API v1): the exception's HTTP status (417 ValidationError, 401
AuthenticationError, 403 PermissionError, 404 DoesNotExistError, 409 DuplicateEntryError, 429 rate limit) with
`exc_type` and the messages in `_server_messages`, a JSON list of JSON objects.
"""

import json
from datetime import date
from typing import Any

import httpx2

from flexhub.erp.connectors.base import Document, ErpFailure, Page, http_failure

# kind → (DocType, the field holding the hub's id)
DOCUMENTS = {"sale_order": ("Sales Order", "po_no"), "delivery": ("Delivery Note", "po_no"),
             "credit_note": ("Sales Invoice", "po_no"), "receipt": ("Purchase Receipt", "supplier_delivery_note"),
             "stock_in": ("Stock Entry", "remarks"), "stock_out": ("Stock Entry", "remarks"),
             "journal": ("Journal Entry", "cheque_no")}
STREAMS: dict[str, tuple[str, list[Any], list[str]]] = {
    "products": ("Item", [], ["name", "item_code", "item_name", "valuation_rate", "modified"]),
    "suppliers": ("Supplier", [], ["name", "supplier_name", "modified"]),
    "purchase_orders": ("Purchase Order", [["docstatus", "in", [1, 2]]],  # submitted, or cancelled since
                        ["name", "supplier", "supplier_name", "schedule_date", "currency", "docstatus", "modified"]),
}
THEIRS = {"ValidationError", "MandatoryError", "LinkValidationError", "DuplicateEntryError", "InvalidStatusError"}
REFUSED = {"AuthenticationError", "PermissionError"}


def tag(hub_ref: str) -> str:
    return f"flexhub:{hub_ref}"


def failure_of(response: httpx2.Response) -> ErpFailure:
    """Frappe's error answer as a failure with its reason."""
    try:
        body = response.json()
    except ValueError:
        return http_failure(response)
    kind = str(body.get("exc_type") or "")
    detail = messages(body) or kind or f"HTTP {response.status_code}"
    if response.status_code == 429:
        return http_failure(response)
    if kind in THEIRS or response.status_code == 417:
        return ErpFailure("validation", detail)
    if kind in REFUSED or response.status_code in (401, 403):
        return ErpFailure("access_denied", detail)
    return ErpFailure("unavailable", f"HTTP {response.status_code} {kind}: {detail}".strip())


def messages(body: dict[str, Any]) -> str:
    """The text of `_server_messages`: a JSON list of JSON-encoded {"message": …} objects."""
    try:
        found = [json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")]
    except (ValueError, AttributeError):
        return ""
    return "; ".join(str(m) for m in found if m)


def to_money(minor: int | None) -> float:
    return round((minor or 0) / 100, 2)


def from_money(value: Any) -> int:
    return round(float(value or 0) * 100)


class ErpNextConnector:
    kind = "erpnext"

    def session(self, http: httpx2.Client, url: str, credentials: dict[str, str]) -> "ErpNextSession":
        return ErpNextSession(http, url, credentials)


class ErpNextSession:
    def __init__(self, http: httpx2.Client, url: str, credentials: dict[str, str]) -> None:
        self._http = http
        self._base = url.rstrip("/") + "/api/resource/"
        self._headers = {"Authorization": f"token {credentials['api_key']}:{credentials['api_secret']}",
                         "Accept": "application/json"}

    def call(self, method: str, doctype: str, name: str | None = None, *, params: dict[str, Any] | None = None,
             body: dict[str, Any] | None = None) -> Any:
        url = self._base + doctype + (f"/{name}" if name else "")
        try:
            response = self._http.request(method, url, params=params, json=body, headers=self._headers)
        except httpx2.HTTPError as error:
            raise http_failure(error) from error
        if response.status_code != 200:
            raise failure_of(response)
        return response.json().get("data")

    def listed(self, doctype: str, filters: list[Any], fields: list[str], **options: Any) -> list[dict[str, Any]]:
        params = {"filters": json.dumps(filters), "fields": json.dumps(fields), **options}
        return list(self.call("GET", doctype, params=params) or [])

    def find_document(self, kind: str, hub_ref: str) -> str | None:
        doctype, field = DOCUMENTS[kind]
        found = self.listed(doctype, [[field, "=", tag(hub_ref)]], ["name"], limit_page_length=1)
        return str(found[0]["name"]) if found else None

    def create_document(self, document: Document) -> str:
        doctype, field = DOCUMENTS[document.kind]
        made = self.call("POST", doctype, body={field: tag(document.hub_ref), **self._values(document)})
        return str(made["name"])

    def _values(self, document: Document) -> dict[str, Any]:
        lines = document.lines
        if document.kind == "sale_order":
            today = date.today().isoformat()
            return {"customer": document.customer, "delivery_date": today, "items": [
                {"item_code": line["item"], "qty": line["quantity"], "rate": to_money(line.get("unit_price")),
                 "delivery_date": today} for line in lines]}
        if document.kind == "delivery":
            return {"customer": document.customer, "items": [
                {"item_code": line["item"], "qty": line["quantity"], "against_sales_order": document.origin}
                for line in lines]}
        if document.kind == "credit_note":
            return {"customer": document.customer, "is_return": 1, "items": [
                {"item_code": line["item"], "qty": -line["quantity"], "rate": to_money(line.get("unit_price"))}
                for line in lines]}
        if document.kind == "journal":  # its Reference No (cheque_no) holds the hub's id, dated like the entry
            return {"voucher_type": "Journal Entry", "posting_date": document.on, "cheque_date": document.on,
                    "user_remark": document.note, "accounts": [
                        {"account": line["account"], "debit_in_account_currency": to_money(line["debit"]),
                         "credit_in_account_currency": to_money(line["credit"]), "user_remark": line["role"]}
                        for line in lines]}
        if document.kind in ("stock_in", "stock_out"):  # a Material Receipt into, or Issue from, the warehouse
            into = document.kind == "stock_in"
            side = "t_warehouse" if into else "s_warehouse"
            return {"stock_entry_type": "Material Receipt" if into else "Material Issue", "items": [
                {"item_code": line["item"], "qty": line["quantity"], side: document.origin} for line in lines]}
        order = self.call("GET", "Purchase Order", str(document.origin))
        return {"supplier": order["supplier"], "items": [
            {"item_code": line["item"], "qty": line["quantity"], "purchase_order": document.origin}
            for line in lines]}

    def find_item(self, sku: str) -> str | None:
        found = self.listed("Item", [["item_code", "=", sku]], ["name"], limit_page_length=1)
        return str(found[0]["name"]) if found else None

    def ensure_customer(self, ref: str, name: str) -> str:
        found = self.listed("Customer", [["customer_name", "=", name]], ["name"], limit_page_length=1)
        if found:
            return str(found[0]["name"])
        return str(self.call("POST", "Customer", body={"customer_name": name, "customer_type": "Company"})["name"])

    def changed(self, stream: str, cursor: str | None, limit: int) -> Page:
        """Documents modified at or after the cursor's time (`modified|name`), oldest first, those at that very
        time up to the cursor's name skipped."""
        doctype, filters, fields = STREAMS[stream]
        stamp, last = cursor.rsplit("|", 1) if cursor else ("", "")
        wanted = [*filters, ["modified", ">=", stamp]] if stamp else list(filters)
        rows = self.listed(doctype, wanted, fields, order_by="modified asc, name asc", limit_page_length=limit)
        fresh = [r for r in rows if not (stamp and r["modified"] == stamp and r["name"] <= last)]
        records = [self._record(stream, row) for row in fresh]
        after = f"{rows[-1]['modified']}|{rows[-1]['name']}" if rows else None
        return Page(records, after, more=len(rows) == limit)

    def records(self, stream: str, refs: list[str]) -> list[dict[str, Any]]:
        doctype, filters, fields = STREAMS[stream]
        rows = self.listed(doctype, [*filters, ["name", "in", refs]], fields, limit_page_length=len(refs))
        return [self._record(stream, row) for row in rows]

    def _record(self, stream: str, row: dict[str, Any]) -> dict[str, Any]:
        if stream == "products":
            return {"ref": row["name"], "sku": row.get("item_code") or None, "name": row.get("item_name"),
                    "barcode": None, "standard_cost": from_money(row.get("valuation_rate"))}
        if stream == "suppliers":
            return {"ref": row["name"], "name": row.get("supplier_name"), "code": row["name"]}
        order = self.call("GET", "Purchase Order", row["name"])
        return {"ref": row["name"], "name": row["name"], "cancelled": row.get("docstatus") == 2,
                "supplier_ref": row["supplier"],
                "supplier_name": row.get("supplier_name") or row["supplier"], "currency": row.get("currency"),
                "expected_on": str(row.get("schedule_date") or "")[:10],
                "lines": [{"item": line["item_code"], "quantity": int(line["qty"]),
                           "unit_cost": from_money(line.get("rate"))} for line in order.get("items") or []]}

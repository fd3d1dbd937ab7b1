"""A sandbox ERPNext: Frappe's REST resources (`/api/resource/<DocType>`, token auth) over documents kept in
memory, with Frappe's error answers (the exception's HTTP status, `exc_type`, `_server_messages`) and faults a
test can ask for: a validation error, a rate limit (HTTP 429), a timeout, and an answer lost after the document
was made (a crash between send and ack).

`ErpNextSandbox.handle` answers an httpx2 request, so `httpx2.MockTransport(sandbox.handle)` puts it behind a client.
"""

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import unquote

import httpx2

FAULTS = ("validation", "rate_limit", "timeout", "lost_answer")
# DocType → (what names it, its mandatory fields, its link fields → the DocType they name)
DOCTYPES: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "Item": ("item_code", ("item_code", "item_name"), {}),
    "Customer": ("customer_name", ("customer_name",), {}),
    "Supplier": ("supplier_name", ("supplier_name",), {}),
    "Sales Order": ("SAL-ORD-.#####", ("customer", "delivery_date", "items"), {"customer": "Customer"}),
    "Delivery Note": ("MAT-DN-.#####", ("customer", "items"), {"customer": "Customer"}),
    "Sales Invoice": ("ACC-SINV-.#####", ("customer", "items"), {"customer": "Customer"}),
    "Purchase Order": ("PUR-ORD-.#####", ("supplier", "schedule_date", "items"), {"supplier": "Supplier"}),
    "Purchase Receipt": ("MAT-PRE-.#####", ("supplier", "items"), {"supplier": "Supplier"}),
    "Warehouse": ("warehouse_name", ("warehouse_name",), {}),
    "Stock Entry": ("MAT-STE-.#####", ("stock_entry_type", "items"), {}),
    "Account": ("account_name", ("account_name",), {}),
    "Journal Entry": ("ACC-JV-.#####", ("posting_date", "accounts"), {}),
}
FLOATS = ("qty", "rate")  # Float fields: Frappe answers 3.0 for 3
ITEM_LINKS = {"item_code": "Item", "against_sales_order": "Sales Order", "purchase_order": "Purchase Order",
              "t_warehouse": "Warehouse", "s_warehouse": "Warehouse"}
COMPARE = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
           "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "in": lambda a, b: a in b,
           "like": lambda a, b: str(b).strip("%") in str(a)}


class FrappeError(Exception):
    def __init__(self, status: int, exc_type: str, message: str) -> None:
        super().__init__(message)
        self.status, self.exc_type, self.message = status, exc_type, message


@dataclass
class ErpNextSandbox:
    api_key: str = "erpnext-key"
    api_secret: str = "erpnext-secret"
    docs: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)
    faults: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # fault, doctype, method
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    _series: Any = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, *faults: str, doctype: str | None = None, method: str | None = None) -> None:
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"no such fault {unknown}")
        self.faults.extend((fault, doctype, method) for fault in faults)

    def add(self, doctype: str, values: dict[str, Any]) -> str:
        return self._insert(doctype, values)

    def change(self, doctype: str, name: str, values: dict[str, Any]) -> None:
        self.docs[doctype][name].update(values, modified=self._stamp())

    def records(self, doctype: str) -> list[dict[str, Any]]:
        return [dict(doc) for _, doc in sorted(self.docs.get(doctype, {}).items())]

    def tick(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        path = unquote(request.url.path)
        if not path.startswith("/api/resource/"):
            return self._error(FrappeError(404, "DoesNotExistError", f"Page {path} not found"))
        doctype, _, name = path[len("/api/resource/"):].partition("/")
        self.calls.append({"method": request.method, "doctype": doctype, "name": name or None})
        if request.headers.get("authorization") != f"token {self.api_key}:{self.api_secret}":
            return self._error(FrappeError(401, "AuthenticationError", "Invalid API key or secret"))
        fault = self._fault_for(doctype, request.method)
        if fault == "timeout":
            raise httpx2.ReadTimeout("sandbox ERPNext took too long", request=request)
        if fault == "rate_limit":
            return httpx2.Response(429, headers={"Retry-After": "3"}, json={
                "exc_type": "TooManyRequestsError", "_server_messages": _messages("Too many requests")})
        if fault == "validation":
            return self._error(FrappeError(417, "ValidationError", "Sandbox refused the document"))
        try:
            data = self._dispatch(request, doctype, name)
        except FrappeError as error:
            return self._error(error)
        if fault == "lost_answer":
            raise httpx2.ReadTimeout("the answer was lost after ERPNext committed", request=request)
        return httpx2.Response(200, json={"data": data})

    def _fault_for(self, doctype: str, method: str) -> str | None:
        for i, (fault, on_doctype, on_method) in enumerate(self.faults):
            if on_doctype in (None, doctype) and on_method in (None, method):
                del self.faults[i]
                return fault
        return None

    def _error(self, error: FrappeError) -> httpx2.Response:
        return httpx2.Response(error.status, json={
            "exc_type": error.exc_type, "exception": f"frappe.exceptions.{error.exc_type}: {error.message}",
            "_server_messages": _messages(error.message)})

    def _dispatch(self, request: httpx2.Request, doctype: str, name: str) -> Any:
        if doctype not in DOCTYPES:
            raise FrappeError(404, "DoesNotExistError", f"DocType {doctype} not found")
        if request.method == "GET" and name:
            return self._get(doctype, name)
        if request.method == "GET":
            params = request.url.params
            return self._list(doctype, json.loads(params.get("filters") or "[]"),
                              json.loads(params.get("fields") or '["name"]'), params.get("order_by") or "",
                              int(params.get("limit_page_length") or 20), int(params.get("limit_start") or 0))
        if request.method == "POST" and not name:
            return self._get(doctype, self._insert(doctype, json.loads(request.content or b"{}")))
        if request.method == "PUT" and name:
            self._get(doctype, name)
            self.change(doctype, name, json.loads(request.content or b"{}"))
            return self._get(doctype, name)
        raise FrappeError(405, "ValidationError", f"{request.method} not allowed here")

    def _get(self, doctype: str, name: str) -> dict[str, Any]:
        found = self.docs.get(doctype, {}).get(name)
        if found is None:
            raise FrappeError(404, "DoesNotExistError", f"{doctype} {name} not found")
        return dict(found)

    def _list(self, doctype: str, filters: list[Any], fields: list[str], order_by: str, limit: int,
              start: int) -> list[dict[str, Any]]:
        rows = [d for d in self.docs.get(doctype, {}).values() if all(self._holds(d, f) for f in filters)]
        for part in reversed([p.strip() for p in (order_by or "modified desc").split(",") if p.strip()]):
            column, _, direction = part.partition(" ")
            rows.sort(key=partial(_field_text, column=column), reverse=direction.lower() == "desc")
        return [{f: d.get(f) for f in fields} for d in rows[start:start + limit]]

    def _holds(self, doc: dict[str, Any], condition: list[Any]) -> bool:
        column, operator, value = condition[-3:]
        if operator not in COMPARE:
            raise FrappeError(417, "ValidationError", f"Operator {operator} not supported")
        stored = doc.get(column)
        return stored is not None and COMPARE[operator](stored, value)

    def _insert(self, doctype: str, values: dict[str, Any]) -> str:
        naming, mandatory, links = DOCTYPES[doctype]
        missing = [f for f in mandatory if values.get(f) in (None, "", [])]
        if missing:
            raise FrappeError(417, "MandatoryError", f"[{doctype}, New {doctype}]: {', '.join(missing)}")
        for column, target in links.items():
            if values.get(column) and values[column] not in self.docs.get(target, {}):
                raise FrappeError(417, "LinkValidationError", f"Could not find {target}: {values[column]}")
        for item in values.get("items") or []:
            for column, target in ITEM_LINKS.items():
                if item.get(column) and item[column] not in self.docs.get(target, {}):
                    raise FrappeError(417, "LinkValidationError", f"Could not find Row #1: {target}: {item[column]}")
        self._check_accounts(values)
        values = {**values, "items": [{**item, **{k: float(item[k]) for k in FLOATS if k in item}}
                                      for item in values.get("items") or []]} if "items" in values else values
        name = values[naming] if naming in values else naming.replace(".#####", f"{next(self._series):05d}")
        if name in self.docs.get(doctype, {}):
            raise FrappeError(409, "DuplicateEntryError", f"{doctype} {name} already exists")
        stamp = self._stamp()
        self.docs.setdefault(doctype, {})[name] = {"name": name, "docstatus": 0, "creation": stamp,
                                                   "modified": stamp, **values}
        return name

    def _check_accounts(self, values: dict[str, Any]) -> None:
        """A Journal Entry's rows name accounts that exist, and its debits and credits agree."""
        rows = values.get("accounts") or []
        for row in rows:
            if row.get("account") not in self.docs.get("Account", {}):
                raise FrappeError(417, "LinkValidationError", f"Could not find Row #1: Account: {row.get('account')}")
        difference = round(sum(float(r.get("debit_in_account_currency") or 0)
                               - float(r.get("credit_in_account_currency") or 0) for r in rows), 2)
        if difference:
            raise FrappeError(417, "ValidationError",
                              f"Total Debit must be equal to Total Credit. The difference is {difference}")

    def _stamp(self) -> str:
        return self.now.strftime("%Y-%m-%d %H:%M:%S.%f")


def _messages(*texts: str) -> str:
    return json.dumps([json.dumps({"message": text}) for text in texts])


def _field_text(row: dict[str, Any], column: str) -> str:
    """A document's field as text, for ordering by it (an absent one first)."""
    return str(row.get(column) or "")

"""Odoo through its external API: JSON-RPC 2.0 `call`s to `/jsonrpc`, `common.authenticate(db, login, key, {})`
for the user id, then `object.execute_kw(db, uid, key, model, method, args, kwargs)` with `search_read`, `create`
and `write`. Every document carries the hub's id in a field Odoo keeps (`client_order_ref` on sale.order, `origin`
on stock.picking, `ref` on account.move), which is searched before anything is created.

Errors as Odoo's JSON-RPC dispatcher answers them: `{"error": {"code": 200, "message": "Odoo Server Error",
"data": {"name": "odoo.exceptions.ValidationError", "message": …}}}`, code 100 for an expired or invalid session.
A ValidationError or UserError is the document's fault (parked); access refused too; anything else (a database
serialization failure, a worker restarting) is tried again.
"""

import itertools
from typing import Any

import httpx2

from flexhub.erp.connectors.base import Document, ErpFailure, Page, http_failure

# kind → (model, the field holding the hub's id)
DOCUMENTS = {"sale_order": ("sale.order", "client_order_ref"), "delivery": ("stock.picking", "origin"),
             "credit_note": ("account.move", "ref"), "stock_move": ("stock.move", "origin"),
             "receipt": ("stock.picking", "origin"), "stock_in": ("stock.move", "origin"),
             "stock_out": ("stock.move", "origin"), "journal": ("account.move", "ref")}
STREAMS: dict[str, tuple[str, list[Any], list[str]]] = {
    "products": ("product.product", [], ["id", "default_code", "name", "barcode", "standard_price", "write_date"]),
    "suppliers": ("res.partner", [["supplier_rank", ">", 0]], ["id", "name", "ref", "email", "write_date"]),
    "purchase_orders": ("purchase.order", [["state", "in", ["purchase", "done", "cancel"]]],
                        ["id", "name", "partner_id", "currency_id", "date_planned", "order_line", "state",
                         "write_date"]),
}
LINE_FIELDS = ["id", "product_id", "product_qty", "price_unit", "date_planned"]
THEIRS = ("odoo.exceptions.ValidationError", "odoo.exceptions.UserError", "odoo.exceptions.MissingError")
REFUSED = ("odoo.exceptions.AccessDenied", "odoo.exceptions.AccessError")


def tag(hub_ref: str) -> str:
    """How the hub's id reads on the Odoo side."""
    return f"flexhub:{hub_ref}"


def failure_of(error: dict[str, Any]) -> ErpFailure:
    """Odoo's JSON-RPC error object as a failure with its reason."""
    data = error.get("data") or {}
    name, message = str(data.get("name") or ""), str(data.get("message") or error.get("message") or "")
    if error.get("code") == 100:
        return ErpFailure("session_expired", str(error.get("message") or "Odoo Session Expired"))
    if name in THEIRS:
        return ErpFailure("validation", message)
    if name in REFUSED:
        return ErpFailure("access_denied", message)
    return ErpFailure("unavailable", f"{error.get('message', 'Odoo Server Error')}: {name} {message}".strip())


def to_money(minor: int | None) -> float:
    return round((minor or 0) / 100, 2)


def from_money(value: Any) -> int:
    return round(float(value or 0) * 100)


class OdooConnector:
    kind = "odoo"

    def session(self, http: httpx2.Client, url: str, credentials: dict[str, str]) -> "OdooSession":
        return OdooSession(http, url, credentials)


class OdooSession:
    def __init__(self, http: httpx2.Client, url: str, credentials: dict[str, str]) -> None:
        self._http = http
        self._endpoint = url.rstrip("/") + "/jsonrpc"
        self._db, self._login, self._key = credentials["database"], credentials["login"], credentials["api_key"]
        self._uid: int | None = None
        self._ids = itertools.count(1)
        self._picking_types: dict[str, int] = {}

    def call(self, service: str, method: str, args: list[Any]) -> Any:
        body = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args},
                "id": next(self._ids)}
        try:
            response = self._http.post(self._endpoint, json=body)
        except httpx2.HTTPError as error:
            raise http_failure(error) from error
        if response.status_code != 200:
            raise http_failure(response)
        try:
            answer = response.json()
        except ValueError as error:
            raise ErpFailure("unavailable", "Odoo answered something other than JSON") from error
        if answer.get("error"):
            raise failure_of(answer["error"])
        return answer.get("result")

    def uid(self) -> int:
        if self._uid is None:
            uid = self.call("common", "authenticate", [self._db, self._login, self._key, {}])
            if not uid:
                raise ErpFailure("access_denied", f"Odoo refused the login {self._login!r} on {self._db!r}")
            self._uid = int(uid)
        return self._uid

    def execute_kw(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any] | None = None) -> Any:
        """execute_kw, signing in again once when Odoo says the session expired."""
        for attempt in (1, 2):
            try:
                return self.call("object", "execute_kw",
                                 [self._db, self.uid(), self._key, model, method, args, kwargs or {}])
            except ErpFailure as failure:
                if failure.reason != "session_expired" or attempt == 2:
                    raise
                self._uid = None
        raise AssertionError("unreachable")

    def search_read(self, model: str, domain: list[Any], fields: list[str], **kwargs: Any) -> list[dict[str, Any]]:
        return list(self.execute_kw(model, "search_read", [domain], {"fields": fields, **kwargs}))

    def find_document(self, kind: str, hub_ref: str) -> str | None:
        model, field = DOCUMENTS[kind]
        found = self.search_read(model, [[field, "=", tag(hub_ref)]], ["id"], limit=1)
        return str(found[0]["id"]) if found else None

    def create_document(self, document: Document) -> str:
        model, field = DOCUMENTS[document.kind]
        return str(self.execute_kw(model, "create", [{field: tag(document.hub_ref), **self._values(document)}]))

    def _values(self, document: Document) -> dict[str, Any]:
        partner = int(document.customer) if document.customer else False
        if document.kind == "sale_order":
            return {"partner_id": partner, "note": document.note, "order_line": [
                [0, 0, {"product_id": int(line["item"]), "product_uom_qty": line["quantity"],
                        "price_unit": to_money(line.get("unit_price"))}] for line in document.lines]}
        if document.kind == "delivery":
            return {"partner_id": partner, "picking_type_id": self.operation_type("outgoing"),
                    "sale_id": int(document.origin) if document.origin else False, "move_ids": [
                        [0, 0, {"name": document.note, "product_id": int(line["item"]),
                                "product_uom_qty": line["quantity"]}] for line in document.lines]}
        if document.kind == "receipt":
            return {"picking_type_id": self.operation_type("incoming"), "purchase_id": int(document.origin or 0),
                    "move_ids": [[0, 0, {"name": document.note, "product_id": int(line["item"]),
                                         "product_uom_qty": line["quantity"]}] for line in document.lines]}
        if document.kind == "journal":
            return self._journal(document)
        if document.kind == "credit_note":
            return {"move_type": "out_refund", "partner_id": partner, "invoice_origin": document.note,
                    "invoice_line_ids": [
                        [0, 0, {"product_id": int(line["item"]), "quantity": line["quantity"],
                                "price_unit": to_money(line.get("unit_price"))}] for line in document.lines]}
        # stock_in / stock_out: one move between the node's location and the inventory adjustment location
        node, adjustment = int(document.origin or 0), self.adjustment_location()
        source, target = (adjustment, node) if document.kind == "stock_in" else (node, adjustment)
        line = document.lines[0]
        return {"name": document.note, "product_id": int(line["item"]), "product_uom_qty": line["quantity"],
                "location_id": source, "location_dest_id": target}

    def _journal(self, document: Document) -> dict[str, Any]:
        """A miscellaneous journal entry (`move_type` entry) dated the statement's last day, one line per account;
        in a statement's currency each line also carries its amount in that currency."""
        currency = self.currency(document.currency) if document.currency else None
        lines = []
        for line in document.lines:
            values = {"account_id": self.account(line["account"]), "name": f"{document.note} {line['role']}",
                      "debit": to_money(line["debit"]), "credit": to_money(line["credit"])}
            if currency:
                values.update(currency_id=currency, amount_currency=to_money(line["debit"] - line["credit"]))
            lines.append([0, 0, values])
        return {"move_type": "entry", "date": document.on, "narration": document.note, "line_ids": lines,
                **({"currency_id": currency} if currency else {})}

    def account(self, code: str) -> int:
        """The id of the account with this code in Odoo's chart of accounts (account.account)."""
        found = self.search_read("account.account", [["code", "=", code]], ["id"], limit=1)
        if not found:
            raise ErpFailure("validation", f"Odoo has no account with code {code} (account.account)")
        return int(found[0]["id"])

    def currency(self, name: str) -> int:
        found = self.search_read("res.currency", [["name", "=", name]], ["id"], limit=1)
        if not found:
            raise ErpFailure("validation", f"Odoo has no currency {name} (res.currency)")
        return int(found[0]["id"])

    def adjustment_location(self) -> int:
        """Odoo's virtual location stock is counted into and written off to (usage `inventory`)."""
        if "inventory" not in self._picking_types:
            found = self.search_read("stock.location", [["usage", "=", "inventory"]], ["id"], limit=1)
            if not found:
                raise ErpFailure("validation", "Odoo has no inventory adjustment location (stock.location)")
            self._picking_types["inventory"] = int(found[0]["id"])
        return self._picking_types["inventory"]

    def operation_type(self, code: str) -> int:
        """The warehouse's operation type for deliveries (`outgoing`) or receipts (`incoming`)."""
        if code not in self._picking_types:
            found = self.search_read("stock.picking.type", [["code", "=", code]], ["id"], limit=1)
            if not found:
                raise ErpFailure("validation", f"Odoo has no {code} operation type (stock.picking.type)")
            self._picking_types[code] = int(found[0]["id"])
        return self._picking_types[code]

    def find_item(self, sku: str) -> str | None:
        found = self.search_read("product.product", [["default_code", "=", sku]], ["id"], limit=1)
        return str(found[0]["id"]) if found else None

    def ensure_customer(self, ref: str, name: str) -> str:
        found = self.search_read("res.partner", [["ref", "=", ref]], ["id"], limit=1)
        if found:
            return str(found[0]["id"])
        return str(self.execute_kw("res.partner", "create", [{"name": name, "ref": ref, "customer_rank": 1}]))

    def changed(self, stream: str, cursor: str | None, limit: int) -> Page:
        """Records written after the cursor (`write_date|id`), oldest first: ties on a second broken by id."""
        model, domain, fields = STREAMS[stream]
        if cursor:
            stamp, last_id = cursor.rsplit("|", 1)
            domain = [*domain, "|", ["write_date", ">", stamp], "&", ["write_date", "=", stamp],
                      ["id", ">", int(last_id)]]
        rows = self.search_read(model, domain, fields, order="write_date asc, id asc", limit=limit)
        if stream == "purchase_orders":
            rows = self._with_lines(rows)
        records = [self._record(stream, row) for row in rows]
        after = f"{rows[-1]['write_date']}|{rows[-1]['id']}" if rows else None
        return Page(records, after, more=len(rows) == limit)

    def records(self, stream: str, refs: list[str]) -> list[dict[str, Any]]:
        """These records of a stream, read again by id (those kept waiting)."""
        model, domain, fields = STREAMS[stream]
        rows = self.search_read(model, [*domain, ["id", "in", [int(r) for r in refs]]], fields)
        if stream == "purchase_orders":
            rows = self._with_lines(rows)
        return [self._record(stream, row) for row in rows]

    def _with_lines(self, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [line for order in orders for line in order.get("order_line") or []]
        lines = {row["id"]: row for row in self.search_read("purchase.order.line", [["id", "in", ids]],
                                                             LINE_FIELDS)} if ids else {}
        return [{**order, "lines": [lines[i] for i in order.get("order_line") or [] if i in lines]}
                for order in orders]

    def _record(self, stream: str, row: dict[str, Any]) -> dict[str, Any]:
        if stream == "products":
            return {"ref": str(row["id"]), "sku": row.get("default_code") or None, "name": row.get("name"),
                    "barcode": row.get("barcode") or None, "standard_cost": from_money(row.get("standard_price"))}
        if stream == "suppliers":
            return {"ref": str(row["id"]), "name": row.get("name"), "code": row.get("ref") or None}
        partner = row.get("partner_id") or [None, None]
        currency = row.get("currency_id") or [None, None]
        return {"ref": str(row["id"]), "name": row.get("name"), "cancelled": row.get("state") == "cancel",
                "supplier_ref": str(partner[0]),
                "supplier_name": partner[1], "currency": currency[1] or None,
                "expected_on": str(row.get("date_planned") or "")[:10],
                "lines": [{"item": str((line.get("product_id") or [None])[0]), "quantity": int(line["product_qty"]),
                           "unit_cost": from_money(line.get("price_unit"))} for line in row["lines"]]}

"""A sandbox Odoo: its external JSON-RPC API (`POST /jsonrpc`, services `common` and `object`) over models kept in
memory, with the error objects Odoo's dispatcher answers (`Odoo Server Error` carrying the exception's `name` and
`message`; code 100 `Odoo Session Expired`) and faults a test can ask for: a validation error, an expired session,
a rate limit (HTTP 429), a timeout, and an answer lost after the work was done (a crash between send and ack).

`OdooSandbox.handle` answers an httpx2 request, so `httpx2.MockTransport(sandbox.handle)` puts it behind a client.
"""

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx2

from flexhub.sandbox.erp.odoo_domain import DomainError, matches

# A model's many2one fields → the model they point at, and its one2many fields → (line model, back link).
MANY2ONE = {
    "sale.order": {"partner_id": "res.partner"}, "sale.order.line": {"product_id": "product.product"},
    "stock.picking": {"partner_id": "res.partner", "picking_type_id": "stock.picking.type",
                      "sale_id": "sale.order", "purchase_id": "purchase.order"},
    "stock.move": {"product_id": "product.product", "location_id": "stock.location",
                   "location_dest_id": "stock.location"},
    "account.move": {"partner_id": "res.partner", "currency_id": "res.currency"},
    "account.move.line": {"product_id": "product.product", "account_id": "account.account",
                          "currency_id": "res.currency"},
    "purchase.order": {"partner_id": "res.partner", "currency_id": "res.currency"},
    "purchase.order.line": {"product_id": "product.product"},
}
ONE2MANY = {"sale.order": {"order_line": ("sale.order.line", "order_id")},
            "stock.picking": {"move_ids": ("stock.move", "picking_id")},
            "account.move": {"invoice_line_ids": ("account.move.line", "move_id"),
                             "line_ids": ("account.move.line", "move_id")},
            "purchase.order": {"order_line": ("purchase.order.line", "order_id")}}
REQUIRED = {"sale.order": ("partner_id",), "stock.picking": ("picking_type_id",),
            "res.partner": ("name",), "product.product": ("name",)}
FAULTS = ("validation", "session_expired", "rate_limit", "timeout", "lost_answer")


class OdooError(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


@dataclass
class OdooSandbox:
    database: str = "flexhub"
    users: dict[str, tuple[int, str]] = field(default_factory=lambda: {"hub@brand.example": (2, "odoo-key-1")})
    models: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)
    faults: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # fault, model, method
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    _ids: Any = field(default_factory=lambda: itertools.count(101))

    def __post_init__(self) -> None:
        if "stock.picking.type" not in self.models:  # as a new warehouse has them; ids of their own
            self.models["stock.picking.type"] = {1: {"id": 1, "name": "Receipts", "code": "incoming"},
                                                 2: {"id": 2, "name": "Delivery Orders", "code": "outgoing"}}
            self.models["res.currency"] = {1: {"id": 1, "name": "CNY"}, 2: {"id": 2, "name": "USD"}}
            self.models["stock.location"] = {
                1: {"id": 1, "name": "WH/Stock", "usage": "internal"},
                2: {"id": 2, "name": "Virtual Locations/Inventory adjustment", "usage": "inventory"}}

    # Driving the sandbox (tests, demo)

    def fail_next(self, *faults: str, model: str | None = None, method: str | None = None) -> None:
        """The next calls to `object` (of `model`'s `method`, when named) answer these faults, one call each."""
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"no such fault {unknown}")
        self.faults.extend((fault, model, method) for fault in faults)

    def _fault_for(self, model: str | None, method: str | None) -> str | None:
        for i, (fault, on_model, on_method) in enumerate(self.faults):
            if on_model in (None, model) and on_method in (None, method):
                del self.faults[i]
                return fault
        return None

    def add(self, model: str, values: dict[str, Any]) -> int:
        return self._create(model, values)

    def change(self, model: str, record_id: int, values: dict[str, Any]) -> None:
        self._write(model, [record_id], values)

    def records(self, model: str) -> list[dict[str, Any]]:
        return [self._read(model, record_id, None) for record_id in sorted(self.models.get(model, {}))]

    def tick(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)

    # The wire

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path.rstrip("/").rsplit("/", 1)[-1] != "jsonrpc" or request.method != "POST":
            return httpx2.Response(404, text="Not Found")
        body = json.loads(request.content or b"{}")
        params = body.get("params") or {}
        service, method, args = params.get("service"), params.get("method"), list(params.get("args") or [])
        model = args[3] if service == "object" and len(args) > 3 else None
        call = args[4] if service == "object" and len(args) > 4 else None
        self.calls.append({"service": service, "method": method, "model": model, "call": call})
        fault = self._fault_for(model, call) if service == "object" else None
        if fault == "timeout":
            raise httpx2.ReadTimeout("sandbox Odoo took too long", request=request)
        if fault == "rate_limit":
            return httpx2.Response(429, headers={"Retry-After": "2"}, text="Too Many Requests")
        if fault == "session_expired":
            return self._answer(body, error={"code": 100, "message": "Odoo Session Expired", "data": {
                "name": "odoo.http.SessionExpiredException", "message": "Session expired", "arguments": [
                    "Session expired"], "context": {}, "debug": ""}})
        if fault == "validation":
            return self._server_error(body, OdooError("odoo.exceptions.ValidationError",
                                                      "The operation cannot be completed: sandbox refused it"))
        try:
            result = self._dispatch(service, method, args)
        except OdooError as error:
            return self._server_error(body, error)
        if fault == "lost_answer":
            raise httpx2.ReadTimeout("the answer was lost after Odoo committed", request=request)
        return self._answer(body, result=result)

    def _answer(self, body: dict[str, Any], **outcome: Any) -> httpx2.Response:
        return httpx2.Response(200, json={"jsonrpc": "2.0", "id": body.get("id"), **outcome})

    def _server_error(self, body: dict[str, Any], error: OdooError) -> httpx2.Response:
        return self._answer(body, error={"code": 200, "message": "Odoo Server Error", "data": {
            "name": error.name, "debug": f"Traceback (most recent call last):\n{error.name}: {error.message}",
            "message": error.message, "arguments": [error.message], "context": {}}})

    def _dispatch(self, service: str | None, method: str | None, args: list[Any]) -> Any:
        if service == "common" and method == "version":
            return {"server_version": "17.0", "server_version_info": [17, 0, 0, "final", 0, ""],
                    "server_serie": "17.0", "protocol_version": 1}
        if service == "common" and method in ("authenticate", "login"):
            db, login, key = args[0], args[1], args[2]
            user = self.users.get(login)
            return user[0] if db == self.database and user and user[1] == key else False
        if service != "object" or method != "execute_kw":
            raise OdooError("werkzeug.exceptions.NotFound", f"no method {service}.{method}")
        db, uid, key, model, call = args[:5]
        positional = args[5] if len(args) > 5 else []
        named = args[6] if len(args) > 6 else {}
        if db != self.database or not any(u == (uid, key) for u in self.users.values()):
            raise OdooError("odoo.exceptions.AccessDenied", "Access Denied")
        return self._execute(model, call, list(positional), dict(named))

    def _execute(self, model: str, call: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if call == "search_read":
            return self._search_read(model, args[0] if args else kwargs.get("domain", []), kwargs)
        if call == "search":
            return [r["id"] for r in self._search_read(model, args[0], {**kwargs, "fields": ["id"]})]
        if call == "search_count":
            return len(self._search_read(model, args[0], {"fields": ["id"]}))
        if call == "read":
            return [self._read(model, i, kwargs.get("fields")) for i in args[0] if i in self.models.get(model, {})]
        if call == "create":
            values = args[0]
            return [self._create(model, v) for v in values] if isinstance(values, list) else self._create(model, values)
        if call == "write":
            self._write(model, list(args[0]), args[1])
            return True
        raise OdooError("builtins.AttributeError", f"The method '{call}' does not exist on the model '{model}'")

    def _search_read(self, model: str, domain: list[Any], kwargs: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            found = [r for r in self.models.get(model, {}).values() if matches(domain, r)]
        except DomainError as error:
            raise OdooError("builtins.ValueError", str(error)) from error
        for part in reversed([p.strip() for p in (kwargs.get("order") or "id asc").split(",")]):
            name, _, direction = part.partition(" ")
            found.sort(key=partial(_nulls_last, name=name), reverse=direction.lower() == "desc")
        offset, limit = int(kwargs.get("offset") or 0), kwargs.get("limit")
        found = found[offset:offset + int(limit)] if limit else found[offset:]
        return [self._read(model, r["id"], kwargs.get("fields")) for r in found]

    def _read(self, model: str, record_id: int, fields: list[str] | None) -> dict[str, Any]:
        stored = self.models[model][record_id]
        shown = {}
        for name in fields or list(stored):
            value = stored.get(name, False)
            target = MANY2ONE.get(model, {}).get(name)
            if target and value:
                value = [value, self.models.get(target, {}).get(value, {}).get("name") or f"{target},{value}"]
            shown[name] = value if value is not None else False
        return shown

    def _create(self, model: str, values: dict[str, Any]) -> int:
        self._check(model, values)
        record_id = next(self._ids)
        lines = {name: values[name] for name in ONE2MANY.get(model, {}) if name in values}
        stamp = self.now.strftime("%Y-%m-%d %H:%M:%S")
        self.models.setdefault(model, {})[record_id] = {
            **{k: v for k, v in values.items() if k not in lines}, "id": record_id, "create_date": stamp,
            "write_date": stamp, **{name: [] for name in ONE2MANY.get(model, {})}}
        if model == "sale.order":
            self.models[model][record_id].setdefault("name", f"S{record_id:05d}")
            self.models[model][record_id].setdefault("state", "draft")
        for name, commands in lines.items():
            self._lines(model, record_id, name, commands)
        return record_id

    def _write(self, model: str, ids: list[int], values: dict[str, Any]) -> None:
        for record_id in ids:
            if record_id not in self.models.get(model, {}):
                raise OdooError("odoo.exceptions.MissingError", f"Record does not exist or has been deleted. "
                                f"(Record: {model}({record_id},), User: 2)")
            lines = {name: values[name] for name in ONE2MANY.get(model, {}) if name in values}
            self.models[model][record_id].update({k: v for k, v in values.items() if k not in lines},
                                                 write_date=self.now.strftime("%Y-%m-%d %H:%M:%S"))
            for name, commands in lines.items():
                self._lines(model, record_id, name, commands)

    def _lines(self, model: str, record_id: int, name: str, commands: list[Any]) -> None:
        line_model, back = ONE2MANY[model][name]
        for command in commands:
            if not isinstance(command, list | tuple) or not command or command[0] != 0:
                raise OdooError("builtins.ValueError", f"only (0, 0, values) commands here, not {command!r}")
            line_id = self._create(line_model, {**command[2], back: record_id})
            self.models[model][record_id][name].append(line_id)

    def _check(self, model: str, values: dict[str, Any]) -> None:
        required = REQUIRED.get(model, ())
        if model == "account.move" and values.get("move_type") in ("out_invoice", "out_refund"):
            required = ("partner_id",)  # an invoice or credit note names its customer; a journal entry need not
        missing = [f for f in required if not values.get(f)]
        if missing:
            raise OdooError("odoo.exceptions.ValidationError",
                            f"The field(s) {', '.join(missing)} of {model} are required.")
        entries = [c[2] for c in values.get("line_ids") or [] if isinstance(c, list | tuple) and len(c) == 3]
        if any(not e.get("account_id") for e in entries):
            raise OdooError("odoo.exceptions.ValidationError", "The field(s) account_id of account.move.line are "
                            "required.")
        if model == "account.move" and entries and \
                round(sum(e.get("debit", 0) - e.get("credit", 0) for e in entries), 2) != 0:
            raise OdooError("odoo.exceptions.UserError", "The move is not balanced.")
        for name, target in MANY2ONE.get(model, {}).items():
            value = values.get(name)
            if value and value not in self.models.get(target, {}):
                raise OdooError("odoo.exceptions.ValidationError",
                                f"{model}.{name}: no {target} record with id {value}")


def _nulls_last(row: dict[str, Any], name: str) -> tuple[bool, Any]:
    """A record's field for ordering by it, unset ones after the rest (as Odoo orders them)."""
    return row.get(name) is None, row.get(name)

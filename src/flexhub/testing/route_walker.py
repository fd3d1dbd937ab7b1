"""The isolation walker's kit: every route of the app read from its route table (path, query and body parameters),
each parameter filled from one owner's rows, a body made from the route's own schema, the answer searched for
another owner's text, and a fingerprint of the whole database to show a refused write changed nothing.

A new route is walked without anyone listing it: its parameters are read from the table, and a parameter the kit
cannot fill names its kind in KINDS or the route goes in the test's allow-list with its reason."""

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from pydantic import TypeAdapter
from sqlalchemy import Engine, select

from flexhub.db.base import Base

# A parameter's name (and, where a name means two things, the path it is in) → the kind of row it names.
KINDS: dict[str, str] = {
    "order_id": "order", "shipment_id": "shipment", "return_id": "return", "asn_id": "asn",
    "discrepancy_id": "discrepancy", "endpoint_id": "endpoint", "delivery_id": "delivery", "job_id": "job",
    "exception_id": "channel_exception", "transfer_id": "transfer", "user_id": "user", "statement_id": "statement",
    "difference_id": "difference", "channel": "channel", "channel_code": "channel", "sku": "sku", "skus": "sku",
    "location": "location", "node": "location", "from_location": "location", "to_location": "second_location",
    "returns_centre": "location", "supplier": "supplier", "external_id": "external_id",
    "external_sku": "listing", "partner": "partner", "document_id": "erp_document",
    "member_id": "member", "event_id": "planning_event", "sale_id": "store_sale", "batch_id": "order_batch",
    "filter_id": "saved_filter",
}
NEW_IN_BODIES = {"external_id"}  # a body's external id names the row it makes: never an existing one
PURCHASING_KINDS = {"order_id": "po"}  # under /purchasing an order is a purchase order
# `{code}` after these path segments
CODE_KINDS = {"skus": "sku", "channels": "channel", "stores": "channel", "connections": "erp_connection",
              "erp": "erp_connection", "locations": "location"}
# Values of parameters that name no row: a literal that makes the route do its work.
LITERALS: dict[str, str] = {"step": "send", "by": "channel", "once": "true", "state": "", "platform": "generic",
                            "pool": "spot", "currency": "CNY", "quantity": "1", "format": "csv"}
# Texts a body's free string fields take, the first one the field's pattern and lengths accept.
CANDIDATE_TEXTS = ("WALKER-1", "CNY", "123456", "walker", "CN", "*")
# Request headers no route reads for scope, left out of the fingerprint's tables: a page view touches them.
UNFINGERPRINTED = {"sessions", "rate_buckets", "job_leases"}
PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Param:
    name: str
    annotation: Any
    required: bool


@dataclass(frozen=True)
class WalkedRoute:
    method: str
    path: str
    query: tuple[Param, ...]
    json_body: Any  # the body's annotation when the route takes JSON
    form: tuple[Param, ...]  # its form fields when it takes a form

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def path_params(self) -> list[str]:
        return PARAM.findall(self.path)

    def kind(self, param: str) -> str | None:
        if param == "code":
            segments = self.path.split("/")
            before = segments[segments.index("{code}") - 1] if "{code}" in segments else ""
            return CODE_KINDS.get(before)
        if "/purchasing" in self.path and param in PURCHASING_KINDS:
            return PURCHASING_KINDS[param]
        return KINDS.get(param)

    def kinds(self) -> set[str]:
        """The kinds of row the route's path names."""
        return {kind for p in self.path_params if (kind := self.kind(p))}


def walk_routes(app: FastAPI) -> list[WalkedRoute]:
    """Every (method, path) the app answers, with the parameters its table declares."""
    walked = []
    for route in iter_route_contexts(app.routes):
        if route.path is None:  # nothing answers at it
            continue
        dependant = getattr(route, "dependant", None)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            if dependant is None:
                walked.append(WalkedRoute(method, route.path, (), None, ()))
                continue
            parts = list(_flat(dependant))
            query = tuple(_param(q) for d in parts for q in d.query_params)
            bodies = [b for d in parts for b in d.body_params]
            form = tuple(_param(b) for b in bodies if type(b.field_info).__name__ == "Form")
            json_body = next((b.field_info.annotation for b in bodies if type(b.field_info).__name__ != "Form"), None)
            walked.append(WalkedRoute(method, route.path, query, json_body, form))
    return walked


def _flat(dependant: Any) -> Iterator[Any]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _flat(sub)


def _param(field: Any) -> Param:
    return Param(field.alias or field.name, field.field_info.annotation, field.field_info.is_required())


@dataclass
class Request:
    method: str
    url: str
    params: dict[str, str]
    json: Any
    form: dict[str, Any] | None
    sent: set[str]  # every value put in the request: an answer may echo these back


def build_request(route: WalkedRoute, values: Mapping[str, str], *, all_queries: bool = False) -> Request | None:
    """The route called with `values` (kind → value); None when a path parameter has no value. Optional query
    parameters naming a row are filled too when `all_queries`."""
    sent: set[str] = set()
    url = route.path
    for param in route.path_params:
        value = _value(route.kind(param), param, values)
        if value is None:
            return None
        url = url.replace("{" + param + "}", value)
        sent.add(value)
    params = {}
    for q in route.query:
        value = _value(route.kind(q.name), q.name, values)
        if value and (q.required or all_queries or q.name in LITERALS):
            params[q.name] = value
            sent.add(value)
        elif q.required:
            return None
    json_body = example(TypeAdapter(route.json_body).json_schema(), values, sent) if route.json_body else None
    form = {f.name: _value(KINDS.get(f.name), f.name, values) or "walker" for f in route.form} if route.form else None
    sent |= {v for v in (form or {}).values() if isinstance(v, str)}
    return Request(route.method, url, params, json_body, form, sent)


def _value(kind: str | None, name: str, values: Mapping[str, str]) -> str | None:
    if kind is not None:
        return values.get(kind)
    return LITERALS.get(name)


def example(schema: dict[str, Any], values: Mapping[str, str], sent: set[str]) -> Any:
    """A body the schema accepts, each field that names a row filled from `values` (and noted in `sent`)."""
    return _example(schema, schema.get("$defs", {}), values, sent, None)


def _example(schema: dict, defs: dict, values: Mapping[str, str], sent: set[str], name: str | None) -> Any:
    if "$ref" in schema:
        return _example(defs[schema["$ref"].split("/")[-1]], defs, values, sent, name)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            options = [s for s in schema[union] if s.get("type") != "null"]
            return _example(options[0], defs, values, sent, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = None if name in NEW_IN_BODIES else KINDS.get(name or "")
    if name in LITERALS and schema.get("type") == "string":
        return LITERALS[name]
    match schema.get("type"):
        case "object":
            return _object(schema, defs, values, sent, name)
        case "array":
            item = _example(schema.get("items", {}), defs, values, sent, name)
            return [item] * max(1, schema.get("minItems", 1))
        case "integer":
            return max(1, schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
        case "number":
            return max(1, schema.get("minimum", 1))
        case "boolean":
            return False
        case "string":
            return _string(schema, values, sent, kind)
    return {}


def _object(schema: dict, defs: dict, values: Mapping[str, str], sent: set[str], name: str | None) -> dict:
    found = {}
    for field, sub in schema.get("properties", {}).items():
        if field in schema.get("required", []) or KINDS.get(field) in values and field not in NEW_IN_BODIES:
            found[field] = _example(sub, defs, values, sent, field)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and not found:
        key = values.get("sku") if name in ("lines", "quantities", "grades", "received") else "*"
        if key:
            sent.add(key)
            found[key] = _example(extra, defs, values, sent, None)
    return found


def _string(schema: dict, values: Mapping[str, str], sent: set[str], kind: str | None) -> str:
    if kind is not None and kind in values:
        sent.add(values[kind])
        return values[kind]
    match schema.get("format"):
        case "date":
            return "2030-01-10"
        case "date-time":
            return "2030-01-10T00:00:00Z"
        case "uri":
            return "https://walker.invalid/hooks"
    shortest, longest, pattern = schema.get("minLength", 0), schema.get("maxLength", 99), schema.get("pattern", ".*")
    fitting = [text for text in CANDIDATE_TEXTS if shortest <= len(text) <= longest and re.fullmatch(pattern, text)]
    return fitting[0] if fitting else "WALKER"


def leaks(text: str, foreign: set[str], sent: set[str]) -> list[str]:
    """Which of another owner's texts an answer shows, besides what the request sent it."""
    shown = text.lower()
    for value in sorted(sent, key=len, reverse=True):
        shown = shown.replace(value.lower(), " ")
    return sorted(f for f in foreign if _shows(shown, f.lower()))


def _shows(text: str, value: str) -> bool:
    if value.replace(".", "").isdigit():  # a figure: not a piece of a longer number, an id or a time
        return re.search(rf"(?<![\w.]){re.escape(value)}(?![\w])", text) is not None
    return value in text


def fingerprint(engine: Engine) -> dict[str, str]:
    """A digest of every table's rows (but the sign-in bookkeeping a page view touches)."""
    found = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in UNFINGERPRINTED:
                continue
            rows = sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            found[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return found

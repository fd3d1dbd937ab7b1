"""The exceptions queue as one table, every kind together: what it is, which thing (an order number, a parcel's
waybill, a channel's SKU…), its state, what happened and since when on the tenant's clock."""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from flexhub.lists import Column, clock_time, text

Item = Mapping[str, Any]


def exception_columns(where: ZoneInfo) -> Sequence[Column]:
    return (("kind", text("kind")), ("reference", text("reference")), ("state", text("state")),
            ("what happened", text("problem")), (f"since ({where.key})", clock_time("since", where)))


def exception_items(found: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The queue's lists (GET /api/v1/exceptions) flattened, in the page's order."""
    for m in found["channel_messages"]:
        yield _item("channel_message", f"{m['channel']} {m['external_id'] or ''}".strip(), m["kind"], m["message"],
                    m["created_at"])
    for o in found["orders"]:
        yield _item("order", o["external_id"], o["status"], o.get("status_reason"), o.get("created_at"))
    for s in found["shipments"]:
        yield _item("shipment", s.get("waybill_number") or s["shipment_id"], s["state"],
                    " ".join(str(p) for p in (s.get("problem"), s.get("error")) if p), None)
    for d in found["purchasing"]:
        yield _item("purchasing", d["sku"], d["state"], f"{d['kind']}: expected {d['expected']}, received "
                    f"{d['received']}", d["created_at"])
    for e in found["erp"]:
        yield _item("erp", f"{e['connection']} {e.get('hub_ref') or ''}".strip(), e.get("state"), e.get("error"),
                    e.get("created_at") or e.get("failed_at"))
    dead = found["dead_letters"]
    for p in dead["stock_pushes"]:
        yield _item("stock_push", f"{p['channel']} {p['external_sku']}", "dead", p["last_error"], p["changed_at"])
    for w in dead["webhooks"]:
        yield _item("webhook", w["event_type"], w["state"], w["last_error"], w.get("next_attempt_at"))
    for j in dead["jobs"]:
        yield _item("job", j["kind"], j["state"], j["last_error"], j.get("run_after"))


def _item(kind: str, reference: str, state: str | None, problem: str | None, since: Any) -> dict[str, Any]:
    return {"kind": kind, "reference": reference, "state": state, "problem": problem, "since": since}

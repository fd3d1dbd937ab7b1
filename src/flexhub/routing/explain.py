"""A decision as it is stored and shown: the chosen plan, every scored plan with its score by factor,
and every refused node with its reasons — the answer to "why this node"."""

from typing import Any

from flexhub.routing.candidates import OrderToRoute
from flexhub.routing.plans import Parcel, Plan
from flexhub.routing.rules import Decision


def plan_document(plan: Plan, order: OrderToRoute, *, chosen: bool = False) -> dict[str, Any]:
    return {
        "nodes": list(plan.nodes),
        "split": plan.is_split,
        "chosen": chosen,
        "score": round(plan.score, 2),
        "breakdown": {factor: round(value, 2) for factor, value in plan.breakdown.items()},
        "shipping_price": plan.shipping_price,
        "promised_days": plan.promised_days,
        "parcels": [parcel_document(p, order) for p in plan.parcels],
    }


def parcel_document(parcel: Parcel, order: OrderToRoute) -> dict[str, Any]:
    return {
        "node": parcel.node.code,
        "location_id": str(parcel.node.location_id),
        "kind": parcel.node.kind,
        "carrier": parcel.carrier,
        "service": parcel.service,
        "zone": parcel.zone,
        "price": parcel.price,
        "days": parcel.days,
        "km": None if parcel.km is None else round(parcel.km, 1),
        "weight_g": parcel.weight_g,
        "lines": [
            {"line_no": order.lines[i].line_no, "sku": order.lines[i].sku, "quantity": units}
            for i, units in parcel.lines
        ],
    }


def decision_documents(decision: Decision, order: OrderToRoute) -> dict[str, Any]:
    """The columns of a stored decision: plan, candidates (best first, the chosen one marked), rejected."""
    return {
        "plan": plan_document(decision.plan, order, chosen=True) if decision.plan else None,
        "candidates": [plan_document(p, order, chosen=p is decision.plan) for p in decision.candidates],
        "rejected": {code: list(reasons) for code, reasons in sorted(decision.rejected.items())},
    }

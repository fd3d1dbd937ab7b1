"""Pure return decisions: the RMA's states, receipt quantities and grades, and what each grade restocks.

An RMA naming no node is received at the tenant's regional returns centre for the buyer's province (or
country, or "*"). Resellable units go back on hand in the spot pool of the node that received them (a ledger
`return` movement). Refurbish and scrap are recorded without stock: a refurbished unit comes back to spot later by an
adjustment, when it is ready; there is no refurbish pool (pools are spot, presale and consigned only).
"""

import uuid
from collections.abc import Mapping

from flexhub.returns.errors import InvalidGrading, InvalidReturnTransition

GRADES = ("resellable", "refurbish", "scrap")
RESTOCKED = "resellable"
RESTOCK_POOL = "spot"
TRANSITIONS = {"open": frozenset({"received"}), "received": frozenset({"inspected"}), "inspected": frozenset()}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidReturnTransition(f"a return that is {current} cannot become {target}", state=current)


def received_quantities(expected: Mapping[str, int], counted: Mapping[str, int] | None) -> dict[str, int]:
    """Units received per SKU: as counted (never more than expected), or everything expected."""
    if counted is None:
        return dict(expected)
    unknown = set(counted) - set(expected)
    too_many = {sku: n for sku, n in counted.items() if sku in expected and not 0 <= n <= expected[sku]}
    if unknown or too_many:
        raise InvalidGrading("received quantities must name the RMA's SKUs, up to what it expects",
                             unknown=sorted(unknown), too_many=too_many)
    return {sku: counted.get(sku, 0) for sku in expected}


def check_grades(received: Mapping[str, int], grades: Mapping[str, Mapping[str, int]]) -> None:
    """Every received unit gets exactly one grade."""
    for sku, units in received.items():
        given = grades.get(sku, {})
        bad = set(given) - set(GRADES)
        if bad or any(n < 0 for n in given.values()) or sum(given.values()) != units:
            raise InvalidGrading(f"grade all {units} received units of {sku} as {', '.join(GRADES)}",
                                 sku=sku, received=units, graded=dict(given))
    extra = set(grades) - set(received)
    if extra:
        raise InvalidGrading("grades name SKUs this return does not hold", skus=sorted(extra))


ANYWHERE = "*"


def returns_centre(centres: Mapping[str, uuid.UUID], address: Mapping[str, str] | None) -> uuid.UUID | None:
    """The regional returns centre for a buyer's address: its province (or state), else its country, else "*"."""
    address = address or {}
    for region in (address.get("province"), address.get("country"), ANYWHERE):
        if region and region in centres:
            return centres[region]
    return None

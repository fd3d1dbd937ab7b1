"""A reseller's payment releases its orders held over the credit limit once its credit covers them: oldest hold
first, each through ReleaseOrder (stock reserved, charged, OrderUpdated, an `order.release` audit naming the
payment) when the credit left covers it then, one still short left held; a payment that leaves it short releases
nothing; a raised limit releases as a payment does; a payment refused changes nothing."""

import pytest
from tests.api.resellers.conftest import ACCOUNT, TERMS, place, released_audit, status_of

from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.snapshots import outbox, snapshot

PAYMENTS = f"{ACCOUNT}/payments"  # each 1-tee order owes 8,000 + 300 of a 20,000 limit


def test_a_payment_releases_exactly_the_held_orders_it_now_covers_oldest_first(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)  # 16,300 owed, reserved
    held = [place(reseller, f"R-{n}") for n in (2, 3, 4)]
    assert [h["status"] for h in held] == ["on_hold"] * 3 and reseller.levels()[0]["reserved"] == 2

    first = reseller.post(PAYMENTS, {"amount": 5_000, "reference": "BANK-1"})  # 11,300 + 8,300 fits; +8,300 not

    assert first["released"] == [held[0]["id"]] and first["balance"] == 11_300 + 8_300
    assert [status_of(reseller, h) for h in held] == ["reserved", "on_hold", "on_hold"]
    assert reseller.levels()[0]["reserved"] == 3
    assert released_audit(reseller) == [(held[0]["id"], reseller.tenant.actor_name("admin"),
                                          "the reseller's credit covers it after payment BANK-1")]
    released_events = [e.body for e in outbox(reseller.hub) if e.type == "OrderUpdated"
                       and e.body["order_id"] == held[0]["id"]]
    assert [e["status"] for e in released_events] == ["reserved"]

    second = reseller.post(PAYMENTS, {"amount": 20_000, "reference": "BANK-2"})  # -400: both fit, in order

    assert second["released"] == [held[1]["id"], held[2]["id"]]
    assert [row[0] for row in released_audit(reseller)] == [h["id"] for h in held]
    assert second["balance"] == 19_600 - 20_000 + 2 * 8_300 and second["credit_left"] == 20_000 - 16_200
    assert [status_of(reseller, h) for h in held] == ["reserved"] * 3 and reseller.levels()[0]["reserved"] == 5
    assert reseller.get("/api/v1/cleaning/holds")["holds"] == []


def test_a_payment_that_leaves_it_short_releases_nothing(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)
    held = place(reseller, "R-2")
    levels = reseller.levels()

    paid = reseller.post(PAYMENTS, {"amount": 4_000, "reference": "BANK-1"})  # 12,300 + 8,300 > 20,000

    assert paid["released"] == [] and paid["balance"] == 12_300
    assert status_of(reseller, held) == "on_hold" and reseller.levels() == levels and released_audit(reseller) == []
    assert [h["order_id"] for h in reseller.get("/api/v1/cleaning/holds")["holds"]] == [held["id"]]


def test_an_older_order_still_short_stays_held_and_a_younger_one_covered_is_released(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)  # 16,300
    older = place(reseller, "R-2", quantity=2)  # 16,300 more: over
    younger = place(reseller, "R-3")  # 8,300 more: over
    assert (older["status"], younger["status"]) == ("on_hold", "on_hold")

    paid = reseller.post(PAYMENTS, {"amount": 5_000, "reference": "BANK-1"})  # 11,300: +16,300 no, +8,300 yes

    assert paid["released"] == [younger["id"]] and paid["balance"] == 19_600
    assert (status_of(reseller, older), status_of(reseller, younger)) == ("on_hold", "reserved")


def test_a_higher_credit_limit_releases_what_it_now_covers(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)
    held = place(reseller, "R-2")

    raised = reseller.client.put(f"{ACCOUNT}/terms", json={**TERMS, "credit_limit": 30_000},
                                 headers=reseller.headers())

    assert raised.status_code == 200 and raised.json()["released"] == [held["id"]]
    assert status_of(reseller, held) == "reserved" and raised.json()["balance"] == 24_600


@pytest.mark.parametrize(("role", "path", "body", "status", "code"), [
    ("partner", PAYMENTS, {"amount": 50_000, "reference": "SELF"}, 403, "auth.forbidden"),  # a reseller pays itself
    ("viewer", PAYMENTS, {"amount": 50_000, "reference": "X"}, 403, "auth.forbidden"),
    ("admin", "/api/v1/resellers/reseller-9/payments", {"amount": 50_000, "reference": "X"}, 404,
     "resellers.unknown_reseller"),
    ("admin", PAYMENTS, {"amount": 500.5, "reference": "X"}, 422, "request.not_minor_units"),
])
def test_a_refused_payment_releases_nothing_and_changes_nothing(reseller: Api, role: str, path: str, body: dict,
                                                               status: int, code: str) -> None:
    place(reseller, "R-1", quantity=2)
    held = place(reseller, "R-2")
    before, account = snapshot(reseller.hub), reseller.get(ACCOUNT)

    assert_error(reseller.client.post(path, json=body, headers=reseller.headers(role)), status, code)

    assert snapshot(reseller.hub) == before and reseller.get(ACCOUNT) == account
    assert status_of(reseller, held) == "on_hold"

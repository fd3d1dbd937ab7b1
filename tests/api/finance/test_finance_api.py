"""The finance API on SQLite and PostgreSQL: statements in (201, then 200 with the same id), refused whole with a
stable code and nothing written, fee terms by effective date, the reconciliation's contract, and a difference
resolved with a note (audited, once)."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from flexhub.identity.model import AuditEntry
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.finance import Sample, finance_rows, sample, sell_sample, set_terms
from flexhub.testing.snapshots import snapshot

STATEMENTS = "/api/v1/finance/statements"
RECONCILIATION = "/api/v1/finance/reconciliation"


@pytest.fixture
def wechat(api: Api) -> Sample:
    """The tenant holds the WeChat Pay sample's channel, terms and orders; nothing imported yet."""
    planted = sample("wechatpay_tradebill")
    sell_sample(api.hub, api.tenant.admin, planted)
    return planted


def statement(planted: Sample, **fields: Any) -> dict[str, Any]:
    return {"channel": planted.channel, "format": planted.format, "content": planted.content, **fields}


def fees(api: Api, code: str) -> str:
    return f"/api/v1/channels/{code}/fees"


def differences(api: Api, planted: Sample, role: str = "viewer", **params: str) -> list[dict[str, Any]]:
    return api.get(RECONCILIATION, role, channel=planted.channel, **params)["differences"]


def test_a_statement_is_imported_once_with_its_unreadable_line_reported(api: Api, wechat: Sample) -> None:
    first = api.post(STATEMENTS, statement(wechat), role="operator")
    again = api.post(STATEMENTS, statement(wechat), role="admin", status=200)

    assert (first["id"], first["lines"]) == (again["id"], 12)
    (unreadable,) = first["unreadable"]
    assert unreadable["line_no"] == 11 and "T恤,红色" in unreadable["raw"] and "28 cells" in unreadable["error"]
    listed = api.get(STATEMENTS, "viewer", channel=wechat.channel)["statements"]
    assert [(s["id"], s["lines"], s["unreadable_count"]) for s in listed] == [(first["id"], 12, 1)]
    assert api.get(f"{STATEMENTS}/{first['id']}", "viewer")["unreadable"] == first["unreadable"]


def test_a_statement_refused_whole_writes_nothing(api: Api, wechat: Sample) -> None:
    before = (snapshot(api.hub), finance_rows(api.hub))
    cases = [
        (statement(wechat, format="paypal_settlement"), 422, "finance.unknown_format"),
        (statement(wechat, content="order,amount\nA-1,9.90\n"), 422, "finance.unreadable_statement"),
        (statement(wechat, format="shopify_payments"), 422, "finance.unreadable_statement"),
        (statement(wechat, content="交易时间,商户订单号\n"), 422, "finance.unreadable_statement"),
        (statement(wechat, channel="no-such-shop"), 404, "channels.unknown_channel"),
        (statement(wechat, content="交易时间\x00"), 422, "request.invalid"),
    ]
    for body, status, code in cases:
        assert_error(api.client.post(STATEMENTS, json=body, headers=api.headers()), status, code)
    assert (snapshot(api.hub), finance_rows(api.hub)) == before


def test_statements_are_staff_business(api: Api, wechat: Sample) -> None:
    before = finance_rows(api.hub)
    viewer = api.client.post(STATEMENTS, json=statement(wechat), headers=api.headers("viewer"))
    partner = api.client.get(RECONCILIATION, params={"channel": wechat.channel}, headers=api.headers("partner"))
    operator_fees = api.client.put(fees(api, wechat.channel), json={"commission_pct": 1},
                                   headers=api.headers("operator"))

    assert_error(viewer, 403, "auth.forbidden")
    assert_error(partner, 403, "auth.forbidden")
    assert_error(operator_fees, 403, "auth.forbidden")
    assert finance_rows(api.hub) == before


def test_fee_terms_are_versioned_and_an_order_is_judged_by_those_of_its_day(api: Api, wechat: Sample) -> None:
    api.post(STATEMENTS, statement(wechat))
    assert ("fee_above_rate", "WX20250302000005") in {(d["kind"], d["external_id"]) for d in differences(api, wechat)}

    later = api.client.put(fees(api, wechat.channel), headers=api.headers(), json={
        "payment_fee_pct": 1.0, "commission_pct": 0, "fixed_per_order": 0, "effective_from": "2025-03-04"})

    assert later.status_code == 200, later.text
    assert later.json()["effective_from"] == "2025-03-04" and later.json()["payment_fee_pct"] == 1
    versions = api.get(fees(api, wechat.channel), "viewer")["versions"]
    assert [(v["effective_from"], v["payment_fee_pct"]) for v in versions] == [("2025-01-01", 0.6), ("2025-03-04", 1)]
    kinds = {(d["kind"], d["external_id"]) for d in differences(api, wechat)}
    assert ("fee_above_rate", "WX20250302000005") not in kinds  # placed on 3 March: 1 % allows its fee of 1.00
    assert ("amount_mismatch", "WX20250302000003") in kinds


def test_fee_terms_out_of_range_are_refused(api: Api, wechat: Sample) -> None:
    before = (snapshot(api.hub), finance_rows(api.hub))
    for body in ({"commission_pct": 2.12345}, {"commission_pct": -1}, {"payment_fee_pct": 101},
                 {"fixed_per_order": -5}, {"commission_pct": 1, "shipping": 3}):
        assert_error(api.client.put(fees(api, wechat.channel), json=body, headers=api.headers()), 422,
                     "request.invalid")
    unknown = api.client.put(fees(api, "no-such-shop"), json={"commission_pct": 1}, headers=api.headers())
    assert_error(unknown, 404, "channels.unknown_channel")
    assert (snapshot(api.hub), finance_rows(api.hub)) == before


def test_the_reconciliation_answers_its_contract(api: Api, wechat: Sample) -> None:
    api.post(STATEMENTS, statement(wechat))

    view = api.get(RECONCILIATION, "viewer", channel=wechat.channel)

    assert view["matched"] == wechat.matched and view["open"] == len(wechat.differences)
    assert (view["from"], view["to"]) == ("2025-03-02T00:00:00Z", "2025-03-07T00:00:00Z")
    for found in view["differences"]:
        assert {"id", "kind", "external_id", "expected", "actual", "reason", "lines", "resolution"} <= set(found)
    assert sorted((d["kind"], d["external_id"], d["expected"], d["actual"]) for d in view["differences"]) \
        == wechat.differences
    narrower = api.get(RECONCILIATION, channel=wechat.channel, **{"from": "2025-03-02", "to": "2025-03-03"})
    # the two orders of 2 March, both paid, and the statement's undated unreadable line, shown with any period
    assert (narrower["lines"], narrower["matched"]) == (3, 2)
    assert [d["kind"] for d in narrower["differences"]] == ["other"]
    backwards = api.client.get(RECONCILIATION, params={"channel": wechat.channel, "from": "2025-03-05",
                                                       "to": "2025-03-01"}, headers=api.headers())
    assert_error(backwards, 422, "finance.invalid_period")
    assert_error(api.client.get(RECONCILIATION, params={"channel": "nope"}, headers=api.headers()), 404,
                 "channels.unknown_channel")


def test_a_person_resolves_a_difference_once_with_a_note(api: Api, wechat: Sample) -> None:
    api.post(STATEMENTS, statement(wechat))
    (mismatch,) = [d for d in differences(api, wechat) if d["kind"] == "amount_mismatch"]
    path = f"{RECONCILIATION}/differences/{mismatch['id']}/resolve"
    before = (snapshot(api.hub), finance_rows(api.hub))
    for role, body, status, code in [("viewer", {"note": "ok"}, 403, "auth.forbidden"),
                                     ("operator", {"note": ""}, 422, "request.invalid"),
                                     ("operator", {"note": "x", "channel": "y"}, 422, "request.invalid")]:
        response = api.client.post(path, params={"channel": wechat.channel}, json=body, headers=api.headers(role))
        assert_error(response, status, code)
    unknown = api.client.post(f"{RECONCILIATION}/differences/{mismatch['id'][:-4]}ffff/resolve",
                              params={"channel": wechat.channel}, json={"note": "?"}, headers=api.headers())
    assert_error(unknown, 404, "finance.unknown_difference")
    assert (snapshot(api.hub), finance_rows(api.hub)) == before

    note = "buyer used a 10 yuan shop coupon the channel did not send; order corrected"
    resolved = api.client.post(path, params={"channel": wechat.channel}, json={"note": note},
                               headers=api.headers("operator"))
    twice = api.client.post(path, params={"channel": wechat.channel}, json={"note": "again"}, headers=api.headers())

    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["resolution"]["note"] == note
    assert_error(twice, 409, "finance.already_resolved")
    view = api.get(RECONCILIATION, channel=wechat.channel)
    (listed,) = [d for d in view["differences"] if d["id"] == mismatch["id"]]
    assert listed["resolution"]["note"] == note and listed["resolution"]["resolved_by"] == \
        api.tenant.actor_name("operator")
    assert view["open"] == len(wechat.differences) - 1
    with api.hub.uow(write=False) as uow:
        audited = uow.connection.execute(select(AuditEntry.actor, AuditEntry.detail)
                                         .where(AuditEntry.action == "difference.resolve")).all()
    assert [(actor, detail["note"], detail["kind"]) for actor, detail in audited] == \
        [(api.tenant.actor_name("operator"), note, "amount_mismatch")]


def test_terms_set_before_any_order_apply_from_their_date(api: Api, wechat: Sample) -> None:
    """Terms effective after every order of the sample leave its fees unjudged by them: the earlier version holds."""
    set_terms(api.hub, api.tenant.admin, wechat.channel, effective_from=date(2025, 4, 1), payment_fee_pct=5)
    api.post(STATEMENTS, statement(wechat))

    assert sorted((d["kind"], d["external_id"], d["expected"], d["actual"]) for d in differences(api, wechat)) \
        == wechat.differences


def test_profit_and_costs_answer_their_contract(api: Api, wechat: Sample) -> None:
    api.post(STATEMENTS, statement(wechat))

    (row,) = api.get("/api/v1/finance/profit", "viewer", by="store", basis="placed")["rows"]
    shipped = api.get("/api/v1/finance/profit", "viewer", by="store")
    costs = api.get("/api/v1/finance/costs", "viewer")["skus"]

    assert set(row) == {"key", "currency", "revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds",
                        "gross_profit", "margin", "return_costs"}  # the contract's, and return costs added
    assert (row["key"], row["currency"], row["revenue"]) == (wechat.channel, "CNY", sum(
        o["total"] for o in wechat.orders if o.get("then") != "cancel"))
    assert (shipped["basis"], shipped["rows"]) == ("shipped", [])  # none of the orders has shipped
    assert costs == [{"sku": "TEE-RED-M", "on_hand": 100, "unit_cost": 0, "value": 0}]  # received with no cost
    assert_error(api.client.get("/api/v1/finance/profit", params={"by": "colour"}, headers=api.headers()), 422,
                 "finance.unknown_dimension")
    assert_error(api.client.get("/api/v1/finance/profit", params={"by": "sku", "basis": "paid"},
                                headers=api.headers()), 422, "finance.unknown_basis")
    assert_error(api.client.get("/api/v1/finance/profit", params={"by": "sku"}, headers=api.headers("partner")),
                 403, "auth.forbidden")

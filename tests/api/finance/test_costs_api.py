"""Landed costs and carriers' charges through the API: written by staff who may write finance, refused for a
viewer or a partner and for a receipt that does not exist, with nothing written; and what a return cost."""

from flexhub.returns.commands import CreateReturn
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.builders import create_channel, create_location, create_sku, import_order, line
from flexhub.testing.snapshots import snapshot

LANDED = "/api/v1/finance/landed-costs"
CHARGES = "/api/v1/finance/carrier-charges"
FREIGHT = {"asn": "01900000-0000-7000-8000-000000000000", "kind": "freight", "amount": 900, "currency": "CNY"}
BILL = {"source": "ZTO bill 2025-03", "charges": [{"waybill_number": "ZTO1", "amount": 650, "currency": "cny"}]}


def test_refusals_write_nothing(api: Api) -> None:
    before = snapshot(api.hub)

    for role, path, body, status, code in [
        ("viewer", LANDED, FREIGHT, 403, "auth.forbidden"), ("partner", CHARGES, BILL, 403, "auth.forbidden"),
        ("viewer", CHARGES, BILL, 403, "auth.forbidden"), ("operator", LANDED, FREIGHT, 404, "finance.unknown_receipt"),
        ("operator", LANDED, {**FREIGHT, "asn": "not-a-notice"}, 404, "finance.unknown_receipt"),
        ("operator", CHARGES, {"charges": BILL["charges"] * 2}, 422, "finance.invalid_cost"),
        ("operator", CHARGES, {"charges": []}, 422, "request.invalid"),
    ]:
        answer = api.client.post(path, json=body, headers=api.headers(role))
        assert_error(answer, status, code)

    assert snapshot(api.hub) == before


def test_an_operator_records_a_bill(api: Api) -> None:
    answer = api.post(CHARGES, BILL, "operator", status=200)

    assert answer == {"recorded": 1, "unmatched": ["ZTO1"]}  # no shipment carries it yet: kept all the same
    assert api.get(LANDED, "viewer") == {"landed_costs": []}


RETURN_COSTS = "/api/v1/finance/return-costs"


def test_an_operator_records_what_a_return_cost_and_a_viewer_reads_it(api: Api) -> None:
    admin = api.tenant.admin
    create_sku(api.hub, admin, "TEE-RED-M")
    create_location(api.hub, admin, "WH-CENTRAL")
    create_channel(api.hub, admin, "douyin-live", "douyin")
    order = str(import_order(api.hub, admin, channel="douyin-live", external_id="DY-9",
                             lines=[line("TEE-RED-M", 1, 9900)]).order_id)
    rma = str(api.hub.handle(CreateReturn(actor=admin, order_id=order, lines={"TEE-RED-M": 1})).id)
    loose = str(api.hub.handle(CreateReturn(actor=admin, lines={"TEE-RED-M": 1})).id)  # names no order
    parcel = {"return_id": rma, "kind": "shipping", "amount": 1200, "currency": "cny", "waybill_number": "SF1"}
    before = snapshot(api.hub)

    for role, body, status, code in [
        ("viewer", parcel, 403, "auth.forbidden"), ("partner", parcel, 403, "auth.forbidden"),
        ("operator", {**parcel, "return_id": "01900000-0000-7000-8000-000000000000"}, 404, "finance.unknown_return"),
        ("operator", {**parcel, "return_id": loose}, 422, "finance.invalid_cost"),
        ("operator", {**parcel, "kind": "postage"}, 422, "finance.invalid_cost"),
        ("operator", {**parcel, "amount": 0}, 422, "request.invalid"),
    ]:
        assert_error(api.client.post(RETURN_COSTS, json=body, headers=api.headers(role)), status, code)
    assert snapshot(api.hub) == before

    kept = api.post(RETURN_COSTS, parcel, "operator")

    assert (kept["return_id"], kept["order_id"], kept["kind"], kept["amount"], kept["currency"]) == \
        (rma, order, "shipping", 1200, "CNY")
    assert [(c["id"], c["order_id"], c["waybill_number"]) for c in api.get(RETURN_COSTS, "viewer")["return_costs"]] \
        == [(kept["id"], order, "SF1")]


RATES = "/api/v1/finance/exchange-rates"
PROFIT = "/api/v1/finance/profit"


def test_rates_are_recorded_by_staff_who_write_finance_and_profit_names_a_missing_one(api: Api) -> None:
    admin = api.tenant.admin
    create_sku(api.hub, admin, "TEE-RED-M")
    create_location(api.hub, admin, "WH-CENTRAL")
    create_channel(api.hub, admin, "shopee-sg", "shopee")
    placed = import_order(api.hub, admin, channel="shopee-sg", external_id="SG-9", currency="SGD",
                          placed_at="2025-03-02T10:00:00+08:00", lines=[line("TEE-RED-M", 1, 2500)])
    rma = str(api.hub.handle(CreateReturn(actor=admin, order_id=str(placed.order_id), lines={"TEE-RED-M": 1})).id)
    api.post(RETURN_COSTS, {"return_id": rma, "kind": "shipping", "amount": 1200, "currency": "CNY"})  # yuan
    fixing = {"source": "BOC", "rates": [{"from": "SGD", "to": "CNY", "date": "2025-03-01", "rate": "5.40"}]}
    before = snapshot(api.hub)

    for role, body, status, code in [
        ("viewer", fixing, 403, "auth.forbidden"), ("partner", fixing, 403, "auth.forbidden"),
        ("operator", {"rates": [{**fixing["rates"][0], "rate": "0"}]}, 422, "request.invalid"),
        ("operator", {"rates": [{**fixing["rates"][0], "to": "SGD"}]}, 422, "finance.invalid_rate"),
    ]:
        assert_error(api.client.put(RATES, json=body, headers=api.headers(role)), status, code)
    assert snapshot(api.hub) == before
    # the order has not shipped: counted on basis placed, which needs its costs converted
    missing = api.client.get(PROFIT, params={"by": "channel", "basis": "placed"}, headers=api.headers("viewer"))
    assert_error(missing, 409, "finance.missing_exchange_rate")
    assert missing.json()["error"]["details"]["missing"] == [{"from": "CNY", "to": "SGD", "date": "2025-03-02"}]

    assert api.client.put(RATES, json=fixing, headers=api.headers("operator")).json() == \
        {"recorded": 1, "cost_currency": "CNY"}
    assert [r["rate"] for r in api.get(RATES, "viewer")["rates"]] == ["5.40"]
    assert api.get(PROFIT, "viewer", by="channel", basis="placed")["rows"][0]["currency"] == "SGD"

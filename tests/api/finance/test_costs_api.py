"""Landed costs and carriers' charges through the API: written by staff who may write finance, refused for a
viewer or a partner and for a receipt that does not exist, with nothing written."""

from flexhub.testing.api_client import Api, assert_error
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

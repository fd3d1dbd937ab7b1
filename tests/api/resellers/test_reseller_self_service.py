"""A reseller on its own: its key connects its store (a channel it owns, listings mapped to the brand's SKUs), sees
each listing's allotted available-to-sell, sets the name and logo of its blind drop-ship parcels, opens returns of
its own orders and sees them credited; 仓储费 on its consigned stock charged per unit-day. Another reseller's
store, order or account is 404 with nothing changed."""

import base64
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image

from flexhub.identity import audit_entries
from flexhub.identity.commands import CreatePartner
from flexhub.kernel import clock
from flexhub.testing.api_client import ADJUSTMENTS, CHANNELS, ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

ACCOUNT = "/api/v1/resellers/reseller-1"
TERMS = {"currency": "CNY", "credit_limit": 50_000, "dropship_fee": 300, "storage_fee_per_unit_day": 2}
PRICES = {"prices": [{"sku": "TEE-RED-M", "unit_price": 8000, "valid_from": "2020-01-01"}]}
STORE = {"code": "r1-shopee", "platform": "generic", "name": "Lion City Tees on Shopee"}


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (24, 24), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def reseller(shop: Api) -> Api:
    """`shop` (the brand "Acme" selling TEE-RED-M from WH-CENTRAL) with reseller-1 on credit terms, and reseller-2."""
    shop.hub.handle(CreatePartner(actor=shop.tenant.admin, code="reseller-2", kind="reseller"))
    shop.client.put(f"{ACCOUNT}/terms", json=TERMS, headers=shop.headers()).raise_for_status()
    shop.client.put(f"{ACCOUNT}/prices", json=PRICES, headers=shop.headers()).raise_for_status()
    return shop


def connected(api: Api) -> Api:
    api.post(f"{ACCOUNT}/stores", STORE, role="partner")
    api.post(f"{ACCOUNT}/stores/r1-shopee/listings", {"external_sku": "LCT-RED-M", "sku": "TEE-RED-M"},
             role="partner")
    return api


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_the_reseller_connects_its_store_and_sees_its_allotted_available_to_sell(reseller: Api) -> None:
    created = reseller.post(f"{ACCOUNT}/stores", STORE, role="partner")
    reseller.post(f"{ACCOUNT}/stores/r1-shopee/listings", {"external_sku": "LCT-RED-M", "sku": "TEE-RED-M"},
                  role="partner")

    assert created["pools"] == ["spot"] and created["code"] == "r1-shopee"
    assert planned(reseller) == [("r1-shopee", [("LCT-RED-M", "TEE-RED-M", 5)])]
    channels = reseller.get(CHANNELS, role="partner")["channels"]
    assert [c["code"] for c in channels] == ["r1-shopee"]  # its own, not the brand's `web`
    with reseller.hub.uow(write=False) as uow:
        entry = audit_entries(uow.connection, reseller.tenant.admin.tenant_id, action="channel.create")[0]
    assert entry.actor == reseller.tenant.actor_name("partner")


def planned(api: Api) -> list:
    """The hub's workers plan the new listing's figure (relay, then planner); the reseller's view of it."""
    api.hub.workers.start()
    try:
        deadline, shown = time.monotonic() + 15, []
        while time.monotonic() < deadline:
            stores = api.get(f"{ACCOUNT}/stores", role="partner")["stores"]
            shown = [(s["code"], [(x["external_sku"], x["sku"], x["available"]) for x in s["listings"]])
                     for s in stores]
            if all(x[2] is not None for _, listings in shown for x in listings):
                return shown
            time.sleep(0.1)
    finally:
        api.hub.workers.stop()
    return shown


@pytest.mark.parametrize(("path", "body", "status", "code"), [
    (f"{ACCOUNT}/stores", {**STORE, "pools": ["consigned:reseller-2"]}, 422, "resellers.invalid_pools"),
    (f"{ACCOUNT}/stores", {**STORE, "pools": ["presale"]}, 422, "resellers.invalid_pools"),
    ("/api/v1/resellers/reseller-2/stores", STORE, 404, "resellers.unknown_reseller"),
    (f"{ACCOUNT}/stores/web/listings", {"external_sku": "X", "sku": "TEE-RED-M"}, 404, "channels.unknown_channel"),
    ("/api/v1/resellers/reseller-2/brand", {"name": "Someone else"}, 404, "resellers.unknown_reseller"),
    (f"{ACCOUNT}/brand", {"name": "Lion City Tees", "logo": "R0lGODlhAQABAAAAACw="}, 422, "resellers.invalid_logo"),
])
def test_what_a_reseller_may_not_connect_is_refused_and_nothing_changes(reseller: Api, path: str, body: dict,
                                                                        status: int, code: str) -> None:
    before = snapshot(reseller.hub), reseller.get(CHANNELS)

    response = reseller.client.request("PUT" if path.endswith("/brand") else "POST", path, json=body,
                                       headers=reseller.headers("partner"))

    assert_error(response, status, code)
    assert (snapshot(reseller.hub), reseller.get(CHANNELS)) == before


def test_the_brands_viewer_may_not_connect_a_store(reseller: Api) -> None:
    before = snapshot(reseller.hub)
    assert_error(reseller.client.post(f"{ACCOUNT}/stores", json=STORE, headers=reseller.headers("viewer")), 403,
                 "auth.forbidden")
    assert snapshot(reseller.hub) == before


def _shipped_order(api: Api, external_id: str = "LCT-0001") -> tuple[dict, dict]:
    order = api.post(ORDERS, order_body(external_id, channel="r1-shopee", lines=[
        {"sku": "TEE-RED-M", "quantity": 2, "unit_price": 12900}]), role="partner")
    api.post(f"{ORDERS}/{order['id']}/route", {}, status=200)
    shipment = api.post(f"{ORDERS}/{order['id']}/shipments", {"node": "WH-CENTRAL"})
    return order, shipment


def test_a_resellers_packing_slip_names_the_reseller_and_nothing_of_the_brand(reseller: Api) -> None:
    connected(reseller)
    branded = reseller.client.put(f"{ACCOUNT}/brand", headers=reseller.headers("partner"), json={
        "name": "Lion City Tees", "phone": "+6561234567", "logo": base64.b64encode(png()).decode()})
    assert branded.status_code == 200, branded.text
    order, shipment = _shipped_order(reseller)

    slip = reseller.client.get(f"/api/v1/shipments/{shipment['id']}/packing-slip",
                               headers=reseller.headers("partner"))

    assert slip.status_code == 200 and slip.headers["content-type"] == "application/pdf"
    text = pdf_text(slip.content)
    assert "Lion City Tees" in text and "+6561234567" in text and "LCT-0001" in text and "TEE-RED-M" in text
    assert "Acme" not in text and "WH-CENTRAL" not in text and "12900" not in text
    assert b"/Subtype /Image" in slip.content  # the logo
    assert reseller.get(ACCOUNT, role="partner")["brand"] == {"name": "Lion City Tees", "phone": "+6561234567",
                                                              "logo": True}
    brands_own = reseller.post(ORDERS, order_body("WEB-1", lines=[{"sku": "TEE-RED-M", "quantity": 1,
                                                                   "unit_price": 9900}]))
    reseller.post(f"{ORDERS}/{brands_own['id']}/route", {}, status=200)
    own = reseller.post(f"{ORDERS}/{brands_own['id']}/shipments", {"node": "WH-CENTRAL"})
    assert "Acme" in pdf_text(reseller.client.get(f"/api/v1/shipments/{own['id']}/packing-slip",
                                                  headers=reseller.headers()).content)
    assert_error(reseller.client.get(f"/api/v1/shipments/{own['id']}/packing-slip",
                                     headers=reseller.headers("partner")), 404, "fulfillment.unknown_shipment")


def test_the_reseller_opens_a_return_of_its_own_order_and_is_credited_when_it_comes_back(reseller: Api) -> None:
    connected(reseller)
    order, shipment = _shipped_order(reseller)
    for step, body in (("pick", {}), ("pack", {}), ("ship", {"waybill_number": "SF1000000001"})):
        reseller.post(f"/api/v1/shipments/{shipment['id']}/{step}", body, status=200)
    assert reseller.get(ACCOUNT, role="partner")["balance"] == 2 * 8000 + 300

    rma = reseller.post("/api/v1/returns", {"order_id": order["id"], "lines": {"TEE-RED-M": 1},
                                            "reason": "too small"}, role="partner")
    assert rma["state"] == "open" and rma["node"] is None
    assert [r["id"] for r in reseller.get("/api/v1/returns", role="partner")["returns"]] == [rma["id"]]
    reseller.post(f"/api/v1/returns/{rma['id']}/receive", {"node": "WH-CENTRAL"}, status=200)
    reseller.post(f"/api/v1/returns/{rma['id']}/receive", {"node": "WH-CENTRAL"}, status=409)  # once

    assert reseller.get(ACCOUNT, role="partner")["balance"] == 8000 + 300
    statement = reseller.get(f"{ACCOUNT}/statement", role="partner")
    assert statement["totals"]["returned"] == -8000
    assert reseller.get(f"/api/v1/returns/{rma['id']}", role="partner")["state"] == "received"


def test_a_return_of_anothers_order_is_refused_and_nothing_changes(reseller: Api) -> None:
    connected(reseller)
    brands_own = reseller.post(ORDERS, order_body("WEB-1"))
    before = snapshot(reseller.hub)

    for body in ({"order_id": brands_own["id"], "lines": {"TEE-RED-M": 1}},
                 {"order_id": str(uuid.uuid4()), "lines": {"TEE-RED-M": 1}}):
        assert_error(reseller.client.post("/api/v1/returns", json=body, headers=reseller.headers("partner")), 404,
                     "ordering.unknown_order")
    assert_error(reseller.client.post("/api/v1/returns", json={"lines": {"TEE-RED-M": 1}},
                                      headers=reseller.headers("partner")), 422, "request.invalid")
    staff = reseller.post("/api/v1/returns", {"order_id": brands_own["id"], "lines": {"TEE-RED-M": 1}})
    assert reseller.get("/api/v1/returns", role="partner")["returns"] == []
    assert_error(reseller.client.get(f"/api/v1/returns/{staff['id']}", headers=reseller.headers("partner")), 404,
                 "returns.unknown_return")
    assert snapshot(reseller.hub).levels == before.levels


def test_storage_is_charged_per_unit_day_on_consigned_stock_once(reseller: Api) -> None:
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    real = clock._now  # put back whatever was in force
    clock.set_clock(lambda: three_days_ago)
    try:
        reseller.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "pool": "consigned:reseller-1",
                                    "quantity_delta": 40, "reason": "consigned by reseller-1"})
    finally:
        clock.set_clock(real)
    reseller.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "pool": "consigned:reseller-1",
                                "quantity_delta": -15, "reason": "taken back"})  # today: not yet charged
    day = (three_days_ago + timedelta(days=1)).date().isoformat()

    charged = reseller.post("/api/v1/resellers/storage-charges", {"day": day})
    again = reseller.post("/api/v1/resellers/storage-charges", {"day": day})

    assert charged == {"day": day, "charged": {"reseller-1": 40 * 2}} and again == {"day": day, "charged": {}}
    month = day[:7]
    entries = reseller.get(f"{ACCOUNT}/statement", role="partner", month=month)["entries"]
    assert [(e["kind"], e["reference"], e["amount"]) for e in entries] == [("storage_fee", f"storage {day}", 80)]
    assert_error(reseller.client.post("/api/v1/resellers/storage-charges", json={"day": day},
                                      headers=reseller.headers("partner")), 403, "auth.forbidden")

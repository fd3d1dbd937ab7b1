"""Issue 15's end to end, on SQLite and PostgreSQL, through HTTP as each party would: a reseller's own key connects
its store in the sandbox (a channel it owns, its listing mapped to the brand's SKU) and sees its allotted stock
pushed there; a buyer orders in that store; the order is charged to the reseller at its price list plus the 代发费,
routed, and shipped by the brand with an SF waybill whose sender, label and packing slip name the reseller and
nothing of the brand (blind drop-ship); SF's scans carry it to delivered; a second order over the credit limit is
held with nothing reserved; the reseller opens a return, the brand receives it and the reseller is credited,
which releases the held order the freed credit covers. Every figure is read from the reseller's sign-in and from
the brand's, and the statement's totals are asserted; a second reseller sees none of it."""

import subprocess
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from flexhub.identity.commands import CreateApiKey, CreatePartner
from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.stage import Stage, wait_until

SKU = "TEE-RED-M"
ME = "/api/v1/resellers/reseller-sg"
TERMS = {"currency": "CNY", "credit_limit": 20_000, "dropship_fee": 300, "storage_fee_per_unit_day": 0}


@pytest.fixture
def parties(stage: Stage) -> Iterator[dict[str, httpx2.Client]]:
    """HTTP clients of the brand's admin, reseller-sg (Lion City Tees) and reseller-my, each with its own key."""
    hub, admin = stage.hub, stage.admin
    keys = {"brand": hub.handle(CreateApiKey(actor=admin, role="admin", name="brand")).token}
    for code in ("reseller-sg", "reseller-my"):
        hub.handle(CreatePartner(actor=admin, code=code, kind="reseller"))
        keys[code] = hub.handle(CreateApiKey(actor=admin, role="partner", name=code, partner=code)).token
    clients = {who: httpx2.Client(base_url=stage.market.hub_url, headers={"Authorization": f"Bearer {key}"},
                                  timeout=30) for who, key in keys.items()}
    yield clients
    for client in clients.values():
        client.close()


def ok(response: httpx2.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if "json" in response.headers.get("content-type", "") else response.content


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def order_of(client: httpx2.Client, number: str, status: str | None = None) -> dict | None:
    found = ok(client.get("/api/v1/orders", params={"external_id": number}))["orders"]
    return found[0] if found and (status is None or found[0]["status"] == status) else None


def test_a_resellers_store_sells_and_its_order_is_routed_shipped_blind_tracked_and_returned(
        stage: Stage, sf: SfSandbox, parties: dict[str, httpx2.Client]) -> None:
    brand, me, other = parties["brand"], parties["reseller-sg"], parties["reseller-my"]
    ok(brand.put(f"{ME}/terms", json=TERMS))
    ok(brand.put(f"{ME}/prices", json={"prices": [{"sku": SKU, "unit_price": 8000, "valid_from": "2020-01-01"}]}))

    # The reseller connects its sandbox store with its own key, maps its listing and names its parcels.
    store = stage.market.open_store("generic", "sg-shop", ["LCT-TEE-RED"])
    ok(me.post(f"{ME}/stores", json={"code": "sg-shop", "platform": "generic", "name": "Lion City Tees",
                                     "credentials": dict(store.credentials)}), 201)
    listing = store.listing("LCT-TEE-RED")
    ok(me.post(f"{ME}/stores/sg-shop/listings", json={"external_sku": listing.sku, "sku": SKU,
                                                       "external_item_id": listing.item_id,
                                                       "external_location_id": listing.location_id}), 201)
    ok(me.put(f"{ME}/brand", json={"name": "Lion City Tees", "phone": "+6561234567"}))
    wait_until(lambda: store.listing("LCT-TEE-RED").quantity == 10)  # its allotment, pushed to its store
    listings = wait_until(lambda: [(x["sku"], x["available"], x["shown"]) for s in ok(me.get(f"{ME}/stores"))["stores"]
                                   for x in s["listings"] if x["shown"] is not None])  # the push confirmed
    assert listings == [(SKU, 10, 10)]

    # A buyer orders two in the reseller's store: charged at its price list, routed.
    placed = stage.market.place_order(store, {"LCT-TEE-RED": 2})
    order = wait_until(lambda: order_of(me, placed.external_id, "routed"))
    assert ok(me.get(ME))["balance"] == 2 * 8000 + 300
    assert order_of(brand, placed.external_id)["id"] == order["id"]  # the brand sees it too
    assert ok(other.get("/api/v1/orders"))["orders"] == []
    assert other.get(f"/api/v1/orders/{order['id']}").status_code == 404

    # One more would take it over its credit limit: held, nothing reserved.
    second = stage.market.place_order(store, {"LCT-TEE-RED": 1})
    held = wait_until(lambda: order_of(me, second.external_id, "on_hold"))
    detail = ok(me.get(f"/api/v1/orders/{held['id']}"))
    assert detail["status_reason"] == "held: credit.over_limit" and detail["reservations"] == []
    assert ok(me.get(ME))["balance"] == 16_300 and ok(me.get(ME))["credit_left"] == 3_700
    assert [h["order_id"] for h in ok(brand.get("/api/v1/cleaning/holds"))["holds"]] == [held["id"]]

    # The brand ships it with SF: the waybill, the label and the packing slip name the reseller, not the brand.
    shipment = ok(brand.post(f"/api/v1/orders/{order['id']}/shipments", json={"node": "WH-HZ",
                                                                            "carrier": "sf_express"}), 201)
    waybill = shipment["waybill_number"]
    assert sf.parcels[waybill].sender["contact"] == "Lion City Tees"
    assert sf.parcels[waybill].sender["mobile"] == "+6561234567"
    label = text_of(ok(me.get(f"/api/v1/shipments/{shipment['id']}/label")))
    slip = text_of(ok(me.get(f"/api/v1/shipments/{shipment['id']}/packing-slip")))
    for shown in (label, slip):
        assert "Lion City Tees" in shown and "Acme" not in shown and "WH-HZ" not in shown
    assert placed.external_id in slip
    for step in ("pick", "pack", "ship"):
        ok(brand.post(f"/api/v1/shipments/{shipment['id']}/{step}", json={}))
    wait_until(lambda: store.orders[placed.external_id].status == "shipped")  # the store is told, tracking number

    # Tracked to the door, as the reseller sees it.
    for scan in ("picked_up", "out_for_delivery", "delivered"):
        sf.scan(waybill, scan)
    wait_until(lambda: order_of(me, placed.external_id, "delivered"))
    [parcel] = ok(me.get("/api/v1/shipments"))["shipments"]
    assert (parcel["state"], parcel["waybill_number"], parcel["node"]) == ("delivered", waybill, None)
    assert ok(other.get("/api/v1/shipments"))["shipments"] == []

    # The reseller opens a return; the brand receives it; the reseller is credited what it was charged.
    rma = ok(me.post("/api/v1/returns", json={"order_id": order["id"], "lines": {SKU: 1}, "reason": "too small"}),
             201)
    assert other.get(f"/api/v1/returns/{rma['id']}").status_code == 404
    ok(brand.post(f"/api/v1/returns/{rma['id']}/receive", json={"node": "WH-HZ"}))
    assert [(r["id"], r["state"]) for r in ok(me.get("/api/v1/returns"))["returns"]] == [(rma["id"], "received")]
    # The credit the return freed releases the held order it now covers, which takes stock and is charged.
    wait_until(lambda: ok(me.get(ME))["balance"] == 16_300 - 8_000 + 8_300)
    assert order_of(me, second.external_id)["status"] in ("reserved", "routed")

    # It pays; nothing is left held for the payment to release.
    paid = ok(brand.post(f"{ME}/payments", json={"amount": 10_000, "reference": "BANK-SG-1"}), 201)
    assert paid["released"] == []
    assert ok(me.get(ME))["balance"] == 8_300 - 10_000 + 8_300

    statement = ok(me.get(f"{ME}/statement"))
    assert statement["totals"] == {"goods": 24_000, "dropship_fee": 600, "storage_fee": 0, "cancelled": 0,
                                   "returned": -8_000, "payment": -10_000}
    assert statement["opening"] == 0 and statement["closing"] == 6_600
    assert [(r["partner"], r["balance"]) for r in ok(brand.get("/api/v1/resellers"))["resellers"]] == [
        ("reseller-my", 0), ("reseller-sg", 6_600)]
    assert other.get(f"{ME}/statement").status_code == 404

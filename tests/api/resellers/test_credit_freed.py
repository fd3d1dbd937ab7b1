"""Credit freed releases a reseller's orders held over its credit limit, as a payment does: an order of it cancelled
(credited back) or a return of it received (credited) tells ResellerCredited, and its held orders the credit now
covers are released oldest first through ordering's ReleaseOrder (stock reserved, OrderUpdated, an `order.release`
audit naming what freed it, as whoever freed it). A cancellation refused, or one that frees nothing (a held order
was never charged), releases nothing and changes nothing."""

from tests.api.resellers.conftest import ACCOUNT, place, released_audit, status_of

from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.snapshots import outbox, snapshot

# each 1-tee order owes 8,000 + 300 of a 20,000 limit: R-1 of two tees (16,300) leaves no room for another


def test_an_order_cancelled_releases_the_held_orders_its_credit_now_covers_oldest_first(reseller: Api) -> None:
    first = place(reseller, "R-1", quantity=2)
    held = [place(reseller, f"R-{n}") for n in (2, 3, 4)]
    assert [h["status"] for h in held] == ["on_hold"] * 3 and reseller.levels()[0]["reserved"] == 2

    reseller.post(f"{ORDERS}/{first['id']}/cancel", {"reason": "buyer changed their mind"}, role="partner",
                  status=200)
    assert [status_of(reseller, h) for h in held] == ["on_hold"] * 3  # the credit freed is told after the commit
    reseller.hub.relay.run_once()

    # 0 owed after the cancellation: fit (16,600), R-4 would take it past 20,000
    assert [status_of(reseller, h) for h in held] == ["reserved", "reserved", "on_hold"]
    assert reseller.levels()[0]["reserved"] == 2 and reseller.get(ACCOUNT)["balance"] == 2 * 8_300
    canceller = reseller.tenant.actor_name("partner")
    assert released_audit(reseller) == [(h["id"], canceller, "the reseller's credit covers it after order R-1 was "
                                                       "cancelled") for h in held[:2]]
    updated = [e.body["order_id"] for e in outbox(reseller.hub) if e.type == "OrderUpdated"
               and e.body["status"] == "reserved"]
    assert updated == [held[0]["id"], held[1]["id"]]
    reseller.hub.relay.run_once()  # the event delivered again changes nothing more
    assert [status_of(reseller, h) for h in held] == ["reserved", "reserved", "on_hold"]
    assert len(released_audit(reseller)) == 2


def test_a_return_received_releases_the_held_order_its_credit_now_covers(reseller: Api) -> None:
    first = place(reseller, "R-1", quantity=2)
    held = place(reseller, "R-2")
    reseller.post(f"{ORDERS}/{first['id']}/route", {}, status=200)
    parcel = reseller.post(f"{ORDERS}/{first['id']}/shipments", {"node": "WH-CENTRAL"})
    for step, body in (("pick", {}), ("pack", {}), ("ship", {"waybill_number": "SF1000000001"})):
        reseller.post(f"/api/v1/shipments/{parcel['id']}/{step}", body, status=200)
    rma = reseller.post("/api/v1/returns", {"order_id": first["id"], "lines": {"TEE-RED-M": 1},
                                            "reason": "too small"}, role="partner")
    reseller.hub.relay.run_once()
    assert status_of(reseller, held) == "on_hold"  # opened, nothing received: no credit yet

    reseller.post(f"/api/v1/returns/{rma['id']}/receive", {"node": "WH-CENTRAL"}, status=200)
    reseller.hub.relay.run_once()

    assert status_of(reseller, held) == "reserved" and reseller.get(ACCOUNT)["balance"] == 8_300 + 8_300
    assert released_audit(reseller) == [(held["id"], reseller.tenant.actor_name("admin"),
                                    f"the reseller's credit covers it after return {rma['id']} was received")]


def test_a_held_order_cancelled_frees_no_credit_and_releases_nothing(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)
    older, younger = place(reseller, "R-2"), place(reseller, "R-3")
    account = reseller.get(ACCOUNT)

    reseller.post(f"{ORDERS}/{older['id']}/cancel", {}, role="partner", status=200)  # never charged: nothing back
    reseller.hub.relay.run_once()

    assert status_of(reseller, younger) == "on_hold" and released_audit(reseller) == []
    assert reseller.get(ACCOUNT)["balance"] == account["balance"]
    assert not [e for e in outbox(reseller.hub) if e.type == "ResellerCredited"]


def test_a_cancellation_refused_frees_nothing_and_changes_nothing(reseller: Api) -> None:
    first = place(reseller, "R-1", quantity=2)
    held = place(reseller, "R-2")
    reseller.hub.relay.run_once()
    before, account = snapshot(reseller.hub), reseller.get(ACCOUNT)

    refused = reseller.client.post(f"{ORDERS}/{first['id']}/cancel", json={}, headers=reseller.headers("viewer"))
    assert_error(refused, 403, "auth.forbidden")
    reseller.hub.relay.run_once()

    assert snapshot(reseller.hub) == before and reseller.get(ACCOUNT) == account
    assert (status_of(reseller, first), status_of(reseller, held)) == ("reserved", "on_hold")
    assert released_audit(reseller) == []

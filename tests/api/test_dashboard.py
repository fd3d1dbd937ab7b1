"""The dashboard's pages over HTTP (no browser): transfers, a SKU's page, the order search, an order's raw
payload and its masking, each gated by role. Every refused post leaves everything as it was."""

import json
import re
import time
import uuid

import pytest
from sqlalchemy import func, insert, select

from flexhub.channels import inbound
from flexhub.channels import repository as channel_repository
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Listing, StockPush
from flexhub.channels.queries import sync_status
from flexhub.db.jobs import QueuedJob
from flexhub.fulfillment import commands as ful
from flexhub.inventory.model import Transfer
from flexhub.kernel import clock
from flexhub.ordering.model import Order
from flexhub.routing.commands import RouteOrder
from flexhub.testing import builders
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.snapshots import level, snapshot


@pytest.fixture
def store(shop: Api) -> Api:
    """`shop` plus a store node, a listing on `web`, and order W-3001 imported from a webhook body."""
    admin = shop.tenant.admin
    builders.create_location(shop.hub, admin, "STORE-SH", kind="store")
    shop.hub.handle(CreateListing(actor=admin, channel="web", external_sku="WEB-TEE", sku="TEE-RED-M"))
    with shop.hub.uow(write=False) as uow:
        web = channel_repository.channels_by_code(uow.connection, admin.tenant_id, ["web"])["web"]
    body = builders.order_body("W-3001", lines=[builders.line("WEB-TEE", 1, 9900)],
                               buyer={"name": "王小明", "phone": "13912345678", "email": "xm@example.cn"})
    body.pop("channel")
    body["shipping_address"]["line2"] = "<script>alert(1)</script>"  # shown as text, never run
    inbound.keep(shop.hub, web, "webhook", {"content-type": "application/json"}, json.dumps(body))
    inbound.process_pending(shop.hub)
    return shop


def as_role(api: Api, role: str) -> Api:
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303
    return api


def order_id(api: Api, external_id: str = "W-3001") -> str:
    with api.hub.uow(write=False) as uow:
        return str(uow.connection.execute(select(Order.id).where(Order.external_id == external_id)).scalar_one())


def transfers(api: Api) -> int:
    with api.hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(Transfer)).scalar_one()


TRANSFER = {"from_location": "WH-CENTRAL", "to_location": "STORE-SH", "sku": ["TEE-RED-M", ""],
            "quantity": ["2", ""], "pool": "spot", "reference": "restock"}


def test_an_operator_sends_a_transfer_and_receives_it(store: Api) -> None:
    as_role(store, "operator")

    sent = store.client.post("/transfers", data=TRANSFER, follow_redirects=False)
    listed = store.client.get("/transfers").text

    assert sent.status_code == 303
    assert re.search(r'data-figure="in_transit">2<', listed)
    assert "receive-transfer" in listed and "restock" in listed
    transfer_id = re.search(r'data-transfer="([0-9a-f-]{36})"', listed).group(1)
    received = store.client.post(f"/transfers/{transfer_id}/receive", follow_redirects=False)
    assert received.status_code == 303
    after = store.client.get("/transfers?state=received").text
    assert re.search(r'data-figure="in_transit">0<', after) and "receive-transfer" not in after
    assert level(store.hub, store.tenant.admin, "TEE-RED-M", "STORE-SH")["on_hand"] == 2


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"quantity": ["0", ""]}, 422, "inventory.invalid_quantity"),
    ({"quantity": ["two", ""]}, 422, "inventory.invalid_quantity"),
    ({"to_location": "NOWHERE"}, 404, "inventory.unknown_location"),
    ({"quantity": ["99", ""]}, 409, "inventory.negative_stock"),
])
def test_a_bad_transfer_is_shown_on_the_form_and_writes_nothing(store: Api, change: dict, status: int,
                                                                code: str) -> None:
    as_role(store, "operator")
    before = snapshot(store.hub)

    answer = store.client.post("/transfers", data={**TRANSFER, **change})

    assert answer.status_code == status and f'data-code="{code}"' in answer.text
    assert snapshot(store.hub) == before and transfers(store) == 0


def test_a_viewer_sees_no_transfer_actions_and_its_posts_are_refused(store: Api) -> None:
    transfer_id = builders.transfer(store.hub, store.tenant.admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 1})
    as_role(store, "viewer")
    before = snapshot(store.hub)

    page = store.client.get("/transfers").text
    created = store.client.post("/transfers", data=TRANSFER)
    received = store.client.post(f"/transfers/{transfer_id}/receive")

    assert 'data-form="transfer"' not in page and "receive-transfer" not in page and "<button>" in page
    assert_error(created, 403, "auth.forbidden")
    assert_error(received, 403, "auth.forbidden")
    assert snapshot(store.hub) == before and transfers(store) == 1


def test_a_partner_is_not_shown_the_brands_transfers(store: Api) -> None:
    as_role(store, "partner")

    assert_error(store.client.get("/transfers"), 403, "auth.forbidden")
    assert "/transfers" not in store.client.get("/inventory").text


def test_a_sku_page_shows_pools_reservations_and_each_listings_figure(store: Api) -> None:
    builders.receive(store.hub, store.tenant.admin, "TEE-RED-M", "STORE-SH", 3, pool="presale")
    planned_figure(store, "web", "WEB-TEE")
    as_role(store, "viewer")

    page = store.client.get("/inventory/TEE-RED-M").text

    pools = page.split('data-table="pools"')[1].split("</table>")[0]
    assert re.search(r"<th>spot</th><th>presale</th>", pools)
    assert re.search(r"<td>WH-CENTRAL</td><td class=\"num\">4</td><td class=\"num\">–</td>", pools)
    reservations = page.split('data-table="reservations"')[1].split("</table>")[0]
    assert f'href="/orders/{order_id(store)}"' in reservations
    listings = page.split('data-table="listings"')[1].split("</table>")[0]
    assert '<td>web</td><td>WEB-TEE</td><td class="num">4</td>' in listings  # 5 on hand, 1 held for W-3001


def planned_figure(api: Api, channel: str, external_sku: str) -> dict:
    """The hub's own workers plan the listing's figure from the stock changes (relay, then planner)."""
    api.hub.workers.start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with api.hub.uow(write=False) as uow:
                found = [r for r in sync_status(uow.connection, api.tenant.admin.tenant_id, channel)
                         if r["external_sku"] == external_sku]
            if found:
                return found[0]
            time.sleep(0.1)
    finally:
        api.hub.workers.stop()
    raise AssertionError(f"no figure planned for {external_sku}")


@pytest.mark.parametrize(("query", "found"), [
    ({"phone": "5678"}, ["W-3001"]),
    ({"phone": "0000"}, ["A-1001"]),
    ({"external_id": "W-3"}, ["W-3001"]),
    ({"channel": "web", "status": "reserved"}, ["A-1001", "W-3001"]),  # newest first
    ({"since": "2000-01-01", "until": "2000-01-02"}, []),
    ({"since": "2000-01-01"}, ["A-1001", "W-3001"]),
])
def test_orders_are_searched_by_phone_ending_number_channel_status_and_days(store: Api, query: dict,
                                                                            found: list) -> None:
    store.post("/api/v1/orders", builders.order_body("A-1001"))
    as_role(store, "operator")  # a role that sees phones

    page = store.client.get("/orders", params=query).text

    assert re.findall(r'<a href="/orders/[^"]+">([^<]+)</a>', page) == found


def test_a_viewer_may_not_search_by_a_phone_nor_find_an_order_by_one(store: Api) -> None:
    as_role(store, "viewer")

    by_phone = store.client.get("/orders", params={"phone": "5678"})
    by_words = store.client.get("/orders", params={"q": "5678"}).text

    assert by_phone.status_code == 403 and 'role="alert"' in by_phone.text and "W-3001" not in by_phone.text
    assert re.findall(r'<a href="/orders/[^"]+">([^<]+)</a>', by_words) == []
    assert 'name="phone"' not in by_words  # the field is not offered


@pytest.mark.parametrize("query", [{"phone": "12"}, {"phone": "abcd"}, {"since": "yesterday"}, {"status": "lost"}])
def test_a_bad_search_is_422_with_its_reason(store: Api, query: dict) -> None:
    as_role(store, "viewer")

    answer = store.client.get("/orders", params=query)

    assert answer.status_code == 422 and 'role="alert"' in answer.text


def test_an_order_page_shows_its_raw_payload_escaped_and_unmasked_for_an_operator(store: Api) -> None:
    as_role(store, "operator")

    page = store.client.get(f"/orders/{order_id(store)}").text

    payload = page.split('<pre class="payload">')[1].split("</pre>")[0]
    assert "13912345678" in payload and "王小明" in payload and "xm@example.cn" in payload
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in payload and "<script>alert" not in page
    assert 'data-masked="true"' not in page


def test_a_viewer_sees_the_payload_and_the_buyer_masked(store: Api) -> None:
    as_role(store, "viewer")

    page = store.client.get(f"/orders/{order_id(store)}").text

    assert "13912345678" not in page and "王小明" not in page and "xm@example.cn" not in page
    assert "文三路" not in page and "浙江省" in page
    payload = page.split('<pre class="payload">')[1].split("</pre>")[0]
    assert "*******5678" in payload and "x***@example.cn" in payload and "WEB-TEE" in payload
    assert 'data-masked="true"' in page


def test_an_order_from_the_api_says_it_has_no_channel_message(store: Api) -> None:
    store.post("/api/v1/orders", builders.order_body("A-1001"))
    as_role(store, "operator")

    page = store.client.get(f"/orders/{order_id(store, 'A-1001')}").text

    assert '<pre class="payload">' not in page and "did not come from a channel message" in page


def test_an_order_page_shows_its_shipment_and_tracking_events(store: Api) -> None:
    admin, wanted = store.tenant.admin, order_id(store)
    assert store.hub.handle(RouteOrder(actor=admin, order_id=wanted)).outcome == "routed"
    shipment = store.hub.handle(ful.CreateShipment(actor=admin, order_id=wanted)).id
    store.hub.handle(ful.ConfirmPick(actor=admin, shipment_id=str(shipment)))
    store.hub.handle(ful.PackShipment(actor=admin, shipment_id=str(shipment)))
    store.hub.handle(ful.ShipShipment(actor=admin, shipment_id=str(shipment), waybill_number="SF1234567890"))
    store.hub.handle(ful.RecordTrackingEvent(actor=admin, shipment_id=str(shipment), state="in_transit",
                                             description="Left the Hangzhou hub"))
    as_role(store, "viewer")

    page = store.client.get(f"/orders/{wanted}").text

    card = page.split(f'data-shipment="{shipment}"')[1].split("</div>")[0]
    assert "<b>WH-CENTRAL</b>" in card and "SF1234567890" in card
    tracking = card.split('data-table="tracking"')[1]
    assert "<td>in_transit</td>" in tracking and "Left the Hangzhou hub" in tracking
    assert "TEE-RED-M × 1" in card


def test_a_partner_sees_on_a_sku_page_only_the_pools_its_channels_sell_from(store: Api) -> None:
    admin = store.tenant.admin
    store.post("/api/v1/channels", {"code": "resale", "platform": "generic", "partner": "reseller-1",
                                    "pools": ["consigned:reseller-1"]})
    builders.receive(store.hub, admin, "TEE-RED-M", "STORE-SH", 4, pool="consigned:reseller-1")
    builders.receive(store.hub, admin, "TEE-RED-M", "STORE-SH", 3, pool="presale")
    as_role(store, "partner")

    page = store.client.get("/inventory/TEE-RED-M").text

    pools = page.split('data-table="pools"')[1].split("</table>")[0]
    assert "<th>consigned:reseller-1</th>" in pools and "<th>spot</th>" not in pools and "presale" not in pools
    assert 'data-table="reservations"' not in page
    ledger = page.split('data-table="ledger"')[1].split("</table>")[0]
    assert "consigned:reseller-1" in ledger and "<td>spot</td>" not in ledger


ORDER_CODES = ("awaiting_stock", "reserved", "routed", "on_hold", "partially_shipped")


def test_chinese_pages_show_no_status_code_and_times_in_shanghai(store: Api) -> None:
    """What the API says in codes, the Chinese orders, order and exceptions pages say in Chinese, with +08:00 times."""
    as_role(store, "admin")
    store.client.get("/lang/zh_Hans")
    order = builders.import_order(store.hub, store.tenant.admin, external_id="A-9",
                                  lines=[builders.line("TEE-RED-M", 50)])
    assert order.status == "awaiting_stock"

    pages = [store.client.get(path) for path in ("/orders", f"/orders/{order.order_id}", "/exceptions")]

    assert [p.status_code for p in pages] == [200, 200, 200]
    for shown in pages:
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style|option)[^>]*>[\s\S]*?</\1>|<[^>]+=\"[^\"]*\"", " ",
                                               shown.text))
        assert [code for code in ORDER_CODES if re.search(rf"\b{code}\b", text)] == [], shown.url
        assert "待补货" in text
    assert re.search(r"\d\d:\d\d:\d\d \+08:00", pages[0].text)
    assert not re.search(r"\d\d:\d\d:\d\d\.\d{6}", pages[1].text)  # no microseconds anywhere


def test_a_browser_meets_errors_as_pages_and_a_client_as_json(store: Api) -> None:
    """A page's error in the browser's language, with a way back; the same error as JSON without `text/html`."""
    as_role(store, "viewer")
    html = {"accept": "text/html,application/xhtml+xml"}

    missing = store.client.get(f"/orders/{'0' * 8}-0000-7000-8000-{'0' * 12}", headers=html)
    refused = store.client.post("/transfers", headers=html, data={"from_location": "WH-CENTRAL",
                                "to_location": "STORE-SH", "sku": "TEE-RED-M", "quantity": "1"})
    store.client.get("/lang/zh_Hans")
    nowhere = store.client.get("/no-such-page", headers=html)
    as_json = store.client.get("/no-such-page")
    api = store.client.get("/api/v1/orders/not-an-id", headers={**html, **store.headers()})

    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "ordering.unknown_order" in missing.text and 'href="/"' in missing.text
    assert refused.status_code == 403 and "Your role may not do this" in refused.text
    assert nowhere.status_code == 404 and "页面不存在" in nowhere.text
    assert as_json.status_code == 404 and as_json.json()["error"]["code"] == "resource.not_found"
    assert api.status_code == 422 and api.json()["error"]["code"] == "request.invalid"


def test_the_overview_counts_every_open_exception_the_api_lists(store: Api) -> None:
    """Orders waiting for stock and dead letters are work a person must see: the tile counts what
    GET /api/v1/exceptions lists, for each role as it sees them (the queue's jobs only for those who manage it)."""
    builders.import_order(store.hub, store.tenant.admin, external_id="A-8", lines=[builders.line("TEE-RED-M", 50)])
    _bury_dead_letters(store)

    for role in ("admin", "viewer"):
        queue = store.get("/api/v1/exceptions", role=role, limit="500")
        listed = (sum(len(queue[kind]) for kind in ("orders", "channel_messages", "shipments", "purchasing", "erp"))
                  + sum(len(kind) for kind in queue["dead_letters"].values()))
        as_role(store, role)
        tile = re.search(r'data-figure="exceptions">(\d+)<', store.client.get("/").text)
        assert tile and int(tile.group(1)) == listed
        assert [p["external_sku"] for p in queue["dead_letters"]["stock_pushes"]] == ["WEB-TEE"]
        assert [j["kind"] for j in queue["dead_letters"]["jobs"]] == (["waybill"] if role == "admin" else [])


def test_dead_letters_wait_on_the_exceptions_page_with_their_fix_buttons(store: Api) -> None:
    _bury_dead_letters(store)
    as_role(store, "admin")
    page = store.client.get("/exceptions").text
    assert 'data-dead-push="web"' in page and "HTTP 503" in page and 'data-action="retry-dead-letters"' in page
    assert 'data-action="retry-job"' in page and 'data-action="delete-job"' in page

    retried = store.client.post("/channels/web/dead-letters/retry", data={"back": "/exceptions"},
                                follow_redirects=False)
    deleted = store.client.post(f"/jobs/{_dead_job(store)}/delete", data={"back": "/exceptions"},
                                follow_redirects=False)

    assert (retried.status_code, retried.headers["location"]) == (303, "/exceptions")
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/exceptions")
    queue = store.get("/api/v1/exceptions")["dead_letters"]
    assert (queue["stock_pushes"], queue["jobs"]) == ([], [])
    as_role(store, "viewer")
    shown = store.client.get("/exceptions").text
    assert 'data-dead-push="web"' not in shown and 'data-table="dead-jobs"' not in shown


def _bury_dead_letters(api: Api) -> None:
    """The web listing's figure refused until the pusher gave up, and a waybill job given up."""
    tenant_id = api.tenant.admin.tenant_id
    with api.hub.uow() as uow:
        listing = uow.connection.execute(select(Listing.id, Listing.channel_id).where(
            Listing.tenant_id == tenant_id, Listing.external_sku == "WEB-TEE")).one()
        uow.connection.execute(insert(StockPush).values(
            listing_id=listing.id, tenant_id=tenant_id, channel_id=listing.channel_id, quantity=4, version=1,
            state="dead", pushed_quantity=None, pushed_version=0, attempts=8, next_attempt_at=clock.now(),
            changed_at=clock.now(), last_error="HTTP 503: the platform is down for maintenance"))
        uow.connection.execute(insert(QueuedJob).values(
            id=uuid.uuid4(), kind="waybill", key="planted", tenant_id=tenant_id, payload={}, state="dead",
            attempts=6, run_after=clock.now(), again=False, last_error="carrier down", created_at=clock.now(),
            updated_at=clock.now()))
        uow.commit()


def _dead_job(api: Api) -> str:
    with api.hub.uow(write=False) as uow:
        return str(uow.connection.execute(select(QueuedJob.id).where(QueuedJob.key == "planted")).scalar_one())

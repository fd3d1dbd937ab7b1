"""Members over the API: one member by phone (a known phone answers the same member), their orders from two
channels (one by phone, one by the platform's buyer id), points earned on paid orders and taken back on refunds,
adjustments that never go below zero, phones masked for viewers, and everything refused to another tenant or a
partner with nothing changed."""

from datetime import UTC, datetime

from flexhub.testing.api_client import CHANNELS, ORDERS, Api, assert_error
from flexhub.testing.builders import line, order_body
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.stores import MEMBERS, register


def shop_with_two_channels(api: Api) -> None:
    api.stock_shop(stock=20)
    api.post(CHANNELS, {"code": "wechat-shop", "platform": "generic"})


def buy(api: Api, channel: str, external_id: str, buyer: dict, quantity: int = 1, **fields: object) -> dict:
    body = order_body(external_id, channel=channel, buyer=buyer, lines=[line("TEE-RED-M", quantity, 9900)], **fields)
    answer = api.client.post(ORDERS, json=body, headers=api.headers())
    assert answer.status_code in (200, 201), answer.text
    api.hub.relay.run_once()  # the order's events reach the points consumer
    return answer.json()


def test_a_known_phone_is_the_same_member(api: Api) -> None:
    first = register(api, phone="+86 138-0013-8000")
    assert first["points"] == 0 and first["created"] is True
    again = register(api, phone="13800138000", name="someone else", status=200)
    assert again["id"] == first["id"] and again["created"] is False
    assert api.get(f"{MEMBERS}/{first['id']}")["name"] == "王小明"


def test_orders_from_two_channels_earn_points_and_a_refund_takes_them_back(api: Api) -> None:
    shop_with_two_channels(api)
    member = register(api)
    linked = api.client.post(f"{MEMBERS}/{member['id']}/identities", headers=api.headers(),
                             json={"scope": "wechat-shop", "value": "oBuyer-77"})
    assert linked.status_code == 201, linked.text
    by_phone = buy(api, "web", "W-1", {"name": "王小明", "phone": "+8613800138000"}, quantity=2)
    by_buyer_id = buy(api, "wechat-shop", "WX-9", {"name": "微信用户", "external_id": "oBuyer-77"})
    buy(api, "web", "W-2", {"name": "someone", "phone": "13900000000"})  # another buyer

    seen = api.get(f"{MEMBERS}/{member['id']}")
    assert {(o["channel"], o["external_id"]) for o in seen["orders"]} == {("web", "W-1"), ("wechat-shop", "WX-9")}
    assert {o["id"] for o in seen["orders"]} == {by_phone["id"], by_buyer_id["id"]}
    assert seen["points"] == 198 + 99 and seen["lifetime_points"] == 297

    refund = order_body("W-1", channel="web", buyer={"name": "王小明", "phone": "+8613800138000"},
                        lines=[line("TEE-RED-M", 2, 9900)], payment_state="refunded",
                        updated_at=datetime(2030, 1, 1, tzinfo=UTC).isoformat())
    assert api.client.post(ORDERS, json=refund, headers=api.headers()).status_code in (200, 201)
    api.hub.relay.run_once()
    api.hub.relay.run_once()  # delivered again: reversed once
    after = api.get(f"{MEMBERS}/{member['id']}")
    assert after["points"] == 99
    assert sorted(e["kind"] for e in after["points_history"]) == ["earn", "earn", "reverse"]


def test_a_batch_of_orders_earns_each_buyer_s_member_once(api: Api) -> None:
    """One batch, one OrdersReceived event: each buyer's member found among the batch's buyers read together (by
    the channel's buyer id, else by phone; the oldest where both name someone), strangers nobody, a replayed
    event earning nothing twice."""
    shop_with_two_channels(api)
    by_phone = register(api, phone="13800138001", name="甲")
    by_id = register(api, phone="13800138002", name="乙")
    younger = register(api, phone="13800138003", name="丙")
    for member, value in ((by_id, "oB-2"), (younger, "oB-3")):
        linked = api.client.post(f"{MEMBERS}/{member['id']}/identities", headers=api.headers(),
                                 json={"scope": "wechat-shop", "value": value})
        assert linked.status_code == 201, linked.text
    orders = [("web", "W-1", {"name": "a", "phone": "+86 138-0013-8001"}, 1),      # by phone
              ("wechat-shop", "WX-2", {"name": "b", "external_id": "oB-2"}, 2),    # by the channel's buyer id
              ("wechat-shop", "WX-3", {"name": "c", "external_id": "oB-3", "phone": "13800138002"}, 3),  # both: oldest
              ("web", "W-4", {"name": "d", "external_id": "oB-2"}, 1),             # that id on another channel: nobody
              ("web", "W-5", {"name": "e", "phone": "***"}, 1),                    # a masked phone: nobody
              ("web", "W-6", {"name": "f", "phone": "13900000000"}, 1)]            # a stranger
    body = {"orders": [order_body(external_id, channel=channel, buyer=buyer, payment_state="paid",
                                  lines=[line("TEE-RED-M", quantity, 9900)])
                       for channel, external_id, buyer, quantity in orders]}
    answer = api.client.post(f"{ORDERS}:batch", json=body, headers=api.headers())
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == [201] * len(orders)
    api.hub.relay.run_once()
    api.hub.relay.run_once()

    points = {m["id"]: api.get(f"{MEMBERS}/{m['id']}")["points"] for m in (by_phone, by_id, younger)}
    assert points == {by_phone["id"]: 99, by_id["id"]: 198 + 297, younger["id"]: 0}


def test_adjustments_never_take_points_below_zero(api: Api) -> None:
    member = register(api)
    added = api.post(f"{MEMBERS}/{member['id']}/points", {"delta": 50, "reason": "welcome gift"}, status=200)
    assert added["points"] == 50
    before = fingerprint(api.hub.engine)
    refused = api.client.post(f"{MEMBERS}/{member['id']}/points", json={"delta": -51, "reason": "too much"},
                              headers=api.headers())
    assert_error(refused, 409, "members.insufficient_points")
    assert fingerprint(api.hub.engine) == before
    assert api.post(f"{MEMBERS}/{member['id']}/points", {"delta": -50, "reason": "redeemed"}, status=200)["points"] == 0


def test_a_viewer_sees_the_phone_masked_and_may_not_write(api: Api) -> None:
    member = register(api, wechat_openid="oOpen-123456789")
    seen = api.get(f"{MEMBERS}/{member['id']}", role="viewer")
    assert seen["phone"] == "*******8000" and seen["name"] != "王小明"
    assert "oOpen-123456789" not in str(seen["identities"])
    assert api.get(f"{MEMBERS}/{member['id']}", role="operator")["phone"] == "13800138000"
    before = fingerprint(api.hub.engine)
    for path, body in ((MEMBERS, {"phone": "13700000000", "name": "x"}),
                       (f"{MEMBERS}/{member['id']}/points", {"delta": 5, "reason": "x"})):
        assert_error(api.client.post(path, json=body, headers=api.headers("viewer")), 403, "auth.forbidden")
    assert fingerprint(api.hub.engine) == before


def test_another_tenant_or_a_partner_reaches_no_member_and_changes_nothing(api: Api) -> None:
    member = register(api)
    other = api.add_tenant("globex")
    before = fingerprint(api.hub.engine)
    path = f"{MEMBERS}/{member['id']}"
    assert_error(api.client.get(path, headers=other.headers()), 404, "members.unknown_member")
    for suffix, body in (("/points", {"delta": 5, "reason": "x"}), ("/identities", {"scope": "web", "value": "b"}),
                         ("/coupons", {"coupon": "NEW10"})):
        assert_error(api.client.post(path + suffix, json=body, headers=other.headers()), 404, "members.unknown_member")
    assert_error(api.client.get(path, headers=api.headers("partner")), 403, "auth.forbidden")
    assert fingerprint(api.hub.engine) == before
    theirs = api.client.post(MEMBERS, json={"phone": "13800138000", "name": "其他"}, headers=other.headers())
    assert theirs.status_code == 201 and theirs.json()["id"] != member["id"]  # a phone is per tenant


def test_a_bad_phone_is_refused_with_nothing_written(api: Api) -> None:
    before = fingerprint(api.hub.engine)
    for phone in ("12ab5678", "+1 (55) 5", "1234", "1234567890123456"):
        answer = api.client.post(MEMBERS, json={"phone": phone, "name": "x"}, headers=api.headers())
        assert answer.status_code == 422, answer.text
    assert fingerprint(api.hub.engine) == before


def test_the_member_page_shows_orders_points_and_coupons_masked_for_a_viewer(api: Api) -> None:
    shop_with_two_channels(api)
    member = register(api)
    buy(api, "web", "W-7", {"name": "王小明", "phone": "13800138000"})
    for role, phone in (("operator", "13800138000"), ("viewer", "*******8000")):
        api.client.cookies.clear()
        assert api.client.post("/login", data={"api_key": api.tenant.tokens[role]},
                               follow_redirects=False).status_code == 303
        page = api.client.get(f"/members/{member['id']}")
        assert page.status_code == 200 and phone in page.text
        assert 'data-figure="points">99<' in page.text and 'data-figure="orders">1<' in page.text
        assert ("王小明" in page.text) == (role == "operator")
    other = api.add_tenant("globex")
    api.client.cookies.clear()
    api.client.post("/login", data={"api_key": other.tokens["admin"]}, follow_redirects=False)
    assert api.client.get(f"/members/{member['id']}").status_code == 404

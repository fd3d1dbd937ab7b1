"""The search box of the lists (`q`), on SQLite and PostgreSQL alike: words in any case and order, full-width
characters read as ASCII, each word found in the order number, a line's SKU code or product name, or the end of
the buyer's phone; SKUs and stock levels by code, name or barcode. A role that may not see buyers' phones finds no
order by one: `q` does not look at phones for it, and `phone_ending` is refused with nothing read."""

import pytest

from flexhub.testing.api_client import ADJUSTMENTS, ORDERS, SKUS, Api, assert_error
from flexhub.testing.builders import order_body

STOCK_LEVELS = "/api/v1/inventory/stock-levels"
PHONES = {"A-100": "13800005678", "A-101": "13911112222", "B-200": "13755556666"}


@pytest.fixture
def shop(api: Api) -> Api:
    """A tee and a mug (its name in Chinese too), three orders: two tees and a mug, each buyer's phone its own."""
    api.stock_shop(stock=50)
    api.post(SKUS, {"code": "MUG-WHITE", "name": "Mug, white 白色马克杯", "barcode": "6901234567892"})
    api.post(ADJUSTMENTS, {"sku": "MUG-WHITE", "location": "WH-CENTRAL", "quantity_delta": 9, "reason": "delivery"})
    for number, phone in PHONES.items():
        sku = "MUG-WHITE" if number.startswith("B") else "TEE-RED-M"
        api.post(ORDERS, order_body(number, lines=[{"sku": sku, "quantity": 1, "unit_price": 1000}],
                                    buyer={"name": "买家", "phone": phone}))
    return api


def found(api: Api, role: str = "admin", **params: str) -> list[str]:
    page = api.get(ORDERS, role, sort="external_id", **params)
    assert page["total"] == len(page["orders"])
    return [order["external_id"] for order in page["orders"]]


def test_words_in_any_order_and_case_find_a_sku_or_a_product_name(shop: Api) -> None:
    assert found(shop, q="red tee") == ["A-100", "A-101"]  # TEE-RED-M, its words the other way round
    assert found(shop, q="ＴＥＥ") == ["A-100", "A-101"]  # full-width letters
    assert found(shop, q="马克杯") == ["B-200"]  # the product's Chinese name
    assert found(shop, q="mug white") == ["B-200"]
    assert found(shop, q="tee mug") == []  # every word must be found in the order


def test_a_piece_of_the_order_number_with_a_word_of_the_product(shop: Api) -> None:
    assert found(shop, q="a-10") == ["A-100", "A-101"]
    assert found(shop, q="101 tee") == ["A-101"]
    assert found(shop, q="b-2 tee") == []


def test_the_phones_ending_finds_the_order_for_a_role_that_sees_phones(shop: Api) -> None:
    assert found(shop, q="5678") == ["A-100"]
    assert found(shop, "operator", q="2222") == ["A-101"]
    assert found(shop, q="6666 mug") == ["B-200"]
    assert found(shop, q="00005678") == ["A-100"]
    assert found(shop, q="1380000") == []  # the phone's start is not its ending
    assert found(shop, phone_ending="5678") == ["A-100"]


def test_a_viewer_finds_no_order_by_a_phone_and_may_not_filter_by_one(shop: Api) -> None:
    assert found(shop, "viewer", q="5678") == []
    assert found(shop, "viewer", q="6666 mug") == []
    assert found(shop, "viewer", q="mug") == ["B-200"]  # the rest of the search works for it
    for path in (ORDERS, f"{ORDERS}/export"):
        refused = shop.client.get(path, params={"phone_ending": "5678"}, headers=shop.headers("viewer"))
        assert_error(refused, 403, "ordering.phone_search_forbidden")
        assert "5678" not in refused.text.replace('"phone_ending"', "")


def test_the_sku_list_finds_by_words_of_code_name_or_barcode(shop: Api) -> None:
    def codes(q: str) -> list[str]:
        return [sku["code"] for sku in shop.get(SKUS, q=q)["skus"]]

    assert codes("white mug") == ["MUG-WHITE"]
    assert codes("Ｍ") == ["MUG-WHITE", "TEE-RED-M"]
    assert codes("4567892") == ["MUG-WHITE"]
    assert codes("red   tee") == ["TEE-RED-M"]
    assert codes("tee white") == []


def test_the_stock_levels_list_pages_and_finds_by_words(shop: Api) -> None:
    every = shop.get(STOCK_LEVELS)
    mug = shop.get(STOCK_LEVELS, q="马克杯")
    first = shop.get(STOCK_LEVELS, limit="1")
    second = shop.get(STOCK_LEVELS, limit="1", cursor=first["next_cursor"])

    assert [(level["sku"], level["node"], level["on_hand"]) for level in every["levels"]] == [
        ("MUG-WHITE", "WH-CENTRAL", 9), ("TEE-RED-M", "WH-CENTRAL", 50)]
    assert every["total"] == 2 and every["next_cursor"] is None
    assert [level["sku"] for level in mug["levels"]] == ["MUG-WHITE"] and mug["total"] == 1
    assert [first["levels"][0]["sku"], second["levels"][0]["sku"]] == ["MUG-WHITE", "TEE-RED-M"]
    assert second["next_cursor"] is None
    assert shop.get(STOCK_LEVELS, q="red", node="WH-EAST")["total"] == 0
    assert_error(shop.client.get(STOCK_LEVELS, params={"sort": "price"}, headers=shop.headers()),
                 422, "lists.unknown_sort")


def test_a_partner_sees_the_stock_of_its_own_channels_pools_only(shop: Api) -> None:
    assert shop.get(STOCK_LEVELS, "partner")["total"] == 0  # its key has no channel yet


@pytest.fixture
def hoodie(shop: Api) -> Api:
    shop.post(SKUS, {"code": "HOODIE-GRY", "name": "Hoodie, grey 灰色卫衣"})
    shop.post(ADJUSTMENTS, {"sku": "HOODIE-GRY", "location": "WH-CENTRAL", "quantity_delta": 4, "reason": "delivery"})
    return shop


def near_found(api: Api, address: str, key: str, field: str, **params: str) -> tuple[list[str], bool]:
    page = api.get(address, **params)
    return sorted(item[field] for item in page[key]), page["near"]


@pytest.mark.parametrize(("typed", "meant"), [("TEE-RDE-M", "TEE-RED-M"), ("hoodei", "HOODIE-GRY"),
                                              ("hodie", "HOODIE-GRY"), ("hooodie", "HOODIE-GRY"),
                                              ("hoxdie grey", "HOODIE-GRY"), ("MUG-WHITR", "MUG-WHITE")])
def test_a_word_one_edit_away_finds_the_sku_when_nothing_holds_it_as_typed(hoodie: Api, typed: str,
                                                                           meant: str) -> None:
    assert near_found(hoodie, SKUS, "skus", "code", q=typed) == ([meant], True)
    assert near_found(hoodie, STOCK_LEVELS, "levels", "sku", q=typed) == ([meant], True)


def test_orders_are_found_by_a_sku_one_edit_away_and_say_so(hoodie: Api) -> None:
    assert near_found(hoodie, ORDERS, "orders", "external_id", q="TEE-RDE-M") == (["A-100", "A-101"], True)
    assert near_found(hoodie, ORDERS, "orders", "external_id", q="mgu-white") == (["B-200"], True)
    assert near_found(hoodie, ORDERS, "orders", "external_id", q="TEE-RED-M") == (["A-100", "A-101"], False)


def test_exact_matches_come_first_and_two_edits_or_short_words_find_nothing(hoodie: Api) -> None:
    assert near_found(hoodie, SKUS, "skus", "code", q="hoodie") == (["HOODIE-GRY"], False)
    assert near_found(hoodie, SKUS, "skus", "code", q="tee") == (["TEE-RED-M"], False)
    assert near_found(hoodie, SKUS, "skus", "code", q="TEE-RDE-N") == ([], False)  # two edits
    assert near_found(hoodie, SKUS, "skus", "code", q="hdoei") == ([], False)
    assert near_found(hoodie, SKUS, "skus", "code", q="tea") == ([], False)  # three letters: as typed only
    assert near_found(hoodie, ORDERS, "orders", "external_id", q="A-1OO") == ([], False)  # numbers as typed


def test_the_pages_say_near_matches_are_shown(hoodie: Api) -> None:
    hoodie.client.post("/login", data={"api_key": hoodie.tenant.tokens["admin"]}, follow_redirects=False)
    near = hoodie.client.get("/inventory", params={"q": "hoodei"}).text
    exact = hoodie.client.get("/inventory", params={"q": "hoodie"}).text
    orders = hoodie.client.get("/orders", params={"q": "TEE-RDE-M"}).text
    hoodie.client.get("/lang/zh_Hans?back=/inventory")
    chinese = hoodie.client.get("/inventory", params={"q": "hoodei"}).text

    assert "data-near>Nothing holds these words as typed: near matches are shown" in near
    assert 'data-total="1"' in near and "HOODIE-GRY" in near
    assert "data-near" not in exact and 'data-total="1"' in exact
    assert "data-near" in orders and 'data-total="2"' in orders
    assert "显示的是相近的匹配" in chinese

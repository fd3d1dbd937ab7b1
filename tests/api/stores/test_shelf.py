"""A SKU's QR code in a store and the shopper's page it opens: the store's and the network's available units, the
price and the delivery promise, in English and Chinese, without signing in; a link not made by the hub, another
tenant's store or a role without stores.read is refused and shows nothing."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

from pypdf import PdfReader

from flexhub.kernel import clock
from flexhub.stores.qr import qr_png
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.snapshots import level
from flexhub.testing.stores import STORE, open_store, set_price, shelf
from flexhub.web.labels import money


def figure(page: str, name: str) -> int:
    return int(re.search(rf'data-figure="{name}">(\d+)<', page).group(1))


def test_the_qr_code_opens_the_shoppers_page_with_store_and_network_stock(api: Api) -> None:
    open_store(api)
    view = api.get(shelf(), role="viewer")
    assert (view["store"]["available"], view["network_available"], view["price"]) == (2, 7, 9900)
    assert view["promise"]["take_now"] is True
    url = view["url"]
    assert url.startswith("http://testserver/s/") and "?k=" in url

    png = api.client.get(shelf() + "/qr", headers=api.headers("viewer"))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content == qr_png(url)  # the code is of that absolute address

    api.client.cookies.clear()
    parts = urlsplit(url)
    page = api.client.get(f"{parts.path}?{parts.query}")  # no key, no session
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert figure(page.text, "store") == 2 and figure(page.text, "network") == 7
    assert 'data-price="9900"' in page.text and "CN¥99.00" in page.text and 'data-promise="take_now"' in page.text


def test_a_sku_the_store_lacks_is_promised_from_the_central_warehouse(api: Api) -> None:
    open_store(api)
    view = api.get(shelf(sku="CAP-BLK"))
    assert (view["store"]["available"], view["network_available"]) == (0, 3)
    assert view["promise"]["take_now"] is False
    assert view["promise"]["ship"]["nodes"] == ["WH-CENTRAL"] and view["promise"]["ship"]["days"] >= 1
    parts = urlsplit(view["url"])
    page = api.client.get(f"{parts.path}?{parts.query}", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert 'data-promise="store_out"' in page and "本店暂时缺货" in page and "WH-CENTRAL" in page
    assert figure(page, "store") == 0 and figure(page, "network") == 3


def test_a_link_not_made_by_the_hub_shows_nothing(api: Api) -> None:
    open_store(api)
    parts = urlsplit(api.get(shelf())["url"])
    forged = [f"{parts.path}?k=0000", f"{parts.path.replace('TEE-RED-M', 'CAP-BLK')}?{parts.query}", parts.path]
    for path in forged:
        answer = api.client.get(path)
        assert answer.status_code == 404 and 'data-code="stores.unknown_link"' in answer.text
        assert "data-figure" not in answer.text and "Tee" not in answer.text


def test_another_tenant_reaches_no_store_of_this_one_and_changes_nothing(api: Api) -> None:
    open_store(api)
    other = api.add_tenant("globex")
    before = fingerprint(api.hub.engine)
    for path in (shelf(), shelf() + "/qr"):
        assert_error(api.client.get(path, headers=other.headers()), 404, "inventory.unknown_location")
    refused = api.client.put("/api/v1/stores/prices/TEE-RED-M", json={"amount": 1, "currency": "CNY"},
                             headers=other.headers())
    assert_error(refused, 404, "catalog.unknown_sku")
    assert_error(api.client.get(shelf() + "/qr", headers=api.headers("partner")), 403, "auth.forbidden")
    assert_error(api.client.put("/api/v1/stores/prices/TEE-RED-M", json={"amount": 1, "currency": "CNY"},
                                headers=api.headers("viewer")), 403, "auth.forbidden")
    assert fingerprint(api.hub.engine) == before
    assert api.get(shelf())["price"] == 9900


def test_a_node_that_is_not_a_store_has_no_shelf(api: Api) -> None:
    open_store(api)
    assert_error(api.client.get(shelf("WH-CENTRAL") + "/qr", headers=api.headers()), 422, "stores.not_a_store")


def test_an_a4_sheet_of_shelf_labels(api: Api) -> None:
    open_store(api)
    set_price(api, "CAP-BLK", 123456, "USD")
    answer = api.client.get(shelf().rsplit("/skus/", 1)[0] + "/labels.pdf", headers=api.headers("viewer"),
                            params=[("sku", "TEE-RED-M"), ("sku", "CAP-BLK")])
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF") and answer.content.count(b"/Subtype /Image") == 2
    refused = api.client.get(shelf().rsplit("/skus/", 1)[0] + "/labels.pdf", headers=api.headers(),
                             params={"sku": "NOPE"})
    assert_error(refused, 404, "catalog.unknown_sku")


def test_shelf_labels_write_prices_as_the_pages_money_filter_does(api: Api) -> None:
    open_store(api)
    set_price(api, "CAP-BLK", 123456, "USD")
    printed = {lang: sheet_text(api, lang) for lang in ("zh_Hans", "en")}
    for lang, text in printed.items():
        assert money(9900, "CNY", lang) in text and money(123456, "USD", lang) in text
    assert "¥99.00" in printed["zh_Hans"] and "US$1,234.56" in printed["zh_Hans"]
    assert "CN¥99.00" in printed["en"] and "$1,234.56" in printed["en"]
    assert "CNY 99.00" not in printed["zh_Hans"] + printed["en"]
    assert_error(api.client.get(shelf().rsplit("/skus/", 1)[0] + "/labels.pdf", headers=api.headers(),
                                params={"sku": "CAP-BLK", "lang": "fr"}), 422, "request.invalid")


def sheet_text(api: Api, lang: str) -> str:
    answer = api.client.get(shelf().rsplit("/skus/", 1)[0] + "/labels.pdf", headers=api.headers("viewer"),
                            params=[("sku", "TEE-RED-M"), ("sku", "CAP-BLK"), ("lang", lang)])
    assert answer.status_code == 200
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)


def test_balancing_suggestions_become_transfers_in_one_click(api: Api) -> None:
    open_store(api, store_stock=0)
    today = clock.now().date()  # the store sold 4 a day for four weeks (imported history); it holds none now
    days = [{"sku": "TEE-RED-M", "location": STORE, "day": (today - timedelta(days=n)).isoformat(), "units": 4}
            for n in range(1, 29)]
    api.post("/api/v1/planning/history", {"days": days})
    found = api.get(f"/api/v1/stores/{STORE}/balancing")["suggestions"]
    assert found and all(s["to"] == STORE and s["from"] == "WH-CENTRAL" for s in found)
    before = fingerprint(api.hub.engine)
    assert_error(api.client.post(f"/api/v1/stores/{STORE}/balancing", headers=api.headers("viewer")), 403,
                 "auth.forbidden")
    assert fingerprint(api.hub.engine) == before
    made = api.post(f"/api/v1/stores/{STORE}/balancing", {})["transfers"]
    assert [(t["from"], t["to"]) for t in made] == [("WH-CENTRAL", STORE)]
    assert made[0]["units"] == sum(s["quantity"] for s in found)
    assert level(api.hub, api.tenant.admin, "TEE-RED-M", STORE)["in_transit"] == made[0]["units"]

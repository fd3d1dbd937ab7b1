"""The reseller's pages: a reseller signed in is sent to its own account and statement (another's is 404), staff
see every reseller; the statement downloads as CSV. The menu leads a reseller to its own pages (in English and
Chinese) and staff to every reseller's."""

import re

from tests.api.resellers.conftest import ACCOUNT, place

from flexhub.testing.api_client import Api, assert_error


def _sign_in(api: Api, role: str) -> None:
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_a_reseller_sees_its_own_account_and_statement(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)
    _sign_in(reseller, "partner")

    sent = reseller.client.get("/resellers", follow_redirects=False)
    shown = reseller.client.get("/resellers/reseller-1").text
    csv = reseller.client.get("/resellers/reseller-1/statement.csv")

    assert sent.status_code == 303 and sent.headers["location"] == "/resellers/reseller-1"
    assert 'data-figure="closing">CN¥163.00' in shown and 'data-kind="dropship_fee"' in shown
    assert csv.status_code == 200 and "R-1" in csv.content.decode("utf-8-sig")
    assert_error(reseller.client.get("/resellers/reseller-2"), 404, "resellers.unknown_reseller")


def test_staff_see_every_reseller(reseller: Api) -> None:
    _sign_in(reseller, "viewer")

    listed = reseller.client.get("/resellers").text

    assert 'data-reseller="reseller-1"' in listed and 'data-reseller="reseller-2"' in listed
    assert reseller.get(ACCOUNT, role="viewer")["balance"] == 0


def _menu(html: str) -> list[str]:
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', nav)


def test_a_resellers_menu_leads_to_its_own_pages_in_english_and_chinese(reseller: Api) -> None:
    _sign_in(reseller, "partner")

    pages = {path: reseller.client.get(path) for path in _menu(reseller.client.get("/").text)}
    reseller.client.get("/lang/zh_Hans")
    chinese = reseller.client.get("/resellers/reseller-1/stores").text

    own = ["/resellers/reseller-1", "/resellers/reseller-1/stores", "/resellers/reseller-1/parcels"]
    assert [p for p in pages if p.startswith("/resellers")] == own and "/purchasing" not in pages
    assert all(answer.status_code == 200 for answer in pages.values())
    nav = chinese.split("<nav>", 1)[1].split("</nav>", 1)[0]
    assert "对账单</a>" in nav and "我的店铺</a>" in nav and "包裹与退货</a>" in nav and "My stores" not in chinese
    assert 'data-nav="reseller"' in chinese and "<strong>店铺</strong>" in chinese  # its tabs, this one shown


def test_staff_reach_each_resellers_pages_from_the_menu(reseller: Api) -> None:
    _sign_in(reseller, "viewer")

    menu = _menu(reseller.client.get("/").text)
    listed = reseller.client.get("/resellers").text

    assert "/resellers" in menu and "/purchasing" in menu and "/resellers/reseller-1" not in menu
    for code in ("reseller-1", "reseller-2"):
        for page in (f"/resellers/{code}", f"/resellers/{code}/stores", f"/resellers/{code}/parcels"):
            assert f'href="{page}"' in listed
            shown = reseller.client.get(page)
            assert shown.status_code == 200 and 'data-nav="reseller"' in shown.text

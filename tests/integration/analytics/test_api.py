"""GET /api/v1/analytics/kpis on each backend: the figures for any reader, never for a partner, 501 without
the extra."""

import sys

import pytest

from flexhub.testing.api_client import ORDERS, Api, api_over, assert_error
from flexhub.testing.builders import line, order_body
from flexhub.testing.snapshots import snapshot

KPIS = "/api/v1/analytics/kpis"


@pytest.fixture
def shop(database_url: str) -> Api:
    with api_over(database_url) as api:
        api.stock_shop(stock=3)
        api.post(ORDERS, order_body("A-1"))
        api.post(ORDERS, order_body("A-2", lines=[line(quantity=2)]))  # one unit short: awaits stock
        yield api


@pytest.mark.parametrize("role", ["admin", "operator", "viewer"])
def test_every_reader_gets_the_kpis(shop: Api, role: str) -> None:
    figures = shop.get(KPIS, role, days="7")
    assert figures["window"]["days"] == 7
    assert figures["fill_rate"]["all"] == {"orders": 2, "units_ordered": 4, "units_filled": 2, "fill_rate": 0.5}
    assert figures["fill_rate"]["by_channel"] == [
        {"channel": "web", "orders": 2, "units_ordered": 4, "units_filled": 2, "fill_rate": 0.5}]
    assert figures["stock_out_rate"]["by_sku"] == [
        {"sku": "TEE-RED-M", "days": 1, "days_out": 0, "stock_out_rate": 0.0}]  # 1 of 3 still free
    assert figures["processing_time"]["all"]["orders_shipped"] == 0
    assert set(figures["turnover"]) == {"all", "by_sku", "by_node"}


def test_a_partner_may_not_read_the_whole_tenant(shop: Api) -> None:
    before = snapshot(shop.hub)
    assert_error(shop.client.get(KPIS, headers=shop.headers("partner")), 403, "auth.forbidden")
    assert snapshot(shop.hub) == before


@pytest.mark.parametrize("days", ["0", "367", "week"])
def test_a_window_out_of_range_is_422(shop: Api, days: str) -> None:
    assert_error(shop.client.get(KPIS, params={"days": days}, headers=shop.headers()), 422, "request.invalid")


def test_no_key_is_401(shop: Api) -> None:
    assert shop.client.get(KPIS).status_code == 401


def test_without_the_extra_the_answer_is_501_and_says_what_to_install(shop: Api,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)  # `import duckdb` now fails, as when it is not installed
    error = assert_error(shop.client.get(KPIS, headers=shop.headers()), 501, "analytics.unavailable")
    assert "flexhub[analytics]" in error["message"]
    assert error["details"] == {"missing": ["duckdb"]}

"""A tenant's time zone (GET/PUT /api/v1/tenant/settings): an admin sets an IANA zone, anything else is refused with
nothing written; the pages then show times in it, read the orders page's days in it (a day in Asia/Shanghai starts
at 16:00 UTC the day before), and exports name it and write their times on its clock."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from flexhub.identity.model import AuditEntry
from flexhub.ordering.model import Order
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import order_body

SETTINGS = "/api/v1/tenant/settings"
# 2026-12-05 01:30 in Shanghai, still 2026-12-04 in UTC; and 2026-12-05 20:00 UTC, already 12-06 in Shanghai.
EARLY, LATE = datetime(2026, 12, 4, 17, 30, tzinfo=UTC), datetime(2026, 12, 5, 20, 0, tzinfo=UTC)


@pytest.fixture
def dated(shop: Api) -> Api:
    for number, at in (("EARLY", EARLY), ("LATE", LATE)):
        shop.post(ORDERS, order_body(number, lines=[{"sku": "TEE-RED-M", "quantity": 1, "unit_price": 1000}]))
        with shop.hub.uow() as uow:
            uow.connection.execute(update(Order).where(Order.external_id == number).values(created_at=at))
            uow.commit()
    shop.client.post("/login", data={"api_key": shop.tenant.tokens["admin"]}, follow_redirects=False)
    return shop


def audited(api: Api) -> int:
    with api.hub.uow(write=False) as uow:
        return uow.connection.scalar(select(func.count()).where(AuditEntry.action == "tenant.time_zone"))


def shown_on_day(api: Api, day: str) -> list[str]:
    page = api.client.get("/orders", params={"since": day, "until": day}).text
    return [number for number in ("EARLY", "LATE") if f">{number}<" in page]


def test_no_zone_until_an_admin_sets_one_then_everyone_reads_it(api: Api) -> None:
    assert api.get(SETTINGS)["time_zone"] is None

    answer = api.client.put(SETTINGS, json={"time_zone": "Asia/Shanghai"}, headers=api.headers())

    assert answer.status_code == 200 and answer.json() == {"time_zone": "Asia/Shanghai"}
    assert api.get(SETTINGS, "viewer")["time_zone"] == "Asia/Shanghai"
    assert audited(api) == 1


@pytest.mark.parametrize("name", ["Asia/Shangai", "UTC+8", "../etc/passwd", "", "Asia/Shanghai " * 6])
def test_an_unknown_zone_is_refused_and_nothing_is_written(api: Api, name: str) -> None:
    api.client.put(SETTINGS, json={"time_zone": "Europe/Berlin"}, headers=api.headers())

    answer = api.client.put(SETTINGS, json={"time_zone": name}, headers=api.headers())

    assert answer.status_code == 422
    if len(name) <= 64:
        assert_error(answer, 422, "identity.unknown_time_zone")
    assert api.get(SETTINGS)["time_zone"] == "Europe/Berlin" and audited(api) == 1


def test_only_an_admin_sets_the_zone(api: Api) -> None:
    answer = api.client.put(SETTINGS, json={"time_zone": "Asia/Tokyo"}, headers=api.headers("operator"))

    assert_error(answer, 403, "auth.forbidden")
    assert api.get(SETTINGS)["time_zone"] is None and audited(api) == 0


def test_the_orders_page_reads_its_days_in_the_tenants_zone(dated: Api) -> None:
    utc_day = shown_on_day(dated, "2026-12-05")  # English, no zone set: UTC days
    dated.client.put(SETTINGS, json={"time_zone": "Asia/Shanghai"}, headers=dated.headers())

    assert utc_day == ["LATE"]
    assert shown_on_day(dated, "2026-12-05") == ["EARLY"]
    assert shown_on_day(dated, "2026-12-06") == ["LATE"]


def test_pages_and_exports_show_times_on_the_tenants_clock(dated: Api) -> None:
    dated.client.put(SETTINGS, json={"time_zone": "America/New_York"}, headers=dated.headers())
    with dated.hub.uow(write=False) as uow:
        early = uow.connection.scalar(select(Order.id).where(Order.external_id == "EARLY"))

    order_page = dated.client.get(f"/orders/{early}").text
    from_page = list(csv.reader(io.StringIO(dated.client.get("/orders/export.csv", params={"sort": "external_id"})
                                            .content.decode("utf-8-sig"))))
    from_api = list(csv.reader(io.StringIO(dated.client.get(f"{ORDERS}/export", params={"sort": "external_id"},
                                                            headers=dated.headers()).content.decode("utf-8-sig"))))

    assert "2026-12-04 12:30:00 -05:00" in order_page  # 17:30 UTC, five hours behind in December
    for rows in (from_page, from_api):
        assert rows[0][-1] == "received (America/New_York)"
        assert [(r[2], r[-1]) for r in rows[1:]] == [("EARLY", "2026-12-04 12:30:00"), ("LATE", "2026-12-05 15:00:00")]


def test_the_account_page_sets_the_zone_and_refuses_an_unknown_one(dated: Api) -> None:
    refused = dated.client.post("/account/time-zone", data={"time_zone": "Mars/Olympus"}, follow_redirects=False)
    kept = dated.get(SETTINGS)["time_zone"]
    saved = dated.client.post("/account/time-zone", data={"time_zone": "Asia/Shanghai"}, follow_redirects=False)

    assert refused.status_code == 422 and 'data-code="identity.unknown_time_zone"' in refused.text and kept is None
    assert saved.status_code == 303 and dated.get(SETTINGS)["time_zone"] == "Asia/Shanghai"
    assert 'data-zone="Asia/Shanghai"' in dated.client.get("/account").text

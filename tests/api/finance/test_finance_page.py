"""The finance page: profit by the chosen dimension (table and the chart's figures), the reconciliation's
differences filtered by kind, both as CSV; in 简体中文 too; staff only."""

import io
import json
import re

import openpyxl
import pytest

from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.finance import Sample, sample, sell_sample

STATEMENTS = "/api/v1/finance/statements"


@pytest.fixture
def wechat(api: Api) -> Sample:
    planted = sample("wechatpay_tradebill")
    sell_sample(api.hub, api.tenant.admin, planted)
    api.post(STATEMENTS, {"channel": planted.channel, "format": planted.format, "content": planted.content})
    return planted


def _sign_in(api: Api, role: str) -> None:
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_the_page_shows_profit_and_the_channels_differences(api: Api, wechat: Sample) -> None:
    _sign_in(api, "viewer")
    profit = api.get("/api/v1/finance/profit", "viewer", by="channel", basis="placed")["rows"]

    page = api.client.get("/finance", params={"by": "channel", "basis": "placed"}).text
    shipped = api.client.get("/finance", params={"by": "channel"}).text

    charted = json.loads(re.search(r'<script type="application/json" id="profit">(.*?)</script>', page).group(1))
    assert charted["rows"] == json.loads(json.dumps(profit))
    assert 'id="profit-chart"' in page and "/vendor/echarts.min.js" in page
    assert profit and not re.findall(r'<tr data-key=', shipped)  # the sample's orders have not shipped
    assert 'href="/finance/profit.csv?by=channel&basis=placed' in page
    kinds = re.findall(r'<tr data-kind="(\w+)">', page)
    assert sorted(kinds) == sorted(kind for kind, *_ in wechat.differences)
    only = api.client.get("/finance", params={"channel": wechat.channel, "kind": "amount_mismatch"}).text
    assert set(re.findall(r'<tr data-kind="(\w+)">', only)) == {"amount_mismatch"}


def test_both_tables_download_as_csv_excel_opens(api: Api, wechat: Sample) -> None:
    _sign_in(api, "operator")

    profit = api.client.get("/finance/profit.csv", params={"by": "sku", "basis": "placed"})
    found = api.client.get("/finance/differences.csv", params={"channel": wechat.channel})

    assert profit.status_code == 200 and profit.content.startswith("\ufeff".encode())
    rows = profit.content.decode("utf-8-sig").splitlines()
    assert rows[0] == ("key,currency,revenue,discounts,platform_fees,cogs,shipping,refunds,return_costs,gross_profit,"
                       "margin")
    assert rows[1].startswith("TEE-RED-M,")
    lines = found.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "kind,external_id,expected,actual,currency,reason,resolution"
    assert len(lines) == 1 + len(wechat.differences)


def test_both_tables_download_as_excel_with_the_pages_filters(api: Api, wechat: Sample) -> None:
    _sign_in(api, "operator")
    (first, *_) = api.get("/api/v1/finance/reconciliation", "viewer", channel=wechat.channel)["differences"]
    api.post(f"/api/v1/finance/reconciliation/differences/{first['id']}/resolve?channel={wechat.channel}",
             {"note": "seen"}, "operator", status=200)
    profit = api.get("/api/v1/finance/profit", "viewer", by="sku", basis="placed")["rows"]

    workbook = _workbook(api.client.get("/finance/profit.xlsx", params={"by": "sku", "basis": "placed"}))
    resolved = _workbook(api.client.get("/finance/differences.xlsx",
                                        params={"channel": wechat.channel, "state": "resolved"}))
    still_open = api.client.get("/finance", params={"channel": wechat.channel, "state": "open"}).text

    assert workbook[0] == ("key", "currency", "revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds",
                           "return_costs", "gross_profit", "margin")
    assert workbook[1:] == [tuple(row[column] for column in workbook[0]) for row in profit]
    assert resolved[1:] == [(first["kind"], first["external_id"], first["expected"], first["actual"],
                             first["currency"], first["reason"], "seen")]
    assert len(re.findall(r'<tr data-kind="(\w+)">', still_open)) == len(wechat.differences) - 1


def _workbook(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.text
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_page_in_chinese(api: Api, wechat: Sample) -> None:
    _sign_in(api, "viewer")
    api.client.get("/lang/zh_Hans")

    page = api.client.get("/finance").text

    assert "毛利" in page and "对账" in page and "金额不符" in page and "下载 Excel" in page and "仅未处理" in page


def test_a_partner_is_refused(api: Api, wechat: Sample) -> None:
    _sign_in(api, "partner")
    assert_error(api.client.get("/finance"), 403, "auth.forbidden")
    assert_error(api.client.get("/finance/profit.csv"), 403, "auth.forbidden")

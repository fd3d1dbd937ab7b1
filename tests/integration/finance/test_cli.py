"""`flexhub finance import|reconcile|formats` on SQLite and PostgreSQL: a statement file imported once (a GBK
export too), its reconciliation printed; an unknown format or channel refused with its code, nothing written."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flexhub.bootstrap import Hub
from flexhub.cli.main import app
from flexhub.testing.finance import FORMATS, Sample, finance_rows, sample, shop_for


@pytest.fixture
def alipay(hub: Hub, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sample:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    planted = sample("alipay_bill")
    shop_for(hub, planted)
    return planted


def finance(*arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["finance", *arguments, "--tenant", "acme"])


def test_a_gbk_export_is_imported_once_and_reconciled(alipay: Sample, tmp_path: Path) -> None:
    file = tmp_path / "20880123456789010156_账务明细.csv"
    file.write_bytes(alipay.content.encode("gb18030"))  # as Alipay's merchant centre exports it

    first = finance("import", "--channel", alipay.channel, "--format", "alipay_bill", str(file), "--json")
    again = finance("import", "--channel", alipay.channel, "--format", "alipay_bill", str(file))
    shown = finance("reconcile", "--channel", alipay.channel, "--json")
    table = finance("reconcile", "--channel", alipay.channel)

    assert first.exit_code == 0, first.output
    kept = json.loads(first.stdout)
    assert (kept["lines"], kept["created"], [u["line_no"] for u in kept["unreadable"]]) == (20, True, [23])
    assert again.exit_code == 0 and f"already imported: statement {kept['id']}, 20 lines" in again.output
    view = json.loads(shown.stdout)
    assert sorted((d["kind"], d["external_id"], d["expected"], d["actual"]) for d in view["differences"]) \
        == alipay.differences
    assert table.exit_code == 0 and "refund_not_in_hub" in table.output and "3318805729106" in table.output


def test_an_unknown_format_or_channel_is_refused_and_nothing_is_written(alipay: Sample, hub: Hub,
                                                                        tmp_path: Path) -> None:
    file = tmp_path / "bill.csv"
    file.write_text(alipay.content, encoding="utf-8")
    before = finance_rows(hub)

    no_format = finance("import", "--channel", alipay.channel, "--format", "paypal", str(file))
    no_channel = finance("import", "--channel", "nope", "--format", "alipay_bill", str(file))
    listed = CliRunner().invoke(app, ["finance", "formats"])

    assert no_format.exit_code == 1 and "finance.unknown_format" in no_format.output
    assert no_channel.exit_code == 1 and "channels.unknown_channel" in no_channel.output
    assert finance_rows(hub) == before
    assert [row.split("\t")[0] for row in listed.output.splitlines()] == sorted(FORMATS)

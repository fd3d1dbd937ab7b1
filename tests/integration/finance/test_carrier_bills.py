"""SF Express's monthly bill detail (the sample under tests/fixtures/finance/carriers, from SF's documentation)
imported and reconciled against parcels shipped in the test, on SQLite and PostgreSQL: every planted difference is
found, none invented; each waybill's charge kept once for profit; the same bill again changes nothing; a file that is
not the format is refused whole, nothing written."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from flexhub.bootstrap import Hub
from flexhub.cli.main import app
from flexhub.finance.commands import ImportCarrierBill
from flexhub.finance.errors import UnknownFormat, UnreadableBill
from flexhub.finance.model import CarrierCharge
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.routing.commands import SetRoutingPolicy
from flexhub.testing.builders import line, receive
from flexhub.testing.finance import SAMPLES, douyin_shop, sell_and_ship
from flexhub.testing.snapshots import snapshot

BILLS = SAMPLES / "carriers"
PLANTED = json.loads((BILLS / "sf_monthly_bill.expected.json").read_text())
SF_RATE = {"services": [{"carrier": "sf_express", "service": "standard", "zones": [
    {"name": "anywhere", "first_price": PLANTED["rate_card"], "additional_price": 0, "first_weight_g": 5000,
     "days": 1}]}]}


@pytest.fixture
def shipped(hub: Hub) -> Actor:
    """Six orders shipped by SF under the sample's waybills; the tenant's admin."""
    admin, _ = douyin_shop(hub)
    hub.handle(SetRoutingPolicy(actor=admin, document=SF_RATE))
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 20)
    for waybill in PLANTED["shipped"]:
        sell_and_ship(hub, admin, f"DY-{waybill}", "小雅", [line("TEE-RED-M", 1, 9900)], waybill=waybill)
    return admin


def bill(admin: Actor, content: str | None = None, **fields: object) -> ImportCarrierBill:
    now = clock.now()
    given = {"format": "sf_monthly_bill", "carrier": "sf_express", "start": now - timedelta(hours=1),
             "end": now + timedelta(hours=1), **fields}
    return ImportCarrierBill(actor=admin, content=content or (BILLS / PLANTED["file"]).read_text(encoding="utf-8"),
                             **given)  # type: ignore[arg-type]


def charges(hub: Hub) -> dict[str, int]:
    with hub.uow(write=False) as uow:
        return dict(uow.connection.execute(select(CarrierCharge.waybill_number, CarrierCharge.amount)).all())


def test_every_planted_difference_is_found_and_none_invented(hub: Hub, shipped: Actor) -> None:
    answer = hub.handle(bill(shipped))

    found = [{key: d[key] for key in ("kind", "waybill_number", "expected", "actual")} for d in answer["differences"]]
    assert found == PLANTED["differences"]
    assert (answer["lines"], answer["recorded"]) == (7, 5)
    unreadable = next(d for d in answer["differences"] if d["kind"] == "other")
    assert unreadable["positions"] == ["list[0].details[5]"] and "8.OO" in unreadable["reason"]
    assert charges(hub) == PLANTED["recorded"]


def test_the_same_bill_again_changes_nothing_but_its_audit(hub: Hub, shipped: Actor) -> None:
    first = hub.handle(bill(shipped))
    with hub.uow(write=False) as uow:
        rows = uow.connection.execute(select(func.count()).select_from(CarrierCharge)).scalar_one()

    again = hub.handle(bill(shipped))

    assert again == first
    assert charges(hub) == PLANTED["recorded"] and len(PLANTED["recorded"]) == rows


def test_a_file_that_is_not_the_format_is_refused_whole(hub: Hub, shipped: Actor) -> None:
    before = snapshot(hub)

    for content, fields, error in (("waybill,amount\nSF1,8.00", {}, UnreadableBill),
                                   ('{"list": [{"detailsTemplate": [{"nameCn": "备注"}], "details": []}]}', {},
                                    UnreadableBill),
                                   (None, {"format": "zto_bill"}, UnknownFormat)):
        with pytest.raises(error):
            hub.handle(bill(shipped, content, **fields))

    assert snapshot(hub) == before


def test_the_cli_imports_a_bill(hub: Hub, shipped: Actor, database_url: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))

    shown = CliRunner().invoke(app, ["finance", "carrier-bill", str(BILLS / PLANTED["file"]), "--format",
                                     "sf_monthly_bill", "--carrier", "sf_express", "--json", "--tenant", "acme"])

    assert shown.exit_code == 0, shown.output
    answer = json.loads(shown.stdout)
    assert answer["recorded"] == 5  # no period: nothing judged as not billed
    assert [d["kind"] for d in answer["differences"]] == ["above_rate_card", "duplicate_waybill", "other",
                                                          "unknown_waybill"]

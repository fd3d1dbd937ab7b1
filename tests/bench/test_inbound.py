"""`flexhub bench inbound`: one JSON object; signed webhooks posted to `flexhub serve` beside the bare app, or kept
here for the import job alone; every message imported once, the newer versions applied, nothing oversold, nothing
left pending, the user's data untouched; and a stalled importer and an unmapped message each seen in the figures
that say so."""

import json
import shutil

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from flexhub.bench.inbound import run_inbound
from flexhub.cli.main import app
from flexhub.testing.builders import order_body


@pytest.mark.parametrize(("topology", "processes"), [("one", {"api"}), ("split", {"api", "import", "background"})])
def test_signed_webhooks_posted_to_flexhub_serve_are_each_imported_once_beside_the_bare_app(
        bench, check_floor, untouched, server_url: str, topology: str, processes: set[str]) -> None:
    report = bench("inbound", "--messages", "60", "--channels", "3", "--stock-ratio", "0.8", "--connections", "4",
                   "--topology", topology, "--database-url", server_url)

    assert (report["scenario"], report["through"], report["topology"]) == ("inbound", "http", topology)
    assert report["database"] == make_url(server_url).get_backend_name()
    assert report["statuses"] == {"200": 60} and report["client"] == ("wrk" if shutil.which("wrk") else "asyncio")
    assert (report["messages"], report["orders_imported"], report["orders_paid_by_update"]) == (60, 50, 10)
    assert (report["messages_left_pending"], report["channel_exceptions"], report["oversold"]) == (0, 0, 0)
    assert report["stock"] == 40 == report["reserved_units"]  # the server's jobs route them: reserved, not orders
    assert 0 <= report["order_events_left_for_members"] <= report["order_events"] >= 11
    assert report["messages_per_s"] > 0 and report["orders_per_s"] > 0 and report["receipt_per_s"] > 0
    assert 0 < report["p50_receipt_to_order_ms"] <= report["p99_receipt_to_order_ms"] <= report[
        "max_receipt_to_order_ms"] <= report["seconds"] * 1000 + 1  # seconds are rounded to the ms
    assert report["bare_req_per_s"] > 0 and abs(report["ratio"] - report["messages_per_s"] / report[
        "bare_req_per_s"]) < 0.01
    assert report["cpu_ms_per_message"] > 0 and len(report["loadavg"]) == 3 == len(report["loadavg_before"])
    each = report["cpu_ms_per_message_by_process"]
    assert set(each) == processes and report["cpu_ms_per_message"] == pytest.approx(sum(each.values()), abs=0.01)
    assert (report["database_cpu_ms_per_message"] or 0) >= 0 and report["client_cpu_ms_per_message"] > 0
    parts = report["cpu_ms_per_message"] + (report["database_cpu_ms_per_message"] or 0) + report[
        "client_cpu_ms_per_message"]
    assert report["box_cpu_ms_per_message"] == pytest.approx(parts, abs=0.01)
    assert report["box_ceiling_messages_per_s"] == pytest.approx(
        report["machine"]["cpus"] * 1000 / report["box_cpu_ms_per_message"], rel=0.01)
    check_floor(report, per="message", ceiling="floor_ceiling_messages_per_s")
    assert untouched(server_url, "flexhub_bench_inbound")


def test_kept_messages_are_imported_once_by_the_job_alone(bench, untouched, server_url: str) -> None:
    report = bench("inbound", "--through", "kept", "--messages", "60", "--channels", "3", "--stock-ratio", "0.8",
                   "--database-url", server_url)

    assert (report["through"], report["database"]) == ("kept", make_url(server_url).get_backend_name())
    assert (report["messages"], report["orders_imported"], report["orders_paid_by_update"]) == (60, 50, 10)
    assert (report["messages_left_pending"], report["channel_exceptions"], report["oversold"]) == (0, 0, 0)
    assert report["stock"] == 40 == report["reserved_units"] == report["orders_reserved_in_database"]
    assert report["order_events_left_for_members"] == report["order_events"] >= 11  # no relay here: none taken
    assert report["messages_per_s"] > 0 and report["orders_per_s"] > 0
    assert 0 < report["p50_receipt_to_order_ms"] <= report["p99_receipt_to_order_ms"] <= report[
        "max_receipt_to_order_ms"]
    assert untouched(server_url, "flexhub_bench_inbound")


def test_pacing_goes_with_kept_messages_only(tmp_path) -> None:
    refused = CliRunner().invoke(app, ["bench", "inbound", "--messages-per-s", "10", "--json",
                                       "--database-url", f"sqlite:///{tmp_path / 'users-data.db'}"])

    assert refused.exit_code == 2
    with pytest.raises(ValueError, match="goes with --through kept"):
        run_inbound(f"sqlite:///{tmp_path / 'users-data.db'}", messages=10, channels=1, stock_ratio=1,
                    per_second=10)
    with pytest.raises(ValueError, match="one of http, kept"):
        run_inbound(f"sqlite:///{tmp_path / 'users-data.db'}", messages=10, channels=1, stock_ratio=1, through="x")
    assert not (tmp_path / "users-data.db").exists()


def test_messages_arriving_at_a_rate_are_imported_beside_and_timed_from_receipt(bench, tmp_path) -> None:
    """At 60 messages/s, 30 messages take half a second to arrive: the importer keeps up, a message is imported
    soon after its receipt, and the rate offered is reported beside."""
    report = bench("inbound", "--through", "kept", "--messages", "30", "--channels", "2", "--stock-ratio", "1",
                   "--messages-per-s", "60", "--database-url", f"sqlite:///{tmp_path / 'users-data.db'}")

    assert (report["orders_imported"], report["orders_paid_by_update"], report["messages_left_pending"]) == (25, 5, 0)
    assert report["oversold"] == 0 and report["messages_per_s_offered"] == 60
    assert report["seconds"] >= 29 / 60  # the 30th message is kept 29/60 s after the first
    assert report["turns"] > 1  # imported while they arrived, not in one turn after
    # the median message waits well under the run (the p99 too, on a quiet box: under load a turn takes longer)
    assert 0 < report["p50_receipt_to_order_ms"] < 0.5 * report["seconds"] * 1000


def test_more_messages_import_more_orders(bench, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'users-data.db'}"
    small = bench("inbound", "--through", "kept", "--messages", "24", "--channels", "2", "--stock-ratio", "1",
                  "--database-url", url)
    large = bench("inbound", "--through", "kept", "--messages", "48", "--channels", "2", "--stock-ratio", "1",
                  "--database-url", url)

    # Every sixth message is a newer version of an order: 20 and 40 orders, 4 and 8 of them paid by it.
    assert (small["orders_imported"], small["orders_paid_by_update"]) == (20, 4)
    assert (large["orders_imported"], large["orders_paid_by_update"]) == (40, 8)
    assert (small["oversold"], large["oversold"]) == (0, 0)
    assert large["reserved_units"] == 40 > small["reserved_units"] == 20



def test_an_importer_that_stops_leaves_messages_pending_and_says_so(bench, monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path) -> None:
    """One turn of ten messages, then the importer finds nothing more: the two newer versions are left."""
    from flexhub.channels import inbound

    importer, turns = inbound.process_pending, iter([10])
    monkeypatch.setattr(inbound, "process_pending", lambda hub: importer(hub, limit=next(turns, 0)))
    report = bench("inbound", "--through", "kept", "--messages", "12", "--channels", "2", "--stock-ratio", "1",
                   "--database-url", f"sqlite:///{tmp_path / 'users-data.db'}")

    assert (report["messages_left_pending"], report["orders_imported"], report["orders_paid_by_update"]) == (2, 10, 0)


def test_a_message_no_listing_maps_is_a_channel_exception(bench, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from flexhub.bench.inbound import kept
    from flexhub.channels import inbound

    keep_messages = kept.keep_messages

    def keep_one_unmapped(hub, sale, messages):  # type: ignore[no-untyped-def]
        keep_messages(hub, sale, messages)
        body = order_body("B-UNMAPPED", lines=[{"sku": "NOT-LISTED", "quantity": 1, "unit_price": 9900}])
        inbound.keep(hub, sale.stores[0], "webhook", {}, json.dumps(body))

    monkeypatch.setattr(kept, "keep_messages", keep_one_unmapped)
    report = bench("inbound", "--through", "kept", "--messages", "12", "--channels", "2", "--stock-ratio", "1",
                   "--database-url", f"sqlite:///{tmp_path / 'users-data.db'}")

    assert (report["channel_exceptions"], report["messages_left_pending"], report["orders_imported"]) == (1, 0, 10)


def test_a_topology_it_does_not_know_is_refused(tmp_path) -> None:
    refused = CliRunner().invoke(app, ["bench", "inbound", "--topology", "three", "--json",
                                       "--database-url", f"sqlite:///{tmp_path / 'users-data.db'}"])

    assert refused.exit_code == 2 and "one, split" in refused.output

"""The learned forecast trained again on its schedule and from the CLI, on SQLite and PostgreSQL: every run is kept
with who asked, when, how long and its error over the days it held out (beside the numpy core's), and GET
/api/v1/replenishment/forecast/model shows them with the schedule's next turn. The schedule goes through the job
queue: a tenant whose last run is FLEXHUB_FORECAST_RETRAIN_DAYS old is trained by the worker holding the schedule,
one that never trained gets its first model once its history is as long as a model needs (before that nothing is
written), a refusal is kept as a run and waits for the next turn, and a failure is tried
again after the queue's back-off and parked after its last attempt. The planning page (/preallocation) shows the
model, its hold-out error, the next training and a refused last run. `flexhub planning retrain` trains now, `model`
shows it all; a refusal there keeps nothing."""

import json
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flexhub.cli.main import app
from flexhub.db.jobs import queue
from flexhub.replenishment import jobs, learned_plan
from flexhub.replenishment.forecasting import learned
from flexhub.testing.api_client import Api
from flexhub.testing.clocks import MovableClock
from flexhub.testing.planning import TODAY, shop_with
from flexhub.testing.snapshots import audit, snapshot

if os.environ.get("CI") != "true":  # the dev extra brings LightGBM: under CI this fails rather than skips
    pytest.importorskip("lightgbm")

MODEL = "/api/v1/replenishment/forecast/model"
EVERY_DAYS = 7.0


@pytest.fixture
def shop(database_url: str, clock: MovableClock) -> Iterator[Api]:
    yield from shop_with(database_url, clock, 200, forecast_retrain_days=EVERY_DAYS)


def status(api: Api) -> dict[str, Any]:
    return api.get(MODEL, role="viewer")


def scheduled_turn(api: Api) -> None:
    """One turn of the schedule as the worker holding its lease runs it."""
    api.hub.workers.job("forecast-retrain").run()


def queued(api: Api) -> list[Any]:
    with api.hub.uow(write=False) as uow:
        return queue.listing(uow.connection, tenant_id=api.tenant.admin.tenant_id, kind=jobs.KIND)[0]


def planning_page(api: Api) -> str:
    """/preallocation, where planners see the forecast the plans use, as a viewer signed in."""
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens["viewer"]}, follow_redirects=False)
    assert answer.status_code == 303
    return api.client.get("/preallocation").text


def trainings(api: Api) -> list[str]:
    return [a.actor for a in audit(api.hub, api.tenant.admin.tenant_id) if a.action == "replenishment.train_forecast"]


def test_a_planners_training_is_kept_as_a_run_with_its_error_over_the_hold_out(shop: Api) -> None:
    trained = shop.post(MODEL, {}, role="operator")

    [run] = trained["runs"]
    assert (run["trigger"], run["outcome"], run["error_code"], run["series"], run["history_days"]) \
        == ("api", "trained", None, 6, 200)
    assert run["started_at"] == trained["trained_at"] and 0 < run["seconds"] == trained["seconds"]
    # Six steady series: the blended forecast's error over the 28 days held out is a few tenths of their units.
    assert run["holdout_days"] == 28 and 0 < run["holdout_wape"] < 0.5 and abs(run["holdout_bias"]) < 0.2
    assert 0 < run["core_wape"] < 0.5
    assert trained["holdout"] == {key: run[key] for key in ("holdout_days", "holdout_wape", "holdout_bias",
                                                            "core_wape")}
    assert trained["retrain_every_days"] == EVERY_DAYS
    assert datetime.fromisoformat(trained["next_retrain_at"]) \
        == datetime.fromisoformat(trained["trained_at"]) + timedelta(days=EVERY_DAYS)
    assert status(shop) == trained
    page = planning_page(shop)
    assert 'data-figure="method">lightgbm_global<' in page
    assert f'data-figure="holdout-wape">{100 * run["holdout_wape"]:.1f}%<' in page
    assert f'data-figure="core-wape">{100 * run["core_wape"]:.1f}%<' in page
    assert 'data-figure="next-training">2025-11-11 ' in page and 'data-figure="last-run"' not in page


def test_the_schedule_trains_a_tenant_again_once_its_days_have_passed(shop: Api, clock: MovableClock) -> None:
    first = shop.post(MODEL, {}, role="operator")
    clock.advance(days=EVERY_DAYS - 1)
    scheduled_turn(shop)
    assert status(shop)["runs"] == first["runs"] and queued(shop) == []

    clock.advance(days=1)
    scheduled_turn(shop)

    now = status(shop)
    assert [(r["trigger"], r["outcome"]) for r in now["runs"]] == [("schedule", "trained"), ("api", "trained")]
    assert (now["method"], now["trained_by"], now["through"]) \
        == ("lightgbm_global", jobs.ACTOR, (TODAY + timedelta(days=EVERY_DAYS)).date().isoformat())
    assert now["holdout"]["holdout_wape"] == now["runs"][0]["holdout_wape"] > 0
    assert datetime.fromisoformat(now["next_retrain_at"]) == clock.at + timedelta(days=EVERY_DAYS)
    assert queued(shop) == [] and trainings(shop) == [shop.tenant.actor_name("operator"), jobs.ACTOR]
    scheduled_turn(shop)  # trained just now: not due
    assert len(status(shop)["runs"]) == 2


def test_the_schedule_trains_a_tenants_first_model_without_anyone_asking(shop: Api) -> None:
    assert status(shop)["trained_at"] is None  # 200 days of history, and no model

    scheduled_turn(shop)

    now = status(shop)
    assert [(r["trigger"], r["outcome"], r["history_days"]) for r in now["runs"]] == [("schedule", "trained", 200)]
    assert (now["method"], now["trained_by"], now["method_reason"]) == ("lightgbm_global", jobs.ACTOR, None)
    assert queued(shop) == [] and trainings(shop) == [jobs.ACTOR]
    scheduled_turn(shop)  # trained just now: the next is a retraining, EVERY_DAYS on
    assert len(status(shop)["runs"]) == 1


@pytest.fixture
def young_scheduled(database_url: str, clock: MovableClock) -> Iterator[Api]:
    yield from shop_with(database_url, clock, 100, forecast_retrain_days=EVERY_DAYS)


def test_a_tenant_without_the_history_a_model_needs_is_left_alone_until_it_has_it(
        young_scheduled: Api, clock: MovableClock) -> None:
    shop, needed = young_scheduled, learned_plan.history_needed()
    clock.advance(days=needed - 100 - 1)  # a day short of the 140 days a model needs
    before = snapshot(shop.hub), status(shop)

    scheduled_turn(shop)

    assert (snapshot(shop.hub), status(shop)) == before and queued(shop) == [] and trainings(shop) == []
    found = before[1]
    assert (found["trained_at"], found["runs"], found["next_retrain_at"]) == (None, [], None)
    planning_page(shop)
    chinese = shop.client.get("/preallocation", headers={"Accept-Language": "zh-CN"}).text
    assert 'data-figure="method">ewma_profile_tsb<' in chinese
    assert "尚未训练学习模型(POST /api/v1/replenishment/forecast/model)" in chinese
    assert "no learned model trained yet" not in chinese

    clock.advance(days=1)
    scheduled_turn(shop)

    now = status(shop)
    assert [(r["trigger"], r["outcome"], r["history_days"]) for r in now["runs"]] == [("schedule", "trained", needed)]
    assert now["method"] == "lightgbm_global" and trainings(shop) == [jobs.ACTOR]


def test_a_scheduled_refusal_is_kept_as_a_run_and_waits_for_the_next_turn(shop: Api, clock: MovableClock,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = shop.post(MODEL, {}, role="operator")
    monkeypatch.setattr(learned, "available", lambda: learned.HINT)
    clock.advance(days=EVERY_DAYS)

    scheduled_turn(shop)

    now = status(shop)
    refused = now["runs"][0]
    assert (refused["trigger"], refused["outcome"], refused["error_code"], refused["detail"]) \
        == ("schedule", "refused", "replenishment.learned_unavailable", learned.HINT)
    assert refused["holdout_wape"] is None and now["trained_at"] == first["trained_at"]  # the kept model stays
    assert "cannot run here" in now["method_reason"]
    assert datetime.fromisoformat(now["next_retrain_at"]) == clock.at + timedelta(days=EVERY_DAYS)
    assert queued(shop) == [] and trainings(shop) == [shop.tenant.actor_name("operator")]
    assert 'data-figure="last-run">The last training was refused: replenishment.learned_unavailable<' \
        in planning_page(shop)
    clock.advance(days=1)
    scheduled_turn(shop)
    assert len(status(shop)["runs"]) == 2


def test_a_failing_run_is_tried_again_after_the_back_off_and_parked_after_its_last(
        shop: Api, clock: MovableClock, monkeypatch: pytest.MonkeyPatch) -> None:
    first = shop.post(MODEL, {}, role="operator")

    def broken(*_: object) -> None:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(learned_plan, "train", broken)
    clock.advance(days=EVERY_DAYS)
    scheduled_turn(shop)

    [job] = queued(shop)
    assert (job.state, job.attempts, job.last_error) == ("pending", 1, "RuntimeError: out of memory")
    scheduled_turn(shop)  # not due before its back-off
    assert queued(shop)[0].attempts == 1
    for attempt in (2, 3):
        clock.at = queued(shop)[0].run_after + timedelta(seconds=1)
        scheduled_turn(shop)
        assert queued(shop)[0].attempts == attempt
    assert queued(shop)[0].state == "dead"
    assert status(shop)["runs"] == first["runs"] and trainings(shop) == [shop.tenant.actor_name("operator")]


@pytest.fixture
def unscheduled(database_url: str, clock: MovableClock) -> Iterator[Api]:
    yield from shop_with(database_url, clock, 200, forecast_retrain_days=0.0)


def test_no_days_set_turns_the_schedule_off(unscheduled: Api, clock: MovableClock) -> None:
    trained = unscheduled.post(MODEL, {}, role="operator")
    assert (trained["retrain_every_days"], trained["next_retrain_at"]) == (None, None)
    clock.advance(days=90)
    scheduled_turn(unscheduled)
    assert status(unscheduled)["runs"] == trained["runs"] and queued(unscheduled) == []


def planning(*arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["planning", *arguments, "--tenant", "acme"])


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))


def test_the_cli_trains_now_and_shows_the_model_and_its_runs(shop: Api, cli_env: None) -> None:
    trained = planning("retrain", "--json")
    shown = planning("model")

    assert trained.exit_code == 0, trained.output
    found = json.loads(trained.stdout)
    assert (found["method"], found["trained_by"], found["series"]) == ("lightgbm_global", "cli", 6)
    assert [(r["trigger"], r["outcome"]) for r in found["runs"]] == [("cli", "trained")]
    assert found["holdout"]["holdout_wape"] > 0
    assert datetime.fromisoformat(status(shop)["trained_at"]) == datetime.fromisoformat(found["trained_at"])
    assert shown.exit_code == 0, shown.output
    assert "forecast used: lightgbm_global" in shown.output and "training runs" in shown.output
    assert f"hold-out (28 days): WAPE {found['holdout']['holdout_wape']:.1%}" in shown.output
    assert "every 7 days" in shown.output and "│ cli " in shown.output


@pytest.fixture
def young_shop(database_url: str, clock: MovableClock) -> Iterator[Api]:
    yield from shop_with(database_url, clock, 100)


def test_the_cli_refuses_too_short_a_history_and_keeps_nothing(young_shop: Api, cli_env: None) -> None:
    before = len(audit(young_shop.hub))

    refused = planning("retrain")
    unknown = CliRunner().invoke(app, ["planning", "retrain", "--tenant", "nobody"])

    assert refused.exit_code == 1 and "replenishment.history_too_short: 100 days of history" in refused.output
    assert unknown.exit_code == 2 and "nobody" in unknown.output
    found = status(young_shop)
    assert (found["trained_at"], found["runs"]) == (None, []) and len(audit(young_shop.hub)) == before

"""`flexhub bench forecast` and `bench replenishment` on the small seeded synthetic panel (the M5
data is opt-in and never needed here), and the M5 metrics on cases worked by hand."""

import os

import numpy as np
import pytest

from flexhub.bench import forecast_metrics as metrics
from flexhub.bench.forecast_data import synthetic_panel

FIGURES = {"wrmsse_item_store", "wrmsse_12", "mase", "bias", "series_per_s"}


def test_bench_forecast_json_keeps_its_contract(bench):
    report = bench("forecast", "--data", "synthetic")
    assert report["default"] == "ewma_profile_tsb"
    assert {"snaive", "ma28", "ma28_weekday", report["default"]} <= set(report["methods"])
    for figures in report["methods"].values():
        assert FIGURES <= set(figures)
        assert all(isinstance(figures[f], float) for f in FIGURES)
        assert abs(figures["bias"]) < 1  # a fraction, not a percentage
    default = report["methods"][report["default"]]
    assert default["wrmsse_item_store"] < report["methods"]["snaive"]["wrmsse_item_store"]
    assert default["series_per_s"] > 100
    assert report["machine"]["cpus"] >= 1 and report["machine"]["loadavg_1m"] >= 0  # how busy the machine was


def test_bench_forecast_scores_the_learned_model_beside_the_baselines(bench):
    if os.environ.get("CI") != "true":  # under CI the dev extra has brought LightGBM: never skipped there
        pytest.importorskip("lightgbm")
    report = bench("forecast", "--data", "synthetic", "--origins", "1", "--learned")
    learned = report["methods"]["lightgbm_global"]
    assert FIGURES <= set(learned) and abs(learned["bias"]) < 0.2
    assert learned["wrmsse_item_store"] < report["methods"]["snaive"]["wrmsse_item_store"]


def test_more_origins_are_more_forecasts_scored(bench):
    one = bench("forecast", "--data", "synthetic", "--origins", "1", "--horizon", "7")
    two = bench("forecast", "--data", "synthetic", "--origins", "2", "--horizon", "7")
    assert (len(one["origins"]), len(two["origins"])) == (1, 2)
    assert (one["horizon"], two["horizon"]) == (7, 7)
    for name, figures in two["methods"].items():
        assert len(figures["by_origin"]["wrmsse_item_store"]) == 2
        assert figures["by_origin"]["wrmsse_item_store"][-1] == one["methods"][name]["wrmsse_item_store"]


def test_a_higher_service_level_holds_more_stock(bench):
    low = bench("replenishment", "--data", "synthetic", "--weeks", "8", "--service", "0.8")
    high = bench("replenishment", "--data", "synthetic", "--weeks", "8", "--service", "0.99")
    for policy in high["policies"]:
        assert high["policies"][policy]["average_stock"] > low["policies"][policy]["average_stock"], policy
    default = "forecast_error_quantile"
    assert high["policies"][default]["cycle_service"] >= low["policies"][default]["cycle_service"]


def test_bench_replenishment_reports_each_policy(bench):
    report = bench("replenishment", "--data", "synthetic", "--weeks", "12")
    assert report["default"] == "forecast_error_quantile"
    assert set(report["policies"]) == {"normal", "poisson", "empirical_quantile", "forecast_error_quantile"}
    default = report["policies"]["forecast_error_quantile"]
    assert 0.90 <= default["cycle_service"] <= 1.0 and default["fill_rate"] >= 0.95
    assert default["average_stock"] > 0


def test_synthetic_panel_is_seeded():
    assert np.array_equal(synthetic_panel().sales, synthetic_panel().sales)


def test_rmsse_scales_by_the_mean_squared_daily_change_from_the_first_sale():
    train = np.array([[0.0, 0.0, 2.0, 4.0, 2.0]])  # changes from the first sale on: 2, −2 → scale 4
    assert metrics.rmsse(train, np.array([[3.0, 3.0]]), np.array([[1.0, 1.0]]))[0] == pytest.approx(1.0)
    assert metrics.mase(train, np.array([[3.0, 3.0]]), np.array([[1.0, 1.0]])) == pytest.approx(1.0)


def test_aggregate_and_bias():
    matrix = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert metrics.aggregate(matrix, np.array(["b", "a", "b"])).tolist() == [[3.0, 4.0], [6.0, 8.0]]
    assert metrics.bias(np.array([[10.0]]), np.array([[11.0]])) == pytest.approx(0.1)


def test_a_perfect_forecast_scores_zero_at_every_level():
    panel = synthetic_panel(items=6, days=120)
    scores = metrics.wrmsse_levels(panel, 92, panel.sales[:, 92:120])
    assert len(scores) == 12 and all(v == pytest.approx(0.0) for v in scores.values())

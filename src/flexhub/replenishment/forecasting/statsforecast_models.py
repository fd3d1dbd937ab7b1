"""statsforecast's models behind the same interface as the numpy core (the optional `forecast`
extra: pip install 'flexhub[forecast]'). AutoETS with a weekly season is the one the benchmark
offers (`flexhub bench forecast --statsforecast`)."""

import numpy as np

from flexhub.replenishment.forecasting.demand import Demand

HINT = "statsforecast comes with the forecast extra: pip install 'flexhub[forecast]'"


def auto_ets(demand: Demand, horizon: int) -> np.ndarray:
    try:
        import pandas as pd
        from statsforecast import StatsForecast
        from statsforecast.models import AutoETS
    except ImportError as missing:
        raise RuntimeError(HINT) from missing
    history = np.nan_to_num(demand.history)  # statsforecast needs no gaps: unobserved days as none sold
    started = np.argmax(demand.history > 0, axis=1)
    rows = [(i, t, history[i, t]) for i in range(history.shape[0]) for t in range(started[i], history.shape[1])]
    frame = pd.DataFrame(rows, columns=["unique_id", "ds", "y"])
    model = StatsForecast(models=[AutoETS(season_length=7)], freq=1, n_jobs=1)
    predicted = model.forecast(df=frame, h=horizon)
    out = np.zeros((history.shape[0], horizon))
    values = predicted["AutoETS"].to_numpy().reshape(-1, horizon)
    out[predicted["unique_id"].to_numpy()[::horizon].astype(int)] = values
    return np.maximum(out, 0.0)

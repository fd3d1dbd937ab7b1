"""China's calendar as forecast features: the public holidays of the State Council's yearly notices and the platforms'
shopping festivals, read from `calendars/china.csv` (shipped with flexhub, its sources recorded in the file: nothing is
downloaded). The learned model reads them as signals known ahead (`Demand.signals`).

Per day, four figures:
- `day_off`: 0 an ordinary day, 1 a public holiday, 2 the Spring Festival's days off, 3 National Day's golden week;
- `shopping`: 1 on a shopping festival's main day (618, 双11, 双12, 38 女王节);
- `to_shopping`: days until the next shopping festival day (0 on it, at most 31): the run-up, when buyers wait;
- `spring_festival`: days from the Spring Festival's first day off (−45 … 45; 45 beyond): the rush before it, the
  lull after it (factories and couriers stop, migrant staff go home).

A year after the file's last notice keeps the statutory fixed-date days (1 January; 1–2 May; 1–3 October, by the
全国年节及纪念日放假办法 as revised in 2024) and the shopping days; its lunar holidays are unknown until its notice is
added."""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

import numpy as np

FEATURES = ("day_off", "shopping", "to_shopping", "spring_festival")
DAY_OFF = {"holiday": 1, "spring_festival": 2, "golden_week": 3}
SHOPPING_DAYS = ((3, 8), (6, 18), (11, 11), (12, 12))  # (month, day): 38, 618, 双11, 双12
FIXED_DAYS_OFF = ((1, 1, 1), (5, 1, 1), (5, 2, 1), (10, 1, 3), (10, 2, 3), (10, 3, 3))  # (month, day, kind)
RUN_UP = 31
SEASON = 45


@dataclass(frozen=True)
class Period:
    name: str
    kind: str
    starts_on: date
    ends_on: date


@cache
def periods() -> tuple[Period, ...]:
    """The recorded holiday periods, oldest first."""
    text = resources.files("flexhub.replenishment.forecasting").joinpath("calendars/china.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    found = [Period(r["name"], r["kind"], date.fromisoformat(r["starts_on"]), date.fromisoformat(r["ends_on"]))
             for r in rows]
    unknown = {p.kind for p in found} - set(DAY_OFF)
    if unknown:
        raise ValueError(f"calendars/china.csv: unknown kind {sorted(unknown)}")
    return tuple(sorted(found, key=lambda p: p.starts_on))


def recorded_years() -> set[int]:
    """The years whose notice the file holds (known by their Spring Festival)."""
    return {p.starts_on.year for p in periods() if p.kind == "spring_festival"}


def features(first: date, days: int) -> np.ndarray:
    """(days, 4) the FEATURES of each day from `first` on."""
    dates = [first + timedelta(days=d) for d in range(days)]
    off = np.zeros(days, dtype=np.float32)
    years = recorded_years()
    for d, day in enumerate(dates):
        if day.year not in years:
            off[d] = next((kind for m, dd, kind in FIXED_DAYS_OFF if (day.month, day.day) == (m, dd)), 0)
    festival_starts = []
    for period in periods():
        festival_starts += [period.starts_on] if period.kind == "spring_festival" else []
        start, end = (period.starts_on - first).days, (period.ends_on - first).days + 1
        if end > 0 and start < days:
            off[max(start, 0):min(end, days)] = DAY_OFF[period.kind]
    shopping = np.array([(day.month, day.day) in SHOPPING_DAYS for day in dates], dtype=np.float32)
    to_shopping = np.array([_days_to_shopping(day) for day in dates], dtype=np.float32)
    season = np.array([_from_spring_festival(day, festival_starts) for day in dates], dtype=np.float32)
    return np.stack([off, shopping, to_shopping, season], axis=1)


def _days_to_shopping(day: date) -> int:
    ahead = [(date(day.year + y, m, d) - day).days for y in (0, 1) for m, d in SHOPPING_DAYS]
    return min(min(a for a in ahead if a >= 0), RUN_UP)


def _from_spring_festival(day: date, starts: list[date]) -> int:
    near = [(day - start).days for start in starts if abs((day - start).days) <= SEASON]
    return min(near, key=abs) if near else SEASON


def signals(first: date, days: int, series: int) -> np.ndarray:
    """(series, days, 4): the same calendar for every series, as `Demand.signals` holds it."""
    return np.broadcast_to(features(first, days)[None, :, :], (series, days, len(FEATURES)))

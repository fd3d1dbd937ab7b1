"""The replenishment API's bodies."""

from datetime import date

from pydantic import BaseModel


class DayForecast(BaseModel):
    date: date
    units: float


class ForecastError(BaseModel):
    interval_days: int | None
    protection_units: int
    safety_units: float


class ForecastOut(BaseModel):
    sku: str
    location: str
    as_of: date
    horizon_days: int
    method: str
    demand_class: str
    history_days: int
    censored_days: int
    daily: list[DayForecast]
    total: float
    error: ForecastError
    available: int
    in_transit: int
    projected_stockout: date | None


class LevelOut(BaseModel):
    sku: str
    location: str
    position: int
    target: int
    days_of_cover: float | None


class SuggestionOut(BaseModel):
    kind: str
    sku: str
    location: str
    quantity: int
    source: str | None


class SuggestionsOut(BaseModel):
    as_of: date
    service_target: float
    review_days: int
    levels: list[LevelOut]
    suggestions: list[SuggestionOut]

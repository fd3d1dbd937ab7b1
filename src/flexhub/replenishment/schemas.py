"""The replenishment API's bodies."""

from datetime import date, datetime

from pydantic import BaseModel, Field


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
    method: str = Field(description="the forecast used: lightgbm_global (the learned model) or ewma_profile_tsb")
    method_reason: str | None = Field(None, description="why the numpy core and not the learned model, when it is")
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
    method: str
    method_reason: str | None = Field(None, description="why the numpy core and not the learned model, when it is")
    levels: list[LevelOut]
    suggestions: list[SuggestionOut]


class ChannelDays(BaseModel):
    channel: str | None  # None: sales that named no channel
    total: float
    daily: list[DayForecast]


class NodeChannels(BaseModel):
    location: str
    total: float
    daily: list[DayForecast]
    channels: list[ChannelDays]


class ChannelForecastOut(BaseModel):
    sku: str
    as_of: date
    horizon_days: int
    method: str
    method_reason: str | None = Field(None, description="why the numpy core and not the learned model, when it is")
    total: float
    daily: list[DayForecast]
    nodes: list[NodeChannels]


class EventBrief(BaseModel):
    id: str
    name: str
    kind: str
    starts_on: date
    ends_on: date
    uplift: float


class ChannelQuota(BaseModel):
    channel: str | None
    quota: int


class NodePlan(BaseModel):
    sku: str
    location: str
    expected: float
    target: int
    available: int
    in_transit: int
    channels: list[ChannelQuota]


class Move(BaseModel):
    sku: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    quantity: int

    model_config = {"populate_by_name": True}


class PreallocationOut(BaseModel):
    event: EventBrief
    as_of: date
    service_target: float
    window_days: int
    nodes: list[NodePlan]
    transfers: list[Move]
    units: int


class TransferMade(BaseModel):
    id: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    units: int

    model_config = {"populate_by_name": True}


class PreallocatedOut(BaseModel):
    transfers: list[TransferMade]


class HoldoutOut(BaseModel):
    """The forecast the plans use (the model's, blended), made from the first day the model did not learn from, over
    the days it did not learn from, against what sold: shares of the units sold."""

    holdout_days: int | None
    holdout_wape: float | None = Field(description="Σ|forecast − sold| ÷ Σ sold")
    holdout_bias: float | None = Field(description="Σ(forecast − sold) ÷ Σ sold")
    core_wape: float | None = Field(description="the numpy core's WAPE over the same days, from the same day")


class ForecastRunOut(HoldoutOut):
    started_at: datetime
    trigger: str = Field(description="who asked: api, cli, schedule or demo")
    outcome: str = Field(description="trained, or refused (error_code and detail say why)")
    seconds: float
    history_days: int
    series: int
    error_code: str | None
    detail: str | None


class ForecastModelOut(BaseModel):
    """The learned model the plans use, or why none is used."""

    method: str = Field(description="the forecast the plans use now")
    method_reason: str | None
    trained_at: datetime | None = None
    through: date | None = Field(None, description="history up to this day (exclusive)")
    learned_until: date | None = Field(None, description="it learned from the days before this one; the rest "
                                                         "calibrate its quantiles")
    history_days: int | None = None
    series: int | None = None
    seconds: float | None = Field(None, description="training time")
    trained_by: str | None = None
    holdout: HoldoutOut | None = Field(None, description="the kept model's error over its hold-out")
    retrain_every_days: float | None = Field(None, description="the schedule (FLEXHUB_FORECAST_RETRAIN_DAYS); "
                                                               "None: off")
    next_retrain_at: datetime | None = Field(None, description="when the schedule trains it next")
    runs: list[ForecastRunOut] = Field(default_factory=list, description="the latest training runs, newest first")

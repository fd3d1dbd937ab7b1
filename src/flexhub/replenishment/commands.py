"""Replenishment commands, and what their handlers answer."""

from dataclasses import dataclass

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class TrainForecastModel(Command):
    """Train the learned forecast on the tenant's history up to today and keep it: the plans use it from then on."""

    trigger: str = "api"  # who asked: api | cli | schedule | demo (kept with the run)

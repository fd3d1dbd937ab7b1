"""The public face of flexhub.planning: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.planning.commands import CreateEvent, HistoryImported, ImportSalesHistory, SalesDay
from flexhub.planning.errors import DuplicateSalesDay, EventOver, FutureSalesDay, InvalidEvent, UnknownEvent
from flexhub.planning.events import PlanningEventCreated, SalesHistoryImported
from flexhub.planning.queries import EventEffect, TimedEvent, event_effects, get_event, list_events, timed_events
from flexhub.planning.repository import first_imported_days, imported_sales
from flexhub.planning.rules import blended_uplift

__all__ = ["CreateEvent", "DuplicateSalesDay", "EventEffect", "EventOver", "FutureSalesDay", "HistoryImported",
           "ImportSalesHistory", "InvalidEvent", "PlanningEventCreated", "SalesDay", "SalesHistoryImported",
           "TimedEvent", "UnknownEvent", "blended_uplift", "event_effects", "first_imported_days", "get_event",
           "imported_sales", "list_events", "timed_events"]

"""The public face of flexhub.batches: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.batches.commands import ACTIONS, MAX_ORDERS, BatchStarted, RunOrderBatches, StartOrderBatch
from flexhub.batches.errors import BadSelection, UnknownAction, UnknownBatch
from flexhub.batches.queries import batch_view, recent_batches

__all__ = ["ACTIONS", "MAX_ORDERS", "BadSelection", "BatchStarted", "RunOrderBatches", "StartOrderBatch",
           "UnknownAction", "UnknownBatch", "batch_view", "recent_batches"]

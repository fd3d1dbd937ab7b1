"""The one JSON object a benchmark prints: what was attempted, accepted, oversold, how fast."""

import math
import os
import platform
from collections.abc import Sequence
from typing import Any

from flexhub.bench.load import Load
from flexhub.bench.oversell import StockAudit


def percentile_ms(latencies: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile of latencies in seconds, in milliseconds."""
    if not latencies:
        return None
    ordered = sorted(latencies)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return round(ordered[rank - 1] * 1000, 3)


def machine() -> dict[str, Any]:
    """Where the figures come from; the load average says how much else the machine was doing."""
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "loadavg_1m": round(os.getloadavg()[0], 2)}


def order_report(
    *, scenario: str, mode: str, database: str, concurrency: int, load: Load, stock: StockAudit,
    **extra: Any,
) -> dict[str, Any]:
    seconds = load.seconds or float("nan")
    attempted = len(load.latencies)
    transactions = stock.reserving_transactions
    return {
        "scenario": scenario,
        "mode": mode,
        "database": database,
        "orders_attempted": attempted,
        "orders_accepted": load.accepted,
        "orders_rejected": load.rejected,
        "errors": load.errors,
        "oversold": stock.oversold,
        "orders_per_s": round(attempted / seconds, 1),
        "accepted_per_s": round(load.accepted / seconds, 1),
        "p50_ms": percentile_ms(load.latencies, 0.50),
        "p99_ms": percentile_ms(load.latencies, 0.99),
        "max_ms": percentile_ms(load.latencies, 1.0),
        "seconds": round(load.seconds, 3),
        "client_cpu_us_per_order": round(load.cpu_seconds / attempted * 1e6) if attempted else None,
        "concurrency": concurrency,
        "stock": stock.received,
        "reserved_units": stock.reserved,
        "orders_reserved_in_database": stock.orders_reserved,
        "reserving_transactions": transactions,
        "orders_per_transaction": round(load.accepted / transactions, 2) if transactions else None,
        "oversold_detail": {
            "beyond_stock": stock.beyond_stock, "beyond_on_hand": stock.beyond_on_hand,
            "unaccounted": stock.unaccounted, "ledger_differences": stock.ledger_differences,
        },
        **extra,
        "machine": machine(),
    }

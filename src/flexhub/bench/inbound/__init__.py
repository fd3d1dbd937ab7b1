"""`flexhub bench inbound`: signed channel webhooks to imported orders, and how long each message took from its
receipt to its order.

`--through http` (the default, `served.py`): the webhooks posted over HTTP to `flexhub serve`, signed, kept raw and
answered, imported by its channel-inbound job; the bare reference app takes the same webhooks in the same run.
`--through kept` (`kept.py`): the import job alone, in this process, on messages kept as a webhook keeps them.
The sale (`sale.py`) and the figures read back (`figures.py`) are the same either way: messages and orders per
second, p50 and p99 from receipt to order, the stock audited for oversold, the load average.
"""

import os
from collections.abc import Callable
from typing import Any

from flexhub.bench.inbound import figures, kept
from flexhub.bench.inbound.sale import SKUS, open_sale, orders_in
from flexhub.bench.inbound.served import Served, run_served
from flexhub.bench.report import machine
from flexhub.bench.scratch import backend_of, scratch_database, scratch_name
from flexhub.bootstrap import bootstrap
from flexhub.settings import Settings

THROUGH = ("http", "kept")


def run_inbound(database_url: str, *, messages: int, channels: int, stock_ratio: float, per_second: float = 0.0,
                through: str = "http", served: Served | None = None,
                progress: Callable[[str, int], None] = lambda _s, _n: None,
                status: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    if through not in THROUGH:
        raise ValueError(f"the messages come through one of {', '.join(THROUGH)}, not {through}")
    if through == "http" and per_second:
        raise ValueError("--messages-per-s paces kept messages: it goes with --through kept")
    database = backend_of(database_url)
    units = max(1, round(orders_in(messages) * stock_ratio / SKUS))
    loadavg = os.getloadavg()
    status(f"creating a scratch {database} database")
    with scratch_database(database_url, name=scratch_name("flexhub_bench_inbound")) as url:
        if through == "http":
            report = run_served(url, served or Served(connections=64, workers=1), messages=messages,
                                channels=channels, units=units, progress=progress, status=status)
        else:
            report = _run_kept(url, messages, channels, units, per_second, status)
    seconds = report["seconds"]
    return {"scenario": "inbound", "through": through, "database": database, "messages": messages,
            "channels": channels, **report,
            "orders_per_s": round(report["orders_imported"] / seconds, 1) if seconds else None,
            "messages_per_s_offered": per_second or None,
            "loadavg_before": [round(figure, 2) for figure in loadavg],
            "loadavg": [round(figure, 2) for figure in os.getloadavg()], "machine": machine()}


def _run_kept(url: str, messages: int, channels: int, units: int, per_second: float,
              status: Callable[[str], None]) -> dict[str, Any]:
    hub = bootstrap(Settings(database_url=url), combine=True)  # as `flexhub serve` runs it
    try:
        sale = open_sale(hub, channels, units)
        if per_second:
            status(f"keeping {messages} messages over {channels} channels at {per_second:g}/s, importing beside")
            seconds, turns = kept.import_as_they_arrive(hub, sale, messages, per_second)
        else:
            status(f"keeping {messages} messages over {channels} channels, then importing")
            seconds, turns = kept.import_backlog(hub, sale, messages)
        return {**figures.imported(hub, sale.admin), "seconds": round(seconds, 3), "turns": turns,
                "messages_per_s": round(messages / seconds, 1)}
    finally:
        hub.close()

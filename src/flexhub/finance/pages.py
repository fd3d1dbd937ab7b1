"""The finance dashboard page: gross profit by the chosen dimension (a table and an ECharts chart), the statements
imported, and a channel's reconciliation with its differences filtered by kind; both tables download as CSV
(with a UTF-8 byte order mark, so Excel opens the Chinese text as it is). Staff only (`finance.read`)."""

import csv
import io
from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from flexhub.api.auth import HubDep
from flexhub.finance import queries
from flexhub.finance.errors import InvalidPeriod
from flexhub.finance.profit import DIMENSIONS, FIGURES, profit_view
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.finance.rules import DIFFERENCE_KINDS
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
PROFIT_COLUMNS = ("key", "currency", *FIGURES, "gross_profit", "margin")
DIFFERENCE_COLUMNS = ("kind", "external_id", "expected", "actual", "currency", "reason")


@router.get("/finance", response_class=HTMLResponse)
def finance(request: Request, actor: WebActor, hub: HubDep, by: str = "channel", start: str = "", end: str = "",
            channel: str = "", kind: str = "") -> HTMLResponse:
    require(actor, "finance.read")
    form = {"by": by, "start": start, "end": end, "channel": channel, "kind": kind}
    with hub.uow(write=False) as uow:
        statements = queries.statements(uow.connection, actor.tenant_id, limit=200)
        profit = profit_view(uow.connection, actor.tenant_id, by, *_period(start, end))
        channels = sorted({s["channel"] for s in statements})
        chosen = channel or (channels[0] if channels else "")
        reconciliation = channel_reconciliation(uow.connection, actor.tenant_id, chosen).view() if chosen else None
    if reconciliation is not None and kind:
        reconciliation["differences"] = [d for d in reconciliation["differences"] if d["kind"] == kind]
    return page(request, "finance.html", actor, form={**form, "channel": chosen}, profit=profit,
                statements=statements, channels=channels, reconciliation=reconciliation, dimensions=DIMENSIONS,
                kinds=DIFFERENCE_KINDS, figures=FIGURES)


@router.get("/finance/profit.csv")
def profit_csv(actor: WebActor, hub: HubDep, by: str = "channel", start: str = "", end: str = "") -> Response:
    require(actor, "finance.read")
    with hub.uow(write=False) as uow:
        profit = profit_view(uow.connection, actor.tenant_id, by, *_period(start, end))
    return _csv(f"profit-by-{by}.csv", PROFIT_COLUMNS, profit["rows"])


@router.get("/finance/differences.csv")
def differences_csv(actor: WebActor, hub: HubDep, channel: str, kind: str = "") -> Response:
    require(actor, "finance.read")
    with hub.uow(write=False) as uow:
        found = channel_reconciliation(uow.connection, actor.tenant_id, channel).view()
    rows = [d for d in found["differences"] if not kind or d["kind"] == kind]
    return _csv(f"differences-{channel}.csv", DIFFERENCE_COLUMNS, rows)


def _period(start: str, end: str) -> tuple[datetime | None, datetime | None]:
    """`start` and `end` name days; the end day is included."""
    try:
        first = datetime.combine(date.fromisoformat(start), time.min, tzinfo=UTC) if start else None
        last = datetime.combine(date.fromisoformat(end), time.max, tzinfo=UTC) if end else None
    except ValueError as error:
        raise InvalidPeriod(f"{start or end!r} is not a day (YYYY-MM-DD)") from error
    return first, last


def _csv(name: str, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[row.get(column) if row.get(column) is not None else "" for column in columns]
                      for row in rows])
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

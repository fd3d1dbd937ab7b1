"""The finance dashboard page: gross profit by the chosen dimension (a table and an ECharts chart), the statements
imported, and a channel's reconciliation with its differences filtered by kind and by open or resolved; both
tables download as CSV (with a UTF-8 byte order mark, so Excel opens the Chinese text as it is) or as an Excel
workbook (`flexhub.lists` writes both). Staff only (`finance.read`)."""

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from flexhub.api.auth import HubDep
from flexhub.finance import queries
from flexhub.finance.errors import InvalidPeriod, MissingExchangeRate
from flexhub.finance.profit import DIMENSIONS, FIGURES, profit_view
from flexhub.finance.profit_queries import SHIPPED
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.finance.rules import DIFFERENCE_KINDS
from flexhub.kernel.zones import day_span
from flexhub.lists import export_response
from flexhub.web.labels import zone_of
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
PROFIT_COLUMNS = ("key", "currency", *FIGURES, "gross_profit", "margin")
DIFFERENCE_COLUMNS = ("kind", "external_id", "expected", "actual", "currency", "reason", "resolution")
STATES = ("open", "resolved")


@router.get("/finance", response_class=HTMLResponse)
def finance(request: Request, actor: WebActor, hub: HubDep, by: str = "channel", basis: str = SHIPPED,
            start: str = "", end: str = "", channel: str = "", kind: str = "", state: str = "") -> HTMLResponse:
    require(actor, "finance.read")
    form = {"by": by, "basis": basis, "start": start, "end": end, "channel": channel, "kind": kind, "state": state}
    with hub.uow(write=False) as uow:
        statements = queries.statements(uow.connection, actor.tenant_id, limit=200)
        try:
            profit = profit_view(uow.connection, actor.tenant_id, by, *_period(request, start, end), basis)
        except MissingExchangeRate as missing:  # shown, with what to record, instead of figures made up
            profit = {"rows": [], "missing_rates": missing.details["missing"]}
        channels = sorted({s["channel"] for s in statements})
        chosen = channel or (channels[0] if channels else "")
        reconciliation = channel_reconciliation(uow.connection, actor.tenant_id, chosen).view() if chosen else None
    if reconciliation is not None:
        reconciliation["differences"] = _filtered(reconciliation["differences"], kind, state)
    return page(request, "finance.html", actor, form={**form, "channel": chosen}, profit=profit,
                statements=statements, channels=channels, reconciliation=reconciliation, dimensions=DIMENSIONS,
                kinds=DIFFERENCE_KINDS, figures=FIGURES, states=STATES)


@router.get("/finance/profit.{format}")
def profit_export(request: Request, actor: WebActor, hub: HubDep, format: str, by: str = "channel",
                  basis: str = SHIPPED, start: str = "", end: str = "") -> Response:
    """The profit table as shown, as CSV (UTF-8 with a byte order mark) or an Excel workbook."""
    require(actor, "finance.read")
    with hub.uow(write=False) as uow:
        profit = profit_view(uow.connection, actor.tenant_id, by, *_period(request, start, end), basis)
    return export_response(format, f"profit-by-{by}", PROFIT_COLUMNS,
                           [[row.get(column) for column in PROFIT_COLUMNS] for row in profit["rows"]])


@router.get("/finance/differences.{format}")
def differences_export(actor: WebActor, hub: HubDep, format: str, channel: str, kind: str = "",
                       state: str = "") -> Response:
    """The channel's differences, filtered as on the page, as CSV or Excel."""
    require(actor, "finance.read")
    with hub.uow(write=False) as uow:
        found = channel_reconciliation(uow.connection, actor.tenant_id, channel).view()
    rows = _filtered(found["differences"], kind, state)
    return export_response(format, f"differences-{channel}", DIFFERENCE_COLUMNS,
                           [[_cell(row, column) for column in DIFFERENCE_COLUMNS] for row in rows])


def _filtered(differences: list[dict[str, Any]], kind: str, state: str) -> list[dict[str, Any]]:
    """Of one kind (any when empty), open (no resolution) or resolved (any when empty)."""
    return [d for d in differences if (not kind or d["kind"] == kind)
            and (not state or (d["resolution"] is None) == (state == "open"))]


def _cell(row: dict[str, Any], column: str) -> Any:
    if column == "resolution":
        return row["resolution"]["note"] if row["resolution"] else None
    return row.get(column)


def _period(request: Request, start: str, end: str) -> tuple[datetime | None, datetime | None]:
    """`start` and `end` name days on a clock in the page's zone; the end day is included (to its last instant)."""
    try:
        first, after = day_span(date.fromisoformat(start) if start else None,
                                date.fromisoformat(end) if end else None, zone_of(request))
    except ValueError as error:
        raise InvalidPeriod(f"{start or end!r} is not a day (YYYY-MM-DD)") from error
    return first, after - timedelta(microseconds=1) if after else None

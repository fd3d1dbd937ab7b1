"""Dashboard pages of resellers: the brand's resellers with their balances (staff), and one reseller's account
with the month's statement and its CSV — seen by staff and by the reseller itself (another's is 404)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flexhub.api.auth import HubDep
from flexhub.resellers import queries
from flexhub.resellers.api import statement_file
from flexhub.resellers.errors import UnknownReseller
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)


@router.get("/resellers", response_model=None)
def resellers(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse | RedirectResponse:
    """Staff: every reseller's account. A reseller: its own page. Anyone else: 404."""
    with hub.uow(write=False) as uow:
        if actor.partner_id is not None:
            own = [p for p in queries.resellers(uow.connection, actor.tenant_id) if p.id == actor.partner_id]
            if not own:
                raise UnknownReseller("this key belongs to no reseller")
            return RedirectResponse(f"/resellers/{own[0].code}", status_code=303)
        require(actor, "brand.read")
        accounts = [queries.account(uow.connection, actor.tenant_id, p)
                    for p in queries.resellers(uow.connection, actor.tenant_id)]
    return page(request, "resellers.html", actor, accounts=accounts)


@router.get("/resellers/{partner}", response_class=HTMLResponse)
def reseller(partner: str, request: Request, actor: WebActor, hub: HubDep, month: str | None = None) -> HTMLResponse:
    found = _statement(hub, actor, partner, month)
    return page(request, "reseller.html", actor, **found)


@router.get("/resellers/{partner}/statement.csv")
def statement_csv_file(partner: str, actor: WebActor, hub: HubDep, month: str | None = None) -> Response:
    return statement_file(_statement(hub, actor, partner, month)["statement"], "csv")


@router.get("/resellers/{partner}/statement.xlsx")
def statement_xlsx_file(partner: str, actor: WebActor, hub: HubDep, month: str | None = None) -> Response:
    return statement_file(_statement(hub, actor, partner, month)["statement"], "xlsx")


def _statement(hub: HubDep, actor: WebActor, partner: str, month: str | None) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        row = queries.reseller(uow.connection, actor, partner)
        return {"account": queries.account(uow.connection, actor.tenant_id, row),
                "statement": queries.statement(uow.connection, actor.tenant_id, row, month or None)}

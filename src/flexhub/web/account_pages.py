"""A signed-in user's own account: changing the password, which signs every other browser of theirs out; and, for
an admin, the tenant's time zone that every page and export shows times in."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.identity.commands import ChangePassword, SetTimeZone
from flexhub.identity.errors import UnknownTimeZone, WeakPassword, WrongPassword
from flexhub.kernel.zones import known_zones
from flexhub.web.cookies import SESSION, cookies
from flexhub.web.render import page
from flexhub.web.session import WebSession, require

router = APIRouter(include_in_schema=False)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: WebSession, changed: int | None = None, zone_set: int = 0) -> HTMLResponse:
    return _account(request, session, changed=changed, zone_set=zone_set)


def _account(request: Request, session: WebSession, status_code: int = 200, **shown: object) -> HTMLResponse:
    return page(request, "account.html", session.actor, by_key=session.user_id is None, status_code=status_code,
                time_zone=session.time_zone, zones=sorted(known_zones()), **shown)


@router.post("/account/password", response_class=HTMLResponse, response_model=None)
def change_password(request: Request, session: WebSession, hub: HubDep,
                    current_password: Annotated[str, Form()] = "",
                    new_password: Annotated[str, Form()] = "") -> HTMLResponse | RedirectResponse:
    if session.user_id is None:  # a key has no password: the page offers no form to post
        return _account(request, session, status_code=422)
    try:
        changed = hub.handle(ChangePassword(actor=session.actor, user_id=str(session.user_id),
                                            current_password=current_password, new_password=new_password,
                                            keep_session=cookies(request).get(SESSION)))
    except (WrongPassword, WeakPassword) as error:
        return _account(request, session, error=error.code, status_code=422)
    return RedirectResponse(f"/account?changed={changed.sessions_revoked}", status_code=303)


@router.post("/account/time-zone", response_class=HTMLResponse, response_model=None)
def set_time_zone(request: Request, session: WebSession, hub: HubDep,
                  time_zone: Annotated[str, Form()] = "") -> HTMLResponse | RedirectResponse:
    """The tenant's zone (empty: each page shows its language's); an unknown name is shown back, nothing set."""
    require(session.actor, "identity.write")
    try:
        hub.handle(SetTimeZone(actor=session.actor, time_zone=time_zone.strip() or None))
    except UnknownTimeZone as error:
        return _account(request, session, error=error.code, asked_zone=time_zone, status_code=error.status)
    return RedirectResponse("/account?zone_set=1", status_code=303)

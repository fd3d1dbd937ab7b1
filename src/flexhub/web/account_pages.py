"""A signed-in user's own account: changing the password, which signs every other browser of theirs out."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.identity.commands import ChangePassword
from flexhub.identity.errors import WeakPassword, WrongPassword
from flexhub.web.cookies import SESSION, cookies
from flexhub.web.render import page
from flexhub.web.session import WebSession

router = APIRouter(include_in_schema=False)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: WebSession, changed: int | None = None) -> HTMLResponse:
    return page(request, "account.html", session.actor, by_key=session.user_id is None, changed=changed)


@router.post("/account/password", response_class=HTMLResponse, response_model=None)
def change_password(request: Request, session: WebSession, hub: HubDep,
                    current_password: Annotated[str, Form()] = "",
                    new_password: Annotated[str, Form()] = "") -> HTMLResponse | RedirectResponse:
    if session.user_id is None:  # a key has no password: the page offers no form to post
        return page(request, "account.html", session.actor, by_key=True, status_code=422)
    try:
        changed = hub.handle(ChangePassword(actor=session.actor, user_id=str(session.user_id),
                                            current_password=current_password, new_password=new_password,
                                            keep_session=cookies(request).get(SESSION)))
    except (WrongPassword, WeakPassword) as error:
        return page(request, "account.html", session.actor, by_key=False, error=error.code, status_code=422)
    return RedirectResponse(f"/account?changed={changed.sessions_revoked}", status_code=303)

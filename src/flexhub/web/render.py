"""Templates: one Jinja2 environment with gettext, the signed-in actor and the locale in every page."""

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from flexhub import identity
from flexhub.channels.allocation import describe as describe_allocation
from flexhub.kernel.money import minor_digits
from flexhub.web import i18n
from flexhub.web.api_text import code_words, problem, said
from flexhub.web.labels import label, money, when, zone_of
from flexhub.web.session import can

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=environment)
templates.env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]  # the i18n extension adds it at run time
templates.env.globals["locales"] = i18n.LOCALES
templates.env.globals["minor_digits"] = minor_digits  # a chart's amounts, from minor units
templates.env.filters["allocation"] = describe_allocation
templates.env.filters["label"] = label
templates.env.filters["when"] = when
templates.env.filters["money"] = money  # every amount a page shows, in its currency and the page's language
templates.env.filters["said"] = said
templates.env.filters["problem"] = problem
templates.env.filters["code_words"] = code_words


def page(request: Request, template: str, actor: Any = None, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {
        "actor": actor, "can": (lambda permission: actor is not None and can(actor, permission)),
        "signed_partner": _partner(request, actor),  # the menu of a partner's sign-in: a reseller's own pages
        "locale": i18n.current.get(), "zone": zone_of(request), "path": request.url.path,
        "here": f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path,  # kept on a
        # language switch: the filters and the page stay as they were
        **context,
    }, status_code=status_code)


def _partner(request: Request, actor: Any) -> Any:
    """The signed-in partner (its code and kind), or None for the brand's staff and for nobody signed in."""
    hub = getattr(request.app.state, "hub", None)
    if actor is None or actor.partner_id is None or hub is None:
        return None
    with hub.uow(write=False) as uow:
        return identity.partner_by_id(uow.connection, actor.tenant_id, actor.partner_id)

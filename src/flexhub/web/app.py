"""Mounting the dashboard on the API's FastAPI app: cookies (the session's id, the language), locale, static files
and pages."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from flexhub.bootstrap import Hub
from flexhub.erp import pages as erp_pages
from flexhub.finance import pages as finance_pages
from flexhub.identity.sign_in_limits import SignInLimits
from flexhub.jobs import pages as job_pages
from flexhub.members import pages as member_pages
from flexhub.purchasing import pages as purchasing_pages
from flexhub.replenishment import pages as replenishment_pages
from flexhub.resellers import pages as reseller_pages
from flexhub.stores import pages as store_pages
from flexhub.stores.throttle import ShopperLimits
from flexhub.web import (
    account_pages,
    api_docs,
    batch_pages,
    error_pages,
    hold_pages,
    i18n,
    inventory_pages,
    list_exports,
    live,
    order_pages,
    pages,
    reseller_portal,
    saved_filter_pages,
)
from flexhub.web.cookies import LOCALE, DashboardCookies, cookies
from flexhub.web.locale import ChooseLocale
from flexhub.web.session import SignInRequired, local_path, to_sign_in

LOCALE_KEPT_S = 365 * 86400
# Browser libraries the set-up installs from the npm registry (never a CDN, never committed).
VENDOR = {"echarts.min.js": "echarts/dist/echarts.min.js", "htmx.min.js": "htmx.org/dist/htmx.min.js",
          "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
          "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
          "redoc.standalone.js": "redoc/bundles/redoc.standalone.js"}
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}


def bind(app: FastAPI, hub: Hub) -> None:
    """The dashboard's state over `hub`: sign-in and shopper limits count in its database, shared by processes."""
    app.state.sign_in_guard = SignInLimits(hub.engine)
    app.state.shopper_limits = ShopperLimits(hub.engine, hub.settings.shopper_requests_per_minute)


def mount(app: FastAPI, *, assets_dir: Path) -> None:
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(list_exports.router)  # before the pages whose {sku} or {order_id} would take "export.csv"
    app.include_router(inventory_pages.router)
    app.include_router(batch_pages.router)  # before the order pages: /orders/picking-list.pdf is no order id
    app.include_router(order_pages.router)
    app.include_router(hold_pages.router)
    app.include_router(saved_filter_pages.router)
    app.include_router(purchasing_pages.router)
    app.include_router(replenishment_pages.router)
    app.include_router(reseller_pages.router)
    app.include_router(reseller_portal.router)
    app.include_router(job_pages.router)
    app.include_router(erp_pages.router)
    app.include_router(store_pages.router)
    app.include_router(member_pages.router)
    app.include_router(finance_pages.router)
    app.include_router(live.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for name, relative in VENDOR.items():
        _vendor_route(app, name, assets_dir / relative)
    api_docs.mount(app)
    # Starlette types a handler as taking any Exception; this one takes the SignInRequired it is registered for.
    app.add_exception_handler(SignInRequired, to_sign_in)  # type: ignore[arg-type]
    error_pages.install(app)  # after errors.install (create_app): wraps its JSON handlers

    @app.get("/lang/{code}", include_in_schema=False)
    def switch_language(code: str, request: Request, back: str = "/") -> RedirectResponse:
        if code in i18n.LOCALES:
            cookies(request).set(LOCALE, code, LOCALE_KEPT_S)  # kept by the browser, signed in or not
        return RedirectResponse(local_path(back), status_code=303)

    app.add_middleware(ChooseLocale)  # inside DashboardCookies (added after, so outer): the cookies are read
    app.add_middleware(DashboardCookies, always_secure=app.state.hub.settings.session_cookie_secure)


def _vendor_route(app: FastAPI, name: str, path: Path) -> None:
    @app.get(f"/vendor/{name}", include_in_schema=False, name=f"vendor-{name}")
    def vendor_file() -> Response:
        if not path.exists():
            return PlainTextResponse(f"{name} is not installed: run `make demo` (npm install)", status_code=404)
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers={"cache-control": "max-age=3600"})

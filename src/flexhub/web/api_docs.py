"""The API's reference pages, /docs (Swagger UI) and /redoc (ReDoc), drawn with the copies the set-up installs
from the npm registry and serves under /vendor: nothing is fetched from a CDN, so they work offline and behind
a firewall. No web fonts are asked for; the pages use the system's. A content security policy keeps the pages to
this site (ReDoc's "powered by" logo would otherwise come from its maker's CDN)."""

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

FAVICON = "/static/favicon.svg"
SAME_SITE_ONLY = ("default-src 'self'; script-src 'self' 'unsafe-inline' blob:; worker-src 'self' blob:; "
                  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:")


def mount(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _same_site(get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} · API",
            swagger_js_url="/vendor/swagger-ui-bundle.js", swagger_css_url="/vendor/swagger-ui.css",
            swagger_favicon_url=FAVICON))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _same_site(get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} · API",
            redoc_js_url="/vendor/redoc.standalone.js", redoc_favicon_url=FAVICON, with_google_fonts=False))


def _same_site(page: HTMLResponse) -> HTMLResponse:
    page.headers["content-security-policy"] = SAME_SITE_ONLY
    return page

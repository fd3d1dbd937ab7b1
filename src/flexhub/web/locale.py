"""The dashboard's language for one request, as pure ASGI middleware: the language cookie first, then the
browser's Accept-Language, held in `i18n.current` while the page is made. The API and webhooks answer in no
language of a person's, so their requests pass straight through."""

from starlette.types import ASGIApp, Receive, Scope, Send

from flexhub.web import i18n
from flexhub.web.cookies import LOCALE, SCOPE_KEY

UNTRANSLATED = ("/api/", "/webhooks/")


class ChooseLocale:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNTRANSLATED):
            await self.app(scope, receive, send)
            return
        jar = scope.get(SCOPE_KEY)
        accept = next((value.decode("latin-1") for name, value in scope.get("headers", [])
                       if name.lower() == b"accept-language"), None)
        token = i18n.current.set(i18n.choose(jar.get(LOCALE) if jar else None, accept))
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.current.reset(token)

"""The dashboard's cookies, as pure ASGI middleware: what the browser sent is read once into the request's scope,
and what a page decided (a session id at sign-in, its removal at sign-out, a language) is written on the answer,
every cookie alike: HttpOnly, SameSite=Lax, Path=/, and Secure when the request came over TLS (uvicorn's proxy
headers turn a trusted X-Forwarded-Proto into the scheme) or the settings ask for it always. The API and webhooks
take no cookie (a key or a signature says who asks), so their requests pass straight through."""

from dataclasses import dataclass, field

from fastapi import Request
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SCOPE_KEY = "flexhub.cookies"
COOKIELESS = ("/api/", "/webhooks/")
SESSION = "flexhub_session"  # a server-side session's random id (identity/sessions.py), nothing else
LOCALE = "flexhub_locale"


@dataclass
class Cookies:
    """One request's cookies: those the browser sent, and those the answer sets (an empty value removes one)."""

    sent: dict[str, str]
    outgoing: dict[str, tuple[str, int]] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.sent.get(name) or None

    def set(self, name: str, value: str, max_age_s: int) -> None:
        self.sent[name] = value
        self.outgoing[name] = (value, max_age_s)

    def remove(self, name: str) -> None:
        self.sent.pop(name, None)
        self.outgoing[name] = ("", 0)


def cookies(request: Request) -> Cookies:
    return request.scope[SCOPE_KEY]


class DashboardCookies:
    def __init__(self, app: ASGIApp, *, always_secure: bool = False) -> None:
        self.app, self.always_secure = app, always_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(COOKIELESS):
            await self.app(scope, receive, send)
            return
        sent = cookie_parser(_header(scope, b"cookie"))
        jar = scope[SCOPE_KEY] = Cookies({name: sent[name] for name in (SESSION, LOCALE) if name in sent})
        secure = self.always_secure or scope.get("scheme") == "https"

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start" and jar.outgoing:
                headers = [*message.get("headers", []),
                           *((b"set-cookie", set_cookie(name, value, max_age_s, secure).encode("latin-1"))
                             for name, (value, max_age_s) in jar.outgoing.items())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookies)


def set_cookie(name: str, value: str, max_age_s: int, secure: bool) -> str:
    return f"{name}={value}; Max-Age={max_age_s}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")


def _header(scope: Scope, wanted: bytes) -> str:
    return "; ".join(value.decode("latin-1") for name, value in scope.get("headers", []) if name.lower() == wanted)

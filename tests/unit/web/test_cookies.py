"""The dashboard's cookies are read for its pages only: API and webhook requests pass through untouched."""

import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from flexhub.web.cookies import SCOPE_KEY, SESSION, DashboardCookies


@pytest.mark.parametrize(("path", "jar"), [("/orders", {SESSION: "s-1"}), ("/api/v1/orders", None),
                                           ("/webhooks/shopify/x", None)])
def test_only_the_dashboards_requests_get_a_cookie_jar(path: str, jar: dict[str, str] | None) -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    answer = TestClient(DashboardCookies(app)).get(path, headers={"cookie": f"{SESSION}=s-1; other=x"})

    assert answer.status_code == 204 and "set-cookie" not in answer.headers
    assert (seen[0][SCOPE_KEY].sent if SCOPE_KEY in seen[0] else None) == jar

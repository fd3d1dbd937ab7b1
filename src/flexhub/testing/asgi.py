"""Stand-ins for the ASGI app behind a lane (api/order_lane.py, api/webhook_lane.py) in the lanes' tests."""

from starlette.types import Receive, Scope, Send


class Route:
    """Stands for the app behind a lane: counts what reaches it and answers 418."""

    def __init__(self) -> None:
        self.reached = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.reached += 1
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b""})

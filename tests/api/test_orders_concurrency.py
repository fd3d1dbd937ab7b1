"""80 buyers at once for the last 50 units through POST /api/v1/orders, on each backend, as coroutines on one event
loop (the async route awaiting the order writer): exactly 50 sold, 30 refused 409, nothing oversold, the buyers'
orders sharing the writer's transactions; the same 80 again at once are 50 replays and 30 refusals, nothing new."""

import asyncio
from typing import Any

import httpx2

from flexhub.bench.oversell import audit_stock
from flexhub.testing import aio
from flexhub.testing.api_client import ORDERS, Api
from flexhub.testing.builders import line, order_body
from flexhub.testing.snapshots import snapshot

BUYERS, UNITS = 80, 50


async def _all_at_once(api: Api) -> list[tuple[int, dict[str, Any]]]:
    transport = httpx2.ASGITransport(app=api.client.app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://flexhub", headers=api.headers()) as client:
        answers = await asyncio.gather(*(
            client.post(ORDERS, json=order_body(f"FS-{n:03d}", lines=[line(quantity=1)], on_shortage="reject"))
            for n in range(BUYERS)))
    return [(answer.status_code, answer.json()) for answer in answers]


def test_80_buyers_for_the_last_50_units_over_http(api: Api) -> None:
    api.stock_shop(stock=UNITS)

    answers = aio.run(_all_at_once(api))

    sold = [body for status, body in answers if status == 201]
    assert len(sold) == UNITS and len({body["id"] for body in sold}) == UNITS
    assert all(body["status"] == "reserved" for body in sold)
    assert sorted(body["error"]["code"] for status, body in answers if status != 201) == [
        "inventory.insufficient_stock"] * (BUYERS - UNITS)
    assert all(status == 409 for status, _ in answers if status != 201)
    [level] = api.levels()
    assert (level["on_hand"], level["reserved"], level["available"]) == (UNITS, UNITS, 0)
    with api.hub.uow(write=False) as uow:
        stock = audit_stock(uow.connection, api.tenant.admin.tenant_id)
    assert (stock.oversold, stock.orders_reserved) == (0, UNITS)
    assert stock.reserving_transactions < UNITS  # the buyers' orders shared the writer's transactions

    before = snapshot(api.hub)
    again = aio.run(_all_at_once(api))

    assert sorted(body["id"] for status, body in again if status == 200) == sorted(body["id"] for body in sold)
    assert [status for status, _ in again if status != 200] == [409] * (BUYERS - UNITS)
    assert snapshot(api.hub) == before

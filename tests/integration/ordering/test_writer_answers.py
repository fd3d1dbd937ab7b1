"""What the order writer answers a command that asks for its order (`POST /api/v1/orders`, `orders:batch`) is the
order as it is stored: the same, serialized by the route's response model, as `GET /api/v1/orders/{id}` reads
back once the batch committed. PostgreSQL's hot path builds that answer from the rows it wrote instead of reading
them back; SQLite and the lock-first path read them. Multi-line, bundle, presale, unpaid with a hold, an offset
placing time, text with tabs and newlines, a replay in the same batch, a shortage and a cancellation."""

import json
from typing import Any

from pydantic import TypeAdapter

from flexhub.bootstrap import Hub
from flexhub.ordering import queries
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.intake import Imported
from flexhub.ordering.schemas import OrderIn, OrderOut
from flexhub.testing.builders import create_bundle, create_channel, create_shop, create_sku, line, order_body, receive

ORDER_OUT = TypeAdapter(OrderOut)


def command(admin: Any, **fields: Any) -> ImportOrder:
    return ImportOrder(actor=admin, order=OrderIn.model_validate(order_body(**fields)), answer_with_order=True)


def as_answered(order: dict[str, Any]) -> dict[str, Any]:
    """The JSON the route sends; reservations of one line made in one statement have no order between them."""
    answered = json.loads(ORDER_OUT.dump_json(ORDER_OUT.validate_python(order)))
    answered["reservations"].sort(key=lambda r: (r["sku"], r["location"], r["pool"]))
    return answered


def stored(hub: Hub, admin: Any, order_id: Any) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return as_answered(queries.order_view(uow.connection, admin.tenant_id, order_id))


def test_the_answer_is_the_order_as_stored(any_hub: Hub) -> None:
    hub = any_hub
    admin = create_shop(hub, stock=100)
    create_sku(hub, admin, "SOCK-2")
    receive(hub, admin, "SOCK-2", "WH-CENTRAL", 100)
    create_bundle(hub, admin, "GIFT-SET", {"TEE-RED-M": 1, "SOCK-2": 2})
    create_channel(hub, admin, "live", platform="douyin", unpaid_hold_minutes=30, pools=["spot", "presale"])
    create_sku(hub, admin, "RARE")
    receive(hub, admin, "RARE", "WH-CENTRAL", 1)
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10, pool="presale")
    commands = [
        command(admin, external_id="M-1", lines=[line(quantity=2), line("SOCK-2", 3, 1990, discount=500)],
                shipping_fee=1000, order_discount=300, placed_at="2026-12-05T20:15:00+08:00"),
        command(admin, external_id="B-1", lines=[line("GIFT-SET", 1, 25900)], live_room="room 7",
                streamer="小雨", vip=True),
        command(admin, external_id="P-1", channel="live", payment_state="pending",
                buyer={"name": "王\t五", "phone": "13900000000", "note": "门口\n左转 \\ 右"}),
        command(admin, external_id="S-1", channel="live", lines=[line(presale=True)], presale=True),
        command(admin, external_id="M-1", lines=[line(quantity=2), line("SOCK-2", 3, 1990, discount=500)],
                shipping_fee=1000, order_discount=300, placed_at="2026-12-05T20:15:00+08:00"),
        command(admin, external_id="C-1", cancelled=True),
    ]
    short = [command(admin, external_id="R-1", lines=[line("RARE", 2)], on_shortage="backorder")]

    answers = hub.writer.import_many(commands)
    if hub.writer.postgres is not None:
        assert hub.writer.postgres.locked_first == 0  # the hot path answered from its own rows
    answers += hub.writer.import_many(short)

    assert all(isinstance(answer, Imported) and answer.order is not None for answer in answers)
    assert [answer.created for answer in answers] == [True, True, True, True, False, True, True]
    for answer in answers:
        assert as_answered(answer.order) == stored(hub, admin, answer.order_id), answer.order["external_id"]
    by_number = {answer.order["external_id"]: answer.order for answer in answers}
    assert by_number["P-1"]["reservations"][0]["expires_at"] is not None
    assert {r["sku"] for r in by_number["B-1"]["reservations"]} == {"TEE-RED-M", "SOCK-2"}
    assert by_number["R-1"]["status"] == "awaiting_stock"

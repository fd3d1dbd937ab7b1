"""Looking rows up by a pair of columns: exactly the pairs asked for, only within the scope, on both backends."""

import uuid

from sqlalchemy import event, select

from flexhub.db.portable import rows_with_pair
from flexhub.ordering.model import Order
from flexhub.testing.builders import create_channel, create_shop, import_order

COLUMNS = (Order.id, Order.channel_id, Order.external_id)
PAIR = (Order.channel_id, Order.external_id)


def channel_of(hub, tenant_id: uuid.UUID, external_id: str) -> uuid.UUID:
    query = select(Order.channel_id).where(Order.tenant_id == tenant_id, Order.external_id == external_id)
    with hub.uow(write=False) as uow:
        return uow.connection.execute(query).scalars().first()


def test_only_the_pairs_asked_for_within_the_scope_come_back(hub) -> None:
    acme, other = create_shop(hub, "acme"), create_shop(hub, "other")
    create_channel(hub, acme, "live")
    for actor, channel, external_id in [(acme, "web", "A-1"), (acme, "live", "L-1"), (other, "web", "A-1")]:
        import_order(hub, actor, channel=channel, external_id=external_id)
    web, live = channel_of(hub, acme.tenant_id, "A-1"), channel_of(hub, acme.tenant_id, "L-1")
    other_web = channel_of(hub, other.tenant_id, "A-1")
    # (live, A-1) pairs one order's channel with another's id; other_web is another tenant's channel.
    keys = {(web, "A-1"), (live, "A-1"), (other_web, "A-1"), (web, "A-9")}

    with hub.uow(write=False) as uow:
        rows = rows_with_pair(uow.connection, COLUMNS, PAIR, keys, scope=(Order.tenant_id, acme.tenant_id))

    assert [(r.channel_id, r.external_id) for r in rows] == [(web, "A-1")]


def test_a_lookup_is_one_statement(hub) -> None:
    acme = create_shop(hub, "acme")
    import_order(hub, acme, external_id="A-1")
    statements: list[str] = []
    event.listen(hub.engine, "before_cursor_execute", lambda _c, _cur, statement, *_: statements.append(statement))

    with hub.uow(write=False) as uow:
        keys = {(uuid.uuid4(), f"A-{n}") for n in range(50)}
        rows = rows_with_pair(uow.connection, COLUMNS, PAIR, keys, scope=(Order.tenant_id, acme.tenant_id))

    assert rows == []
    assert len([s for s in statements if "FROM orders" in s]) == 1

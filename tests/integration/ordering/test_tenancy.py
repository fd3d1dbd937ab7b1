"""Invariant 5 for orders: a tenant or partner sees and changes only its own."""

import pytest

from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.ordering.errors import ChannelForbidden, UnknownOrder
from flexhub.ordering.queries import list_orders
from flexhub.testing.builders import (
    cancel_order,
    create_channel,
    create_partner,
    create_shop,
    import_order,
    line,
    receive,
)
from flexhub.testing.snapshots import level, order, snapshot


def refused(hub: Hub, error: type, action) -> None:
    before = snapshot(hub)
    with pytest.raises(error):
        action()
    assert snapshot(hub) == before


def found_ids(hub: Hub, actor: Actor, **filters: str) -> list[str]:
    with hub.uow(write=False) as uow:
        return [o["id"] for o in list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id, **filters)]


@pytest.fixture
def acme(any_hub: Hub) -> Actor:
    return create_shop(any_hub, "acme")


@pytest.fixture
def globex(any_hub: Hub) -> Actor:
    """A second tenant with the same SKU code, location and channel code, and stock of its own."""
    return create_shop(any_hub, "globex", stock=3)


def test_another_tenant_cannot_see_or_cancel_an_order(any_hub: Hub, acme: Actor, globex: Actor) -> None:
    imported = import_order(any_hub, acme)
    with pytest.raises(UnknownOrder):
        order(any_hub, globex, imported.order_id)
    assert found_ids(any_hub, globex) == []
    refused(any_hub, UnknownOrder, lambda: cancel_order(any_hub, globex, imported.order_id))
    assert order(any_hub, acme, imported.order_id)["status"] == "reserved"


def test_sku_codes_and_stock_are_per_tenant(any_hub: Hub, acme: Actor, globex: Actor) -> None:
    ours = import_order(any_hub, acme, lines=[line(quantity=5)], on_shortage="reject")
    theirs = import_order(any_hub, globex, lines=[line(quantity=3)], on_shortage="reject")
    assert ours.order_id != theirs.order_id  # the same channel code and external id, two tenants
    assert (level(any_hub, acme, "TEE-RED-M")["reserved"], level(any_hub, globex, "TEE-RED-M")["reserved"]) == (5, 3)
    assert found_ids(any_hub, globex, channel="web", external_id="A-1001") == [str(theirs.order_id)]
    assert found_ids(any_hub, acme) == [str(ours.order_id)]


def test_a_partner_imports_only_into_its_own_channels(any_hub: Hub, acme: Actor) -> None:
    r1 = create_partner(any_hub, acme, "r1")
    create_partner(any_hub, acme, "r2")
    create_channel(any_hub, acme, "r1-shop", partner="r1")
    create_channel(any_hub, acme, "r2-shop", partner="r2")
    refused(any_hub, ChannelForbidden, lambda: import_order(any_hub, r1, channel="r2-shop"))
    refused(any_hub, ChannelForbidden, lambda: import_order(any_hub, r1, channel="web"))  # the brand's own
    assert import_order(any_hub, r1, channel="r1-shop").status == "reserved"


def test_a_partner_sees_and_cancels_only_its_own_orders(any_hub: Hub, acme: Actor) -> None:
    r1, r2 = create_partner(any_hub, acme, "r1"), create_partner(any_hub, acme, "r2")
    create_channel(any_hub, acme, "r1-shop", partner="r1")
    receive(any_hub, acme, "TEE-RED-M", "WH-CENTRAL", 1)
    brand_order = import_order(any_hub, acme)
    r1_order = import_order(any_hub, r1, channel="r1-shop")
    with pytest.raises(UnknownOrder):
        order(any_hub, r2, r1_order.order_id)
    with pytest.raises(UnknownOrder):
        order(any_hub, r1, brand_order.order_id)
    assert found_ids(any_hub, r1) == [str(r1_order.order_id)]
    assert found_ids(any_hub, r2) == []
    refused(any_hub, UnknownOrder, lambda: cancel_order(any_hub, r2, r1_order.order_id))
    refused(any_hub, UnknownOrder, lambda: cancel_order(any_hub, r1, brand_order.order_id))
    assert cancel_order(any_hub, r1, r1_order.order_id).status == "cancelled"

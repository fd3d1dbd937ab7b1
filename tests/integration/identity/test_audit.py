"""Invariant 5: every write is in the audit log, once, with its actor and request id."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from flexhub.bootstrap import Hub
from flexhub.inventory.errors import NegativeStock
from flexhub.testing.builders import (
    adjust,
    cancel_order,
    count,
    create_bundle,
    create_channel,
    create_location,
    create_partner,
    create_sku,
    create_tenant,
    import_order,
    line,
    receive,
    receive_transfer,
    set_safety_stock,
    transfer,
)
from flexhub.testing.snapshots import audit


def test_each_write_leaves_one_audit_row_with_actor_and_request_id(hub: Hub) -> None:
    admin = replace(create_tenant(hub), request_id="req-42")
    partner_id = create_partner(hub, admin, "r1").partner_id
    create_sku(hub, admin, "TEE-RED-M")
    create_bundle(hub, admin, "GIFT-SET", {"TEE-RED-M": 2})
    create_location(hub, admin, "WH-CENTRAL")
    create_location(hub, admin, "STORE-SH", kind="store")
    create_channel(hub, admin, "web")
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 10)
    adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", -1)
    count(hub, admin, "TEE-RED-M", "WH-CENTRAL", 8)
    set_safety_stock(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1)
    receive_transfer(hub, admin, transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 2}))
    imported = import_order(hub, admin, lines=[line(quantity=2)])
    cancel_order(hub, admin, imported.order_id)

    rows = audit(hub)
    assert [r.action for r in rows] == [
        "partner.create", "sku.create", "bundle.create", "location.create", "location.create", "channel.create",
        "stock.receive", "stock.adjust", "stock.count", "stock.safety", "transfer.create", "transfer.receive",
        "order.import", "order.cancel",
    ]
    assert {(r.tenant_id, r.actor, r.role, r.request_id) for r in rows} == {
        (admin.tenant_id, admin.name, "admin", "req-42")}
    assert rows[0].entity_id == str(partner_id)
    assert rows[-2].entity_id == rows[-1].entity_id == str(imported.order_id)
    assert rows[-2].detail == {"channel": "web", "external_id": "A-1001", "status": "reserved"}


def test_a_partners_write_is_audited_as_the_partner(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin)
    create_location(hub, admin)
    reseller = replace(create_partner(hub, admin, "r1"), request_id="req-7")
    create_channel(hub, admin, "r1-shop", partner="r1")
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 5)
    import_order(hub, reseller, channel="r1-shop")
    last = audit(hub)[-1]
    assert (last.action, last.actor, last.role, last.partner_id, last.request_id) == (
        "order.import", reseller.name, "partner", reseller.partner_id, "req-7")


def test_replays_and_refusals_leave_no_audit_row(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin)
    create_location(hub, admin)
    create_channel(hub, admin)
    receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 5)
    import_order(hub, admin)
    rows = len(audit(hub))
    import_order(hub, admin)  # a replay
    with pytest.raises(NegativeStock):
        adjust(hub, admin, "TEE-RED-M", "WH-CENTRAL", -50)
    assert len(audit(hub)) == rows


def test_orders_imported_together_are_audited_each_with_its_own_actor(combined_hub: Hub) -> None:
    admin = create_tenant(combined_hub)
    create_sku(combined_hub, admin)
    create_location(combined_hub, admin)
    create_channel(combined_hub, admin)
    receive(combined_hub, admin, "TEE-RED-M", "WH-CENTRAL", 50)
    buyers = [replace(admin, name=f"buyer-{n}", request_id=f"req-{n}") for n in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(lambda b: import_order(combined_hub, b, external_id=b.request_id, lines=[line()]), buyers))
    imports = [r for r in audit(combined_hub) if r.action == "order.import"]
    assert sorted((r.actor, r.request_id, r.detail["external_id"]) for r in imports) == sorted(
        (b.name, b.request_id, b.request_id) for b in buyers)

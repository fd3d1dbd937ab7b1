"""Creating SKUs and bundles: codes unique per tenant, bundles only of known plain SKUs."""

import pytest

from flexhub.bootstrap import Hub
from flexhub.catalog.commands import UpdateSku
from flexhub.catalog.errors import InvalidBundle, SkuExists, UnknownSku
from flexhub.catalog.queries import sku_view
from flexhub.testing.builders import create_bundle, create_sku, create_tenant
from flexhub.testing.snapshots import audit, snapshot


def view(hub: Hub, tenant_id, code: str) -> dict:
    with hub.uow(write=False) as uow:
        return sku_view(uow.connection, tenant_id, code)


def test_a_sku_is_created_and_audited(hub: Hub) -> None:
    admin = create_tenant(hub)
    created = create_sku(hub, admin, "TEE-RED-M", spu="TEE", barcode="6901234567890", weight_g=180)
    found = view(hub, admin.tenant_id, "TEE-RED-M")
    assert (found["id"], found["spu"], found["barcode"], found["weight_g"]) == (
        str(created.id), "TEE", "6901234567890", 180)
    assert [(a.action, a.entity_id) for a in audit(hub)] == [("sku.create", str(created.id))]


def test_a_sku_code_is_unique_within_a_tenant(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M")
    before = snapshot(hub)
    with pytest.raises(SkuExists):
        create_sku(hub, admin, "TEE-RED-M", name="another red tee")
    assert snapshot(hub) == before
    assert view(hub, admin.tenant_id, "TEE-RED-M")["name"] == "TEE-RED-M"


def test_another_tenant_may_use_the_same_sku_code(hub: Hub) -> None:
    acme, globex = create_tenant(hub, "acme"), create_tenant(hub, "globex")
    ours = create_sku(hub, acme, "TEE-RED-M")
    theirs = create_sku(hub, globex, "TEE-RED-M")
    assert ours.id != theirs.id
    assert view(hub, globex.tenant_id, "TEE-RED-M")["id"] == str(theirs.id)


def test_a_sku_of_another_tenant_is_unknown(hub: Hub) -> None:
    acme, globex = create_tenant(hub, "acme"), create_tenant(hub, "globex")
    create_sku(hub, acme, "TEE-RED-M")
    with pytest.raises(UnknownSku):
        view(hub, globex.tenant_id, "TEE-RED-M")


def test_a_bundle_lists_its_components(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M")
    create_sku(hub, admin, "CAP-LOGO")
    create_bundle(hub, admin, "GIFT-SET", {"TEE-RED-M": 1, "CAP-LOGO": 2})
    found = view(hub, admin.tenant_id, "GIFT-SET")
    assert found["is_bundle"]
    assert sorted((c["sku"], c["quantity"]) for c in found["components"]) == [("CAP-LOGO", 2), ("TEE-RED-M", 1)]


def test_a_bundle_of_unknown_components_is_refused_and_nothing_is_written(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M")
    before = snapshot(hub)
    with pytest.raises(UnknownSku) as refused:
        create_bundle(hub, admin, "GIFT-SET", {"TEE-RED-M": 1, "MUG-WHITE": 1})
    assert refused.value.details == {"skus": ["MUG-WHITE"]}
    assert snapshot(hub) == before
    with pytest.raises(UnknownSku):
        view(hub, admin.tenant_id, "GIFT-SET")


def test_a_bundle_cannot_use_another_tenants_sku(hub: Hub) -> None:
    acme, globex = create_tenant(hub, "acme"), create_tenant(hub, "globex")
    create_sku(hub, globex, "MUG-WHITE")
    before = snapshot(hub)
    with pytest.raises(UnknownSku):
        create_bundle(hub, acme, "GIFT-SET", {"MUG-WHITE": 1})
    assert snapshot(hub) == before


@pytest.mark.parametrize("components", [{}, {"TEE-RED-M": 0}, {"TEE-RED-M": -1}])
def test_a_bundle_needs_components_with_positive_quantities(hub: Hub, components: dict) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M")
    before = snapshot(hub)
    with pytest.raises(InvalidBundle):
        create_bundle(hub, admin, "GIFT-SET", components)
    assert snapshot(hub) == before


def test_a_bundle_of_bundles_is_refused(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M")
    create_bundle(hub, admin, "GIFT-SET", {"TEE-RED-M": 1})
    before = snapshot(hub)
    with pytest.raises(InvalidBundle):
        create_bundle(hub, admin, "MEGA-SET", {"GIFT-SET": 2})
    assert snapshot(hub) == before


def test_an_update_writes_and_audits_only_what_moved(hub: Hub) -> None:
    admin = create_tenant(hub)
    created = create_sku(hub, admin, "TEE-RED-M", name="Tee", attributes={"season": "ss27"})

    updated = hub.handle(UpdateSku(actor=admin, code="TEE-RED-M", name="Tee, red, M", barcode="6901",
                                   attributes={"standard_cost": 2500}))
    before = snapshot(hub)
    unchanged = hub.handle(UpdateSku(actor=admin, code="TEE-RED-M", name="Tee, red, M"))

    found = view(hub, admin.tenant_id, "TEE-RED-M")
    assert (updated.changed, unchanged.changed) == (["attributes", "barcode", "name"], [])
    assert (found["name"], found["barcode"], found["attributes"]) == \
        ("Tee, red, M", "6901", {"season": "ss27", "standard_cost": 2500})
    assert snapshot(hub) == before
    (entry,) = [a for a in audit(hub) if a.action == "sku.update"]
    assert (entry.entity_id, entry.detail["before"]["name"], entry.detail["after"]["name"]) == \
        (str(created.id), "Tee", "Tee, red, M")


def test_updating_an_unknown_sku_is_refused_and_changes_nothing(hub: Hub) -> None:
    admin = create_tenant(hub)
    before = snapshot(hub)
    with pytest.raises(UnknownSku):
        hub.handle(UpdateSku(actor=admin, code="NOPE", name="x"))
    assert snapshot(hub) == before

"""/api/v1/catalog: SKUs and bundles."""

from flexhub.testing.api_client import BUNDLES, SKUS, Api, assert_error
from flexhub.testing.snapshots import snapshot


def test_a_sku_created_from_the_minimal_body_reads_back(api: Api) -> None:
    created = api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee, red, M"})

    read = api.get(f"{SKUS}/TEE-RED-M", role="viewer")

    assert read == created
    assert read["code"] == "TEE-RED-M" and read["name"] == "Tee, red, M"
    assert read["is_bundle"] is False and read["components"] == []


def test_a_bundle_lists_its_components(api: Api) -> None:
    api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee"})
    api.post(SKUS, {"code": "CAP-BLK", "name": "Cap"})

    bundle = api.post(BUNDLES, {"code": "SET-1", "name": "Tee and cap", "components": [
        {"sku": "TEE-RED-M", "quantity": 2}, {"sku": "CAP-BLK", "quantity": 1}]})

    assert bundle["is_bundle"] is True
    assert sorted((c["sku"], c["quantity"]) for c in bundle["components"]) == [("CAP-BLK", 1), ("TEE-RED-M", 2)]
    assert api.get(f"{SKUS}/SET-1") == bundle


def test_a_second_sku_with_the_same_code_is_a_conflict_and_changes_nothing(api: Api) -> None:
    api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee"})
    before = snapshot(api.hub)

    response = api.client.post(SKUS, json={"code": "TEE-RED-M", "name": "Other"}, headers=api.headers())

    assert_error(response, 409, "catalog.sku_exists")
    assert snapshot(api.hub) == before
    assert api.get(f"{SKUS}/TEE-RED-M")["name"] == "Tee"


def test_a_bundle_of_an_unknown_sku_is_refused_and_changes_nothing(api: Api) -> None:
    before = snapshot(api.hub)

    response = api.client.post(BUNDLES, json={"code": "SET-1", "name": "Set", "components": [
        {"sku": "NOPE", "quantity": 1}]}, headers=api.headers())

    assert_error(response, 404, "catalog.unknown_sku")
    assert snapshot(api.hub) == before
    assert_error(api.client.get(f"{SKUS}/SET-1", headers=api.headers()), 404, "catalog.unknown_sku")


def test_an_unknown_sku_is_404(api: Api) -> None:
    assert_error(api.client.get(f"{SKUS}/NOPE", headers=api.headers()), 404, "catalog.unknown_sku")

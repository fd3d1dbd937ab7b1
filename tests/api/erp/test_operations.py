"""The ERP routes beyond connecting, on SQLite and PostgreSQL: an operator syncs now, sees the documents, maps an
unmapped SKU and retries what waited for it; a viewer may read but not sync, map or retry (403, nothing changed)."""

from collections.abc import Iterator

import pytest

from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.builders import line, order_body
from flexhub.testing.erp import behind_sandbox, documents, erp_rows, odoo_body
from flexhub.testing.snapshots import snapshot

ODOO = "/api/v1/erp/connections/odoo"


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        api.stock_shop(stock=5)
        api.hub.relay.run_once()  # the shop's opening stock, published before any ERP is connected
        api.odoo = behind_sandbox(api.hub, OdooSandbox())  # type: ignore[attr-defined]
        api.odoo.add("product.product", {"name": "Tee", "default_code": "TEE-RED-M-OLD"})  # type: ignore[attr-defined]
        api.post("/api/v1/erp/connections", odoo_body())
        api.post("/api/v1/orders", order_body(external_id="A-1", lines=[line(quantity=2)]))
        api.hub.relay.run_once()
        yield api


def test_an_operator_syncs_maps_the_unmapped_sku_and_the_order_goes_out(api: Api) -> None:
    synced = api.post(f"{ODOO}/sync", {}, role="operator", status=200)

    assert (synced["sent"], synced["failed"], synced["errors"]) == (0, 1, [])
    assert synced["read"] == {"products": 1, "suppliers": 0, "purchase_orders": 0}
    (waiting,) = api.get(f"{ODOO}/documents", role="viewer")["documents"]
    assert waiting["error"] == "unmapped: SKU TEE-RED-M has no item in the ERP: map it, or create it there"
    product = api.odoo.records("product.product")[0]["id"]  # type: ignore[attr-defined]
    listed = api.get(f"{ODOO}/mappings", role="viewer")["mappings"]
    # Odoo's product came in under its own code; the order's SKU waits in the unmapped queue
    assert sorted((m["hub_code"], m["erp_ref"], m["mapped"]) for m in listed) == \
        [("TEE-RED-M", None, False), ("TEE-RED-M-OLD", str(product), True)]

    mapped = api.post(f"{ODOO}/mappings", {"kind": "sku", "hub_code": "TEE-RED-M", "erp_ref": str(product)},
                      role="operator", status=200)
    again = api.post(f"{ODOO}/sync", {}, role="operator", status=200)

    assert {"kind": "sku", "hub_code": "TEE-RED-M", "erp_ref": str(product), "erp_name": None, "mapped": True} \
        in mapped["mappings"]
    assert again["sent"] == 1
    (sent,) = api.get(f"{ODOO}/documents", role="viewer")["documents"]
    assert (sent["state"], sent["error"]) == ("sent", None)
    assert api.get(f"{ODOO}/status", role="viewer")["backlog"] == 0
    assert api.get(f"{ODOO}/conflicts", role="viewer") == {"conflicts": []}


def test_a_viewer_reads_but_cannot_sync_map_or_retry_and_nothing_changes(api: Api) -> None:
    (document,) = documents(api.hub)
    before = (snapshot(api.hub), erp_rows(api.hub), [(d.state, d.attempts) for d in documents(api.hub)],
              len(api.odoo.calls))  # type: ignore[attr-defined]

    refusals = [
        api.client.post(f"{ODOO}/sync", json={}, headers=api.headers("viewer")),
        api.client.post(f"{ODOO}/mappings", json={"kind": "sku", "hub_code": "TEE-RED-M", "erp_ref": "1"},
                        headers=api.headers("viewer")),
        api.client.post(f"{ODOO}/documents/{document.id}/retry", headers=api.headers("viewer")),
    ]

    for refused in refusals:
        assert_error(refused, 403, "auth.forbidden")
    assert (snapshot(api.hub), erp_rows(api.hub), [(d.state, d.attempts) for d in documents(api.hub)],
            len(api.odoo.calls)) == before  # type: ignore[attr-defined]

"""Each write through the API leaves an audit row naming the key's actor and the request's id."""

from sqlalchemy import select

from flexhub.identity.model import AuditEntry
from flexhub.testing.api_client import (
    ADJUSTMENTS,
    BUNDLES,
    CHANNELS,
    LOCATIONS,
    ORDERS,
    SKUS,
    Api,
    assert_error,
)
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot


def audit_rows(api: Api) -> list[tuple[str, str, str | None]]:
    with api.hub.uow(write=False) as uow:
        rows = uow.connection.execute(select(AuditEntry.action, AuditEntry.actor, AuditEntry.request_id)
                                      .order_by(AuditEntry.at, AuditEntry.id)).all()
    return [tuple(row) for row in rows]


def write(api: Api, path: str, body: dict, role: str, request_id: str) -> dict:
    response = api.client.post(path, json=body, headers=api.headers(role, **{"X-Request-ID": request_id}))
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_every_write_is_audited_with_the_actor_and_the_request_id(api: Api) -> None:
    writes = [
        (SKUS, {"code": "TEE-RED-M", "name": "Tee"}, "operator", "sku.create"),
        (BUNDLES, {"code": "TEE-PAIR", "name": "Two tees", "components": [{"sku": "TEE-RED-M", "quantity": 2}]},
         "admin", "bundle.create"),
        (LOCATIONS, {"code": "WH-CENTRAL", "kind": "central"}, "operator", "location.create"),
        (ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": 5, "reason": "delivery"},
         "operator", "stock.adjust"),
        (CHANNELS, {"code": "web", "platform": "generic"}, "admin", "channel.create"),
        (ORDERS, order_body(), "operator", "order.import"),
    ]
    for number, (path, body, role, action) in enumerate(writes):
        before = audit_rows(api)

        write(api, path, body, role, request_id=f"req-{number}")

        assert audit_rows(api)[len(before):] == [(action, api.tenant.actor_name(role), f"req-{number}")]


def test_a_cancel_is_audited_with_the_actor_and_the_request_id(api: Api) -> None:
    api.stock_shop(stock=5)
    order = api.post(ORDERS, order_body())

    write(api, f"{ORDERS}/{order['id']}/cancel", {"reason": "fraud"}, "operator", request_id="req-cancel")

    assert audit_rows(api)[-1] == ("order.cancel", api.tenant.actor_name("operator"), "req-cancel")


def test_a_partner_import_is_audited_under_the_partner_key(api: Api) -> None:
    api.stock_shop(stock=5, channel="resale", partner=api.tenant.partner)

    write(api, ORDERS, order_body(channel="resale"), "partner", request_id="req-partner")

    assert audit_rows(api)[-1] == ("order.import", api.tenant.actor_name("partner"), "req-partner")


def test_without_a_request_id_header_the_write_gets_one(api: Api) -> None:
    api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee"})

    action, actor, request_id = audit_rows(api)[-1]

    assert (action, actor) == ("sku.create", api.tenant.actor_name("admin"))
    assert request_id


def test_the_audits_request_id_is_the_one_the_answer_and_log_carry(api: Api) -> None:
    api.stock_shop(stock=5)
    api.client.get(ORDERS, headers=api.headers("operator"))  # the key cached: the order lane answers the order
    made = [api.client.post(SKUS, json={"code": "TEE-BLUE-M", "name": "Tee"}, headers=api.headers()),
            api.client.post(ORDERS, json=order_body(), headers=api.headers("operator"))]

    assert [response.status_code for response in made] == [201, 201]
    assert [row[2] for row in audit_rows(api)[-2:]] == [response.headers["x-request-id"] for response in made]


def test_a_long_request_id_is_kept_cut_to_the_audit_logs_width(api: Api) -> None:
    response = api.client.post(SKUS, json={"code": "TEE-RED-M", "name": "Tee"},
                               headers=api.headers(**{"X-Request-ID": "r" * 200}))

    assert audit_rows(api)[-1][2] == response.headers["x-request-id"] == "r" * 80


def test_a_refused_write_leaves_no_audit_row(api: Api) -> None:
    api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee"})
    before = snapshot(api.hub)

    response = api.client.post(SKUS, json={"code": "TEE-RED-M", "name": "Tee"},
                               headers=api.headers(**{"X-Request-ID": "req-dup"}))

    assert_error(response, 409, "catalog.sku_exists")
    assert snapshot(api.hub) == before
    assert "req-dup" not in [request_id for *_, request_id in audit_rows(api)]

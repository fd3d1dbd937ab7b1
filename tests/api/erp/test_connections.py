"""POST /api/v1/erp/connections and GET …/{code}/status, on SQLite and PostgreSQL: credentials sealed and never
answered, private or local addresses refused unless the tenant's admin allows them, every refusal writing nothing;
a connection's status shows its last sync, backlog and errors."""

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from flexhub.erp.model import ErpConnection
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.erp import ODOO_LOGIN, erp_rows, odoo_body
from flexhub.testing.snapshots import snapshot

CONNECTIONS = "/api/v1/erp/connections"
ERPNEXT = {"code": "next", "kind": "erpnext", "url": "https://erp.brand.example", "api_key": "k-1",
           "api_secret": "s-very-secret"}
KINGDEE = {"code": "kd", "kind": "kingdee", "url": "https://kingdee.brand.example/k3cloud", "acct_id": "62f0a1",
           "username": "hub", "app_id": "app-1", "app_secret": "kd-app-secret", "lcid": "2052"}


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        yield api


def nothing_changed(api: Api) -> tuple:
    return snapshot(api.hub), erp_rows(api.hub)


@pytest.mark.parametrize("body", [odoo_body(), ERPNEXT, KINGDEE], ids=["odoo", "erpnext", "kingdee"])
def test_a_connection_is_201_and_its_credentials_are_sealed_and_never_answered(api: Api, body: dict) -> None:
    created = api.post(CONNECTIONS, body)

    secrets = [v for k, v in body.items() if k not in ("code", "kind", "url", "lcid")]
    assert (created["code"], created["kind"], created["allow_private"]) == (body["code"], body["kind"], False)
    answers = json.dumps([created, api.get(CONNECTIONS), api.get(f"{CONNECTIONS}/{body['code']}/status")])
    assert not [secret for secret in secrets if secret in answers]
    with api.hub.uow(write=False) as uow:
        sealed = uow.connection.execute(select(ErpConnection.credentials)).scalar_one()
    assert not [secret for secret in secrets if secret in sealed]
    assert set(api.hub.vault.open(sealed)) == set(created["credential_names"])
    assert api.hub.vault.open(sealed) == {k: v for k, v in body.items() if k in created["credential_names"]}


def test_a_new_connections_status_has_no_sync_no_backlog_and_no_errors(api: Api) -> None:
    api.post(CONNECTIONS, odoo_body())

    status = api.get(f"{CONNECTIONS}/odoo/status")

    assert (status["last_sync_at"], status["backlog"], status["errors"]) == (None, 0, [])


@pytest.mark.parametrize("url", ["http://127.0.0.1:8069", "http://10.0.0.5:8069", "http://169.254.169.254/",
                                 "http://[::1]:8069"])
def test_a_private_or_local_url_is_422_unless_allowed_and_nothing_is_written(api: Api, url: str) -> None:
    before = nothing_changed(api)

    refused = api.client.post(CONNECTIONS, json=odoo_body(url=url), headers=api.headers("admin"))

    assert_error(refused, 422, "integrations.unsafe_target")
    assert nothing_changed(api) == before
    allowed = api.post(CONNECTIONS, odoo_body(url=url, allow_private=True))
    assert allowed["allow_private"] is True


@pytest.mark.parametrize("role", ["operator", "viewer", "partner"])
def test_only_the_tenants_admin_connects_an_erp_and_a_refusal_writes_nothing(api: Api, role: str) -> None:
    before = nothing_changed(api)

    refused = api.client.post(CONNECTIONS, json=odoo_body(url="http://10.0.0.5", allow_private=True),
                              headers=api.headers(role))

    assert_error(refused, 403, "auth.forbidden")
    assert nothing_changed(api) == before


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**odoo_body(), "api_key": None}, 422, "erp.missing_credentials"),
    ({**odoo_body(), "database": "  "}, 422, "erp.missing_credentials"),
    ({**ERPNEXT, "api_secret": None}, 422, "erp.missing_credentials"),
    ({**odoo_body(), "kind": "sap"}, 422, "request.invalid"),
    ({**odoo_body(), "url": "ftp://odoo.brand.example"}, 422, "request.invalid"),
    ({**odoo_body(), "password": "x"}, 422, "request.invalid"),
])
def test_a_bad_connection_is_refused_with_its_code_and_nothing_is_written(api: Api, body: dict, status: int,
                                                                          code: str) -> None:
    before = nothing_changed(api)

    refused = api.client.post(CONNECTIONS, json=body, headers=api.headers("admin"))

    assert_error(refused, status, code)
    assert nothing_changed(api) == before


def test_a_code_taken_is_409_and_the_first_connection_is_kept(api: Api) -> None:
    api.post(CONNECTIONS, odoo_body())
    before = nothing_changed(api)

    again = api.client.post(CONNECTIONS, json={**odoo_body(), "api_key": "other"}, headers=api.headers("admin"))

    assert_error(again, 409, "erp.connection_exists")
    assert nothing_changed(api) == before
    with api.hub.uow(write=False) as uow:
        sealed = uow.connection.execute(select(ErpConnection.credentials)).scalar_one()
    assert api.hub.vault.open(sealed)["api_key"] == ODOO_LOGIN["api_key"]


def test_another_tenants_connection_is_404_and_a_partner_sees_no_status(api: Api) -> None:
    api.post(CONNECTIONS, odoo_body())
    other = api.add_tenant("globex")

    assert_error(api.client.get(f"{CONNECTIONS}/odoo/status", headers=other.headers("admin")), 404,
                 "erp.unknown_connection")
    assert_error(api.client.get(f"{CONNECTIONS}/odoo/status", headers=api.headers("partner")), 403,
                 "auth.forbidden")
    assert api.client.get(CONNECTIONS, headers=other.headers("admin")).json() == {"connections": []}

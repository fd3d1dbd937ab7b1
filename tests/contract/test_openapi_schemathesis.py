"""The app keeps its own OpenAPI contract: for every operation, generated requests (valid and invalid)
never meet a server error, and every answer has a documented status, content type and body."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from flexhub.api.app import create_app
from flexhub.bootstrap import bootstrap
from flexhub.settings import Settings
from flexhub.testing import database
from flexhub.testing.api_client import Api, api_over

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def shop_api(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One stocked shop on SQLite for every operation, so generated requests also meet SKUs, locations
    and channels that exist (and the run stays short: one hub, not one per operation)."""
    url = database.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("contract") / "flexhub.db")
    with api_over(url) as api:
        api.stock_shop(stock=50)
        yield api


def openapi_document() -> dict:
    """The app's OpenAPI, which does not depend on a database: a hub that never connects serves."""
    hub = bootstrap(Settings(database_url="sqlite://"), combine=False)
    try:
        return create_app(hub).openapi()
    finally:
        hub.close()


# One test per operation, sent at each test's own app (`app=`), not at the one that built the document.
schema = schemathesis.openapi.from_dict(openapi_document())


@settings(max_examples=5, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_every_operation_keeps_the_contract(case: schemathesis.Case, shop_api: Api) -> None:
    case.call_and_validate(app=shop_api.client.app, headers=shop_api.headers("admin"), checks=CHECKS)

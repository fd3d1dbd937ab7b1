"""The app keeps its own OpenAPI contract: for every operation, generated requests (valid and invalid)
never meet a server error, and every answer has a documented status, content type and body."""

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from flexhub.testing.api_client import Api, api_over

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def shop_api(database_url: str) -> Iterator[Api]:
    """A stocked shop, so that generated requests also meet SKUs, locations and channels that exist."""
    with api_over(database_url) as api:
        api.stock_shop(stock=50)
        yield api


@pytest.fixture
def openapi(shop_api: Api) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", shop_api.client.app)


schema = schemathesis.pytest.from_fixture("openapi")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(max_examples=5, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_every_operation_keeps_the_contract(case: schemathesis.Case, shop_api: Api) -> None:
    case.call_and_validate(headers=shop_api.headers("admin"), checks=CHECKS)

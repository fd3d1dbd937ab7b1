"""The stock-request contract can be seen to fail: an adapter that drops a listing, sends one twice or
overfills a call is refused by `check_stock_requests`, as the platforms' own tests rely on; and one whose declared
capabilities and methods disagree is refused by `check_protocol`."""

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest

from flexhub.channels import registry
from flexhub.channels.adapter import StockPush
from flexhub.channels.platforms.douyin import DouyinAdapter
from flexhub.channels.platforms.generic import GenericAdapter
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.testing import adapter_contract

CREDENTIALS = {"webhook_secret": "s3cret", "base_url": "https://shop.example.com/flexhub"}


class DropsTheLast(GenericAdapter):
    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return super().stock_requests(credentials, pushes[:-1])


class SendsOneTwice(GenericAdapter):
    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return super().stock_requests(credentials, pushes) + super().stock_requests(credentials, pushes[3:4])


class IgnoresItsBatch(GenericAdapter):
    """Claims 10 listings a call, sends them all in one."""

    rate_limit = replace(GenericAdapter.rate_limit, stock_batch=10)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return [self._signed(credentials, "/stock", {"items": [{"sku": p.external_sku, "quantity": p.quantity}
                                                                for p in pushes]})]


class SplitsWhereTheItemIdIsAll(DouyinAdapter):
    """One listing a call as Douyin allows, but the last call names no listing (its item id lost)."""

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        kept = super().stock_requests(credentials, pushes[:-1])
        return [*kept, self.call(credentials, "sku.syncStock", {"sku_id": "0", "stock_num": 1})]


class PushesOverPlainHttp(GenericAdapter):
    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return [replace(request, url=request.url.replace("https://", "ftp://"))
                for request in super().stock_requests(credentials, pushes)]


class DeletesStock(GenericAdapter):
    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return [replace(request, method="DELETE") for request in super().stock_requests(credentials, pushes)]


def test_the_real_adapters_pass() -> None:
    adapter_contract.check_stock_requests(GenericAdapter(), CREDENTIALS)
    adapter_contract.check_stock_requests(GenericAdapter(), CREDENTIALS, listings=3)


@pytest.mark.parametrize(("adapter", "message"), [
    (DropsTheLast(), "in 0 requests"),
    (SendsOneTwice(), "SKU-3 is in 2 requests"),
    (IgnoresItsBatch(), "more than 10"),
    (PushesOverPlainHttp(), "ftp://"),
    (DeletesStock(), "DELETE"),
])
def test_a_faulty_generic_adapter_fails_the_contract(adapter: GenericAdapter, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        adapter_contract.check_stock_requests(adapter, CREDENTIALS)


def test_a_one_listing_platform_that_loses_a_listing_fails_the_contract() -> None:
    credentials = {"app_key": "k", "app_secret": "s", "access_token": "t", "shop_id": "1"}
    adapter_contract.check_stock_requests(DouyinAdapter(), credentials)
    with pytest.raises(AssertionError, match="in 0 requests"):
        adapter_contract.check_stock_requests(SplitsWhereTheItemIdIsAll(), credentials)


def test_a_batch_that_is_respected_passes_at_its_edge() -> None:
    class TenAtATime(GenericAdapter):
        rate_limit = RateLimit(per_second=50, burst=100, stock_batch=10)

    adapter_contract.check_stock_requests(TenAtATime(), CREDENTIALS, listings=20)
    adapter_contract.check_stock_requests(TenAtATime(), CREDENTIALS, listings=21)


class DeclaresDetailsItLacks(GenericAdapter):
    capabilities = frozenset({"return_requests", "order_details"})


class FetchesDetailsUndeclared(GenericAdapter):
    def detail_requests(self, credentials: Mapping[str, str], external_ids: Sequence[str]) -> list[ApiRequest]:
        return []

    def parse_details(self, payload: Mapping[str, object]) -> list[Mapping[str, object]]:
        return []


class DeclaresAnUnknownCapability(GenericAdapter):
    capabilities = frozenset({"return_requests", "teleports"})


class NoncesWithoutTime(DouyinAdapter):
    """Signs a nonce but no time: a nonce is kept only as long as its push would be fresh."""

    capabilities = DouyinAdapter.capabilities | {"nonced_pushes"}

    def signed_nonce(self, headers: Mapping[str, str]) -> str | None:
        return headers.get("nonce")


def test_every_platform_declares_what_it_implements() -> None:
    for adapter in registry.adapters().values():
        adapter_contract.check_protocol(adapter)


@pytest.mark.parametrize(("adapter", "message"), [
    (DeclaresDetailsItLacks(), "declares order_details but lacks what OrderDetails has"),
    (FetchesDetailsUndeclared(), "implements OrderDetails but does not declare order_details"),
    (DeclaresAnUnknownCapability(), "unknown capabilities: \\['teleports'\\]"),
    (NoncesWithoutTime(), "declares nonced_pushes but lacks what NoncedPushes has"),
])
def test_a_capability_declared_and_implemented_apart_fails_the_contract(adapter: GenericAdapter,
                                                                        message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        adapter_contract.check_protocol(adapter)

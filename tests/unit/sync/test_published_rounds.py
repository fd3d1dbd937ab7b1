"""A channel's round as its platform's published limits give it (sync.published_rounds.published_round_s): the calls its
own adapter builds for one figure to each listing, over the documented rate at the pusher's pace (0.9); which SKUs the
planner counts as moving (sales_pace.SalesPace.moving); and how long the rounds reckoned are kept (PublishedRounds)."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet

from flexhub.bench.sync_floor import sale_round_s
from flexhub.channels import ListingRef
from flexhub.integrations.vault import Vault
from flexhub.sandbox.market import Market
from flexhub.sync import published_rounds
from flexhub.sync.allocation import HoldBack
from flexhub.sync.published_rounds import PublishedRounds, published_round_s
from flexhub.sync.sales_pace import SalesPace

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TENANT = uuid.uuid4()


def store(platform: str, listings: int):  # type: ignore[no-untyped-def]
    """A sandbox store of `platform` with `listings` SKUs (ids as the platform lays them out) and its credentials."""
    market = Market(base_url="http://sandbox.test")
    opened = market.open_store(platform, f"{platform}-1", [f"SKU-{n:04d}" for n in range(listings)])
    return dict(opened.credentials), [ListingRef(x.sku, x.item_id, x.location_id) for x in opened.listings.values()]


def test_amazon_takes_a_sku_a_call_at_five_a_second() -> None:
    credentials, refs = store("amazon", 200)
    assert published_round_s("amazon", credentials, refs) == pytest.approx(200 / 4.5)  # 44.4 s
    assert published_round_s("amazon", credentials, refs[:9]) == pytest.approx(2.0)


def test_taobao_takes_an_items_skus_a_call() -> None:
    credentials, refs = store("taobao", 200)
    items = {ref.external_item_id.partition(":")[0] for ref in refs}  # type: ignore[union-attr]
    assert len(items) == 50
    assert published_round_s("taobao", credentials, refs) == pytest.approx(50 / 9)  # 5.6 s at 10 a second
    one_item = [ref for ref in refs if ref.external_item_id.startswith(min(items) + ":")]  # type: ignore[union-attr]
    assert len(one_item) == 4 and published_round_s("taobao", credentials, one_item) == pytest.approx(1 / 9)
    # Four SKUs of four items: four calls, where four of one item were one.
    spread = [next(ref for ref in refs if ref.external_item_id.startswith(item + ":"))  # type: ignore[union-attr]
              for item in sorted(items)[:4]]
    assert published_round_s("taobao", credentials, spread) == pytest.approx(4 / 9)


def test_shopify_takes_250_a_call() -> None:
    credentials, refs = store("shopify", 251)
    assert published_round_s("shopify", credentials, refs[:250]) == pytest.approx(1 / 9)  # 0.11 s
    assert published_round_s("shopify", credentials, refs) == pytest.approx(2 / 9)


def test_nothing_moving_takes_no_time_and_the_bench_reckons_the_same_round() -> None:
    credentials, refs = store("wechat", 200)
    assert published_round_s("wechat", credentials, []) == 0.0
    assert sale_round_s("wechat", credentials, refs) == published_round_s("wechat", credentials, refs)
    assert sale_round_s("wechat", credentials, refs) == pytest.approx(200 / 9)  # a SKU a call: 22.2 s


def test_a_sku_is_moving_from_its_first_fall_until_the_sales_window_has_passed() -> None:
    pace = SalesPace(HoldBack(sales_window_s=30.0))
    selling, restocked, other_tenant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    pace.pace((TENANT, selling, ("spot",)), 22, now=T0)
    pace.pace((TENANT, restocked, ("spot",)), 5, now=T0)
    pace.pace((other_tenant, selling, ("spot",)), 22, now=T0)
    assert pace.moving(TENANT, T0) == set()  # a first figure is no sale

    pace.pace((TENANT, selling, ("spot",)), 21, now=T0 + timedelta(seconds=1))
    pace.pace((TENANT, restocked, ("spot",)), 50, now=T0 + timedelta(seconds=1))  # a receipt is no sale either
    assert pace.moving(TENANT, T0 + timedelta(seconds=1)) == {selling}
    assert pace.moving(TENANT, T0 + timedelta(seconds=31)) == {selling}
    assert pace.moving(TENANT, T0 + timedelta(seconds=31.1)) == set()
    assert pace.moving(other_tenant, T0 + timedelta(seconds=1)) == set()


def test_the_rounds_are_kept_until_fresh_s_or_sooner_once_skus_start_moving(monkeypatch) -> None:
    """Reckoned again (a read of the moving listings and their calls built) after fresh_s, or after GROWN_S when SKUs
    it did not count start moving; a flash sale's many turns a second reuse what is kept."""
    credentials, refs = store("amazon", 3)
    vault, channel = Vault(Fernet.generate_key()), uuid.uuid4()
    sealed, skus = vault.seal(credentials), [uuid.uuid4() for _ in refs]
    reads: list[set[uuid.UUID]] = []

    def moving_listings(connection, tenant_id, sku_ids):  # type: ignore[no-untyped-def]
        reads.append(set(sku_ids))
        return [SimpleNamespace(channel_id=channel, platform="amazon", credentials=sealed,
                                external_sku=ref.external_sku, external_item_id=ref.external_item_id,
                                external_location_id=ref.location_id)
                for sku, ref in zip(skus, refs, strict=True) if sku in sku_ids]

    now = [1000.0]
    monkeypatch.setattr(published_rounds.queries, "moving_listings", moving_listings)
    monkeypatch.setattr(published_rounds, "time", SimpleNamespace(monotonic=lambda: now[0]))
    kept = PublishedRounds(vault)

    def after(seconds: float, selling: list[uuid.UUID]) -> float:
        now[0] += seconds
        return kept.rounds(None, TENANT, set(selling), 2.0).get(channel, 0.0)  # type: ignore[arg-type]

    assert after(0.0, []) == 0.0 and reads == []  # nothing moving: nothing read
    assert after(0.1, skus[:1]) == pytest.approx(1 / 4.5)  # a SKU starts moving: counted at once
    assert after(0.1, skus[:2]) == pytest.approx(1 / 4.5)  # another, within GROWN_S of the last reckoning: kept
    assert after(0.2, skus[:2]) == pytest.approx(2 / 4.5)  # past GROWN_S: counted
    assert after(1.0, skus[:1]) == pytest.approx(2 / 4.5)  # one stops: kept until fresh_s
    assert after(1.0, skus[:1]) == pytest.approx(1 / 4.5)
    assert reads == [set(skus[:1]), set(skus[:2]), set(skus[:1])]


def test_a_channel_whose_calls_cannot_be_built_has_no_published_round(monkeypatch) -> None:
    vault, channel, sku = Vault(Fernet.generate_key()), uuid.uuid4(), uuid.uuid4()
    row = SimpleNamespace(channel_id=channel, platform="taobao", credentials=None, external_sku="S-1",
                          external_item_id=None, external_location_id=None)  # Taobao needs num_iid:sku_id
    monkeypatch.setattr(published_rounds.queries, "moving_listings", lambda *args: [row])
    assert PublishedRounds(vault).rounds(None, TENANT, {sku}, 2.0) == {}  # type: ignore[arg-type]

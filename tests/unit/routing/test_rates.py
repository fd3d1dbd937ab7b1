"""Carrier rate cards: zones by city, province, destination and distance band; first and additional weight."""

import pytest

from flexhub.routing.geo import locate
from flexhub.routing.rates import Lane, RateBook, Zone, default_services, lane

HANGZHOU, NINGBO, SHANGHAI = locate("CN", "浙江", "杭州"), locate("CN", "浙江", "宁波"), locate("CN", None, "上海")
URUMQI, TOKYO = locate("CN", None, "乌鲁木齐"), locate("JP")


def zone(**fields) -> Zone:
    return Zone(name="z", first_price=500, additional_price=200, days=2, **fields)


def test_the_first_weight_then_each_started_step_is_charged() -> None:
    assert [zone().price(w) for w in (300, 1000, 1001, 2000, 2500)] == [500, 500, 700, 700, 900]


def test_a_zone_matches_only_when_every_condition_holds() -> None:
    same = lane(HANGZHOU, NINGBO)
    assert same.same_province and not same.same_city and not same.international
    assert zone(same_province=True).matches(same)
    assert not zone(same_city=True).matches(same)
    assert zone(max_km=200).matches(same) and not zone(max_km=100).matches(same)
    assert zone(to_provinces=["XJ"]).matches(lane(HANGZHOU, URUMQI))
    assert not zone().matches(lane(HANGZHOU, TOKYO)) and zone(international=True).matches(lane(HANGZHOU, TOKYO))


def test_an_unknown_place_matches_only_a_zone_without_conditions() -> None:
    unknown = lane(HANGZHOU, None)
    assert unknown == Lane()
    assert zone().matches(unknown) and not zone(max_km=5000).matches(unknown)


@pytest.mark.parametrize(("destination", "expected"), [
    (NINGBO, {("zto", "same_province", 400, 1), ("sf", "same_province", 1200, 1)}),
    (SHANGHAI, {("zto", "near", 500, 2), ("sf", "near", 1400, 1)}),
    (URUMQI, {("zto", "remote", 1800, 5), ("sf", "remote", 2500, 3)}),
    (TOKYO, {("ems", "asia", 4500, 7), ("dhl", "asia", 12000, 3)}),
])
def test_the_default_rate_cards_quote_each_lane(destination, expected) -> None:
    quotes = RateBook(default_services()).quotes(HANGZHOU, destination, 800)
    assert {(q.carrier, q.zone, q.price, q.days) for q in quotes} == expected


def test_a_service_carries_no_parcel_over_its_weight_limit() -> None:
    quotes = RateBook(default_services()).quotes(HANGZHOU, TOKYO, 40_000)
    assert {q.carrier for q in quotes} == {"dhl"}

"""The atlas and address lookups: Chinese cities by any of their names, postal codes, countries; distance."""

import pytest

from flexhub.routing.geo import atlas, find_city, haversine_km, locate, place_at, place_of_address


def test_the_atlas_holds_every_province_and_prefecture_level_city() -> None:
    found = atlas()
    assert len(found.provinces) == 31
    assert len(found.cities) >= 333
    assert all(find_city(p.capital, code) for code, p in found.provinces.items())
    assert 1_350_000_000 < sum(c.population for c in found.cities) < 1_450_000_000


@pytest.mark.parametrize(("province", "city", "expected"), [
    ("浙江省", "杭州市", "杭州市"),
    ("浙江", "杭州", "杭州市"),
    ("Zhejiang Province", "Hangzhou City", "杭州市"),
    ("CN-ZJ", "Taizhou", "台州市"),  # 泰州 is in Jiangsu
    ("江苏", "Taizhou", "泰州市"),
    ("吉林省", "延边州", "延边朝鲜族自治州"),
    ("吉林", "吉林市", "吉林市"),
    (None, "Ürümqi", "乌鲁木齐市"),
    (None, "Xi'an", "西安市"),
    ("青海", "海南藏族自治州", "海南藏族自治州"),
])
def test_a_city_is_found_by_its_chinese_short_or_pinyin_name(province: str | None, city: str, expected: str) -> None:
    place = locate("CN", province, city)
    assert place is not None and place.city == expected


def test_an_address_without_a_known_city_falls_back_to_its_province_then_its_postal_code() -> None:
    assert locate("CN", "广东省", "Nowhere").city is None
    assert locate("CN", "广东省", "Nowhere").province == "GD"
    assert place_of_address({"country": "CN", "postal_code": "830000"}).province == "XJ"
    assert place_of_address({"country": "CN", "postal_code": "31000"}) is None
    assert locate("CN") is None


def test_abroad_an_address_is_placed_at_its_countrys_capital() -> None:
    assert locate("us").country == "US"
    assert locate("JP", "Tokyo", "Shibuya").latitude == pytest.approx(35.68)
    assert locate("ZZ") is None


def test_distance_is_great_circle_kilometres() -> None:
    assert haversine_km(locate("CN", "北京"), locate("CN", "上海")) == pytest.approx(1067, abs=5)
    assert haversine_km(locate("CN", None, "广州"), locate("CN", None, "广州")) == 0


def test_a_node_with_coordinates_keeps_them_and_is_the_same_place_each_time() -> None:
    place = place_at(30.75, 120.76, "CN", "浙江省", "嘉兴市")
    assert (place.latitude, place.province, place.city) == (30.75, "ZJ", "嘉兴市")
    assert place is place_at(30.75, 120.76, "CN", "浙江省", "嘉兴市")
    assert place_at(None, None, "CN", "浙江", "杭州") is locate("CN", "浙江", "杭州")

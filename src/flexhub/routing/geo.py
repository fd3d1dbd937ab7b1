"""Where things are: the built-in atlas, address lookups and great-circle distance.

The atlas (package data under `atlas/`) holds China's provinces (with the first two digits of
their 6-digit postal codes), its prefecture-level cities (with 2020 census populations, which
the routing benchmark samples buyers by) and a capital for each country. An address is placed at
its city, else its province's capital (from the province or the postal code), else its
country's capital; a place we cannot find is None and routing prices it as "anywhere".
"""

import csv
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

CHINA = "CN"
EARTH_RADIUS_KM = 6371.0
_LATIN_SUFFIXES = ("province", "sheng", "city", "shi", "prefecture", "league", "municipality")


@dataclass(frozen=True, slots=True)
class Place:
    latitude: float
    longitude: float
    country: str
    province: str | None = None  # a province code of the atlas, e.g. "ZJ"
    city: str | None = None  # the atlas's full city name, e.g. "杭州市"


@dataclass(frozen=True, slots=True)
class City:
    province: str
    name: str
    short: str
    pinyin: tuple[str, ...]
    population: int  # people, 2020 census (rounded to ten thousand)
    place: Place


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str
    short: str
    pinyin: tuple[str, ...]
    capital: str
    place: Place
    postal_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class Atlas:
    provinces: dict[str, Province]
    cities: tuple[City, ...]
    countries: dict[str, Place]
    province_names: dict[str, str]  # normalized name -> code
    city_names: dict[str, list[City]]  # normalized name -> cities, most populous first
    postal_provinces: dict[str, str]  # two digits -> province code


def haversine_km(a: Place, b: Place) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def place_of_address(address: Mapping[str, Any]) -> Place | None:
    """Where an order's shipping address is, as well as the atlas can tell."""
    return locate(address.get("country"), address.get("province"), address.get("city"), address.get("postal_code"))


def locate(
    country: str | None, province: str | None = None, city: str | None = None, postal_code: str | None = None
) -> Place | None:
    found = atlas()
    country = (country or CHINA).upper()
    if country != CHINA:
        return found.countries.get(country)
    code = province_code(province) or province_of_postal_code(postal_code)
    matched = find_city(city, code) if city else None
    if matched:
        return matched.place
    if code:
        return found.provinces[code].place
    return None


@lru_cache(maxsize=4096)
def place_at(
    latitude: float | None, longitude: float | None, country: str | None, province: str | None, city: str | None
) -> Place | None:
    """A node's place: its own coordinates when it has them, else its city's or province's.

    The same arguments give the same object, so that lanes worked out for it are found again."""
    code = province_code(province)
    if latitude is None or longitude is None:
        return locate(country, province, city)
    matched = find_city(city, code) if city else None
    return Place(latitude, longitude, (country or CHINA).upper(), code or (matched.province if matched else None),
                 matched.name if matched else None)


def province_code(text: str | None) -> str | None:
    if not text:
        return None
    names = atlas().province_names
    key = _normalized(text)
    return names.get(key) or names.get(key.removeprefix("cn"))


def province_of_postal_code(code: str | None) -> str | None:
    digits = (code or "").strip()
    if len(digits) != 6 or not digits.isdigit():
        return None
    return atlas().postal_provinces.get(digits[:2])


def find_city(text: str, province: str | None = None) -> City | None:
    """The city a name means, inside the province when one is known; the most populous on a tie."""
    found = atlas()
    named = found.city_names.get(_normalized(text), [])
    inside = [c for c in named if province is None or c.province == province]
    if inside:
        return inside[0]
    if province is None:
        return None
    # "延边州", "恩施州", "杭州市西湖区": a known short name at the start of the text
    return next((c for c in found.cities if c.province == province and text.startswith(c.short)), None)


@cache
def atlas() -> Atlas:
    provinces = {row["code"]: _province(row) for row in _rows("cn_provinces.csv")}
    cities = tuple(_city(row) for row in _rows("cn_cities.csv"))
    countries = {
        row["code"]: Place(float(row["latitude"]), float(row["longitude"]), row["code"])
        for row in _rows("countries.csv")
    }
    return Atlas(provinces, cities, countries, _province_index(provinces), _city_index(cities),
                 {p: code for code, prov in provinces.items() for p in prov.postal_prefixes})


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("flexhub.routing").joinpath("atlas").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _province(row: dict[str, str]) -> Province:
    place = Place(float(row["latitude"]), float(row["longitude"]), CHINA, row["code"])
    return Province(row["code"], row["name"], row["short"], tuple(row["pinyin"].split("|")), row["capital"],
                    place, tuple(row["postal_prefixes"].split()))


def _city(row: dict[str, str]) -> City:
    place = Place(float(row["latitude"]), float(row["longitude"]), CHINA, row["province"], row["name"])
    return City(row["province"], row["name"], row["short"], tuple(row["pinyin"].split("|")),
                int(row["population_10k"]) * 10_000, place)


def _province_index(provinces: dict[str, Province]) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, p in provinces.items():
        for name in (code, p.name, p.short, *p.pinyin):
            index[_normalized(name)] = code
    return index


def _city_index(cities: tuple[City, ...]) -> dict[str, list[City]]:
    index: dict[str, list[City]] = {}
    for city in sorted(cities, key=lambda c: -c.population):
        for name in {city.name, city.short, *city.pinyin}:
            index.setdefault(_normalized(name), []).append(city)
    return index


def _normalized(text: str) -> str:
    """Lower case without accents, punctuation or a trailing "City"/"Province": "Xi'an City" is "xian"."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).lower()
    words = folded.split()
    while len(words) > 1 and words[-1] in _LATIN_SUFFIXES:
        words.pop()
    return "".join(ch for ch in "".join(words) if ch.isalnum())

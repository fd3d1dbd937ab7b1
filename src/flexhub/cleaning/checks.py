"""What each kind of cleaning rule looks at, and its parameters. Pure: the atlas and the history come in."""

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flexhub.cleaning.countries import ISO_COUNTRIES, NO_POSTAL_CODES
from flexhub.kernel.addresses import pickup_store
from flexhub.kernel.money import MinorUnits

if TYPE_CHECKING:
    from flexhub.cleaning.rules import History

CHINA = "CN"
MOBILE = re.compile(r"^1[3-9]\d{9}$")  # a mainland mobile number, after +86 / 0086 and separators are taken off
# A mobile number the platform masked (Douyin, Kuaishou, Taobao show 138****8000; the carrier gets it decrypted).
MASKED_MOBILE = re.compile(r"^1[3-9]\d\*{4}\d{4}$")
POSTAL_CODE = re.compile(r"^\d{6}$")
DISTRICT_ENDINGS = ("区", "县", "市", "旗", "镇")
Problem = tuple[str, str]  # (code, reason)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the rules read of an incoming order."""

    channel: str
    currency: str
    buyer: Mapping[str, Any]
    address: Mapping[str, Any]
    lines: Sequence[tuple[str, int, int, int]]  # (SKU, quantity, unit price, line discount)
    total: int
    floors: Mapping[str, int] = field(default_factory=dict)  # the reseller's price list (供货价): SKU → unit price


class Places(Protocol):
    """China's atlas as the address rule asks it."""

    def province(self, name: str) -> tuple[str, str] | None: ...  # (code, full name)
    def city(self, name: str, province: str) -> str | None: ...  # its full name inside the province
    def province_of_postal_code(self, code: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Found:
    problems: list[Problem]
    address: dict[str, Any] | None = None  # the address normalised, when the rule normalises it


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressParams(Params):
    require_postal_code: bool = False
    require_phone: bool = True


class BlacklistParams(Params):
    buyers: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list, max_length=10_000)
    phones: list[Annotated[str, Field(min_length=3, max_length=40)]] = Field(default_factory=list, max_length=10_000)
    addresses: list[Annotated[str, Field(min_length=2, max_length=300)]] = Field(default_factory=list,
                                                                                 max_length=10_000)

    @model_validator(mode="after")
    def _something(self) -> "BlacklistParams":
        if not (self.buyers or self.phones or self.addresses):
            raise ValueError("a blacklist names buyers, phones or addresses")
        return self


Minutes = Annotated[int, Field(strict=True, ge=1, le=60 * 24 * 30)]


class DuplicateParams(Params):
    window_minutes: Minutes = 60


class QuantityParams(Params):
    max_units_per_line: Annotated[int, Field(strict=True, ge=1)] | None = None
    max_units: Annotated[int, Field(strict=True, ge=1)] | None = None

    @model_validator(mode="after")
    def _a_limit(self) -> "QuantityParams":
        if self.max_units_per_line is None and self.max_units is None:
            raise ValueError("give max_units_per_line, max_units or both")
        return self


class ValueParams(Params):
    max_total: Annotated[MinorUnits, Field(ge=1)]
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


class PriceFloorParams(Params):
    floors: dict[Annotated[str, Field(min_length=1, max_length=64)], Annotated[MinorUnits, Field(ge=0)]] = Field(
        default_factory=dict, description="SKU → the lowest unit price, minor units")
    price_list: bool = Field(default=True, description="also a reseller's price list (供货价) for its orders")


Keyed = Literal["buyer", "address", "device"]
KEYED: tuple[Keyed, ...] = ("buyer", "address", "device")


class VelocityParams(Params):
    max_orders: Annotated[int, Field(strict=True, ge=1, le=1000)]
    window_minutes: Minutes = 60
    by: list[Keyed] = Field(default_factory=lambda: list(KEYED), min_length=1)


class FirstOrderParams(Params):
    above: Annotated[MinorUnits, Field(ge=1)]


class CountryMismatchParams(Params):
    pass


# --- the keys earlier orders are found by ---------------------------------------------------------------------


def phone_digits(phone: str | None) -> str:
    digits = re.sub(r"[\s\-()]", "", phone or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix):]
    return digits


def _folded(text: Any) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(text or "")).casefold() if ch.isalnum())


def buyer_key(buyer: Mapping[str, Any]) -> str:
    phone = phone_digits(buyer.get("phone"))
    return f"p:{phone}" if phone else f"n:{_folded(buyer.get('name'))}:{_folded(buyer.get('email'))}"


def address_key(address: Mapping[str, Any]) -> str:
    parts = [_folded(address.get(k)) for k in ("country", "province", "city", "district", "line1", "line2")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def lines_key(lines: Sequence[tuple[str, int, int, int]]) -> str:
    units: dict[str, int] = {}
    for sku, quantity, _, _ in lines:
        units[sku] = units.get(sku, 0) + quantity
    return hashlib.sha256(";".join(f"{s}*{q}" for s, q in sorted(units.items())).encode()).hexdigest()[:32]


def _destination_key(address: Mapping[str, Any]) -> str | None:
    """Where the order's goods go, for the rules that count orders to one address: none for a pick-up, whose
    address is the store's, shared by every buyer collecting there."""
    return None if pickup_store(address) else address_key(address)


def device_key(buyer: Mapping[str, Any]) -> str | None:
    device = buyer.get("device_id")
    return str(device)[:120] if device else None


# --- the checks -------------------------------------------------------------------------------------------------


def address(params: AddressParams, order: Candidate, places: Places) -> Found:
    """ISO country, the fields a parcel needs; in China the province, city and postal code against the atlas and
    a mobile number. Province and city come back as the atlas's full names ("浙江" → "浙江省"). An order collected
    at a store (a pick-up, a sale taken at the till) has no parcel to address: its address is the store's, as it
    is."""
    if pickup_store(order.address):
        return Found([])
    normal = {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in order.address.items()}
    country = str(normal.get("country") or "").upper()
    normal["country"] = country
    if country not in ISO_COUNTRIES:
        return Found([("address.unknown_country", f"{country!r} is not an ISO 3166 country")], normal)
    problems = _china(params, normal, places) if country == CHINA else _abroad(params, normal, country)
    phone = phone_digits(order.buyer.get("phone"))
    if params.require_phone and not phone:
        problems.append(("address.missing_phone", "the buyer has no phone number for the carrier"))
    elif country == CHINA and phone and not (MOBILE.fullmatch(phone) or MASKED_MOBILE.fullmatch(phone)):
        problems.append(("address.bad_mobile", f"{phone!r} is not a mainland mobile number (1[3-9] + 9 digits)"))
    return Found(problems, normal)


def _china(params: AddressParams, normal: dict[str, Any], places: Places) -> list[Problem]:
    problems = [(f"address.missing_{name}", f"a Chinese address needs its {name}")
                for name in ("province", "city", "district", "line1") if not normal.get(name)]
    province = places.province(normal["province"]) if normal.get("province") else None
    if normal.get("province") and province is None:
        problems.append(("address.unknown_province", f"{normal['province']!r} is not a province of China"))
    if province is not None:
        normal["province"] = province[1]
        city = places.city(normal["city"], province[0]) if normal.get("city") else None
        if normal.get("city") and city is None:
            problems.append(("address.unknown_city", f"{normal['city']!r} is not a city of {province[1]}"))
        elif city is not None:
            normal["city"] = city
    district = str(normal.get("district") or "")
    if district and not district.endswith(DISTRICT_ENDINGS):
        problems.append(("address.bad_district", f"{district!r} is not a district or county (区/县/市/旗)"))
    postal = str(normal.get("postal_code") or "")
    if postal and not POSTAL_CODE.fullmatch(postal):
        problems.append(("address.bad_postal_code", f"{postal!r} is not a 6-digit postal code"))
    elif postal and province is not None and places.province_of_postal_code(postal) not in (None, province[0]):
        problems.append(("address.postal_code_mismatch", f"postal code {postal} is not in {province[1]}"))
    elif not postal and params.require_postal_code:
        problems.append(("address.missing_postal_code", "the address has no postal code"))
    return problems


def _abroad(params: AddressParams, normal: dict[str, Any], country: str) -> list[Problem]:
    problems = [(f"address.missing_{name}", f"the address needs its {name}")
                for name in ("line1", "city") if not normal.get(name)]
    if not normal.get("postal_code") and (params.require_postal_code or country not in NO_POSTAL_CODES):
        problems.append(("address.missing_postal_code", f"an address in {country} needs its postal code"))
    return problems


def blacklist(params: BlacklistParams, order: Candidate) -> list[Problem]:
    problems = []
    names = {_folded(b) for b in params.buyers}
    if names & {_folded(order.buyer.get("name")), _folded(order.buyer.get("external_id"))} - {""}:
        problems.append(("blacklist.buyer", "the buyer is on the blacklist"))
    phone = phone_digits(order.buyer.get("phone"))
    if phone and phone in {phone_digits(p) for p in params.phones}:
        problems.append(("blacklist.phone", "the buyer's phone is on the blacklist"))
    where = _folded(" ".join(str(order.address.get(k) or "") for k in ("line1", "line2")))
    if where and any(_folded(a) in where for a in params.addresses):
        problems.append(("blacklist.address", "the shipping address is on the blacklist"))
    return problems


def duplicate(params: DuplicateParams, order: Candidate, history: "History", now: datetime) -> list[Problem]:
    since, buyer, lines = now - timedelta(minutes=params.window_minutes), buyer_key(order.buyer), lines_key(order.lines)
    if any(s.buyer == buyer and s.lines == lines and s.at >= since for s in history.seen):
        return [("duplicate.same_order", f"the same buyer ordered the same lines within {params.window_minutes} "
                                         "minutes under another order number")]
    return []


def quantity(params: QuantityParams, order: Candidate) -> list[Problem]:
    problems = []
    cap = params.max_units_per_line
    problems += [("quantity.line_above_limit", f"{q} × {sku} is above {cap} a line")
                 for sku, q, _, _ in order.lines if cap is not None and q > cap]
    units = sum(q for _, q, _, _ in order.lines)
    if params.max_units is not None and units > params.max_units:
        problems.append(("quantity.order_above_limit", f"{units} units is above {params.max_units} an order"))
    return problems


def value(params: ValueParams, order: Candidate) -> list[Problem]:
    if (params.currency in (None, order.currency)) and order.total > params.max_total:
        return [("value.above_limit", f"the total {order.total} is above {params.max_total} ({order.currency})")]
    return []


def price_floor(params: PriceFloorParams, order: Candidate, history: "History") -> list[Problem]:
    floors = {**(order.floors if params.price_list else {}), **params.floors}
    problems = []
    for sku, q, price, discount in order.lines:
        paid = (q * price - discount) // q  # what one unit brings after the line's discount
        if sku in floors and paid < floors[sku]:
            problems.append(("price.below_floor", f"{sku} sold at {paid} a unit, below its floor {floors[sku]}"))
    return problems


def velocity(params: VelocityParams, order: Candidate, history: "History", now: datetime) -> list[Problem]:
    since = now - timedelta(minutes=params.window_minutes)
    recent = [s for s in history.seen if s.at >= since]
    keys = {"buyer": buyer_key(order.buyer), "address": _destination_key(order.address),
            "device": device_key(order.buyer)}
    problems = []
    for by in params.by:
        key = keys[by]
        count = sum(1 for s in recent if key is not None and getattr(s, by) == key)
        if count >= params.max_orders:
            problems.append((f"fraud.velocity_{by}", f"{count} orders from this {by} within "
                                                     f"{params.window_minutes} minutes already"))
    return problems


def first_order(params: FirstOrderParams, order: Candidate, history: "History") -> list[Problem]:
    if buyer_key(order.buyer) not in history.known_buyers and order.total > params.above:
        return [("fraud.first_order_high_value", f"a first order of {order.total}, above {params.above}")]
    return []


def country_mismatch(order: Candidate) -> list[Problem]:
    if pickup_store(order.address):
        return []  # collected at the store: nothing goes to the address's country
    shipping = str(order.address.get("country") or "").upper()
    claimed = {str(order.buyer.get(k) or "").upper() for k in ("country", "ip_country")} - {""}
    others = sorted(c for c in claimed if c != shipping)
    if others:
        return [("fraud.country_mismatch", f"the buyer is from {', '.join(others)}, the parcel goes to {shipping}")]
    return []


Check = Callable[[Any, Candidate, "History", Places, datetime], list[Problem]]
CHECKS: dict[str, Check] = {
    "blacklist": lambda p, o, h, pl, now: blacklist(p, o),
    "duplicate": lambda p, o, h, pl, now: duplicate(p, o, h, now),
    "quantity": lambda p, o, h, pl, now: quantity(p, o),
    "value": lambda p, o, h, pl, now: value(p, o),
    "price_floor": lambda p, o, h, pl, now: price_floor(p, o, h),
    "velocity": lambda p, o, h, pl, now: velocity(p, o, h, now),
    "first_order_value": lambda p, o, h, pl, now: first_order(p, o, h),
    "country_mismatch": lambda p, o, h, pl, now: country_mismatch(o),
}
PARAMS: dict[str, type[Params]] = {
    "address": AddressParams, "blacklist": BlacklistParams, "duplicate": DuplicateParams,
    "quantity": QuantityParams, "value": ValueParams, "price_floor": PriceFloorParams,
    "velocity": VelocityParams, "first_order_value": FirstOrderParams, "country_mismatch": CountryMismatchParams,
}


def run(kind: str, params: Any, order: Candidate, history: "History", places: Places, now: datetime) -> Found:
    if kind == "address":
        return address(params, order, places)
    return Found(CHECKS[kind](params, order, history, places, now))


def window_minutes(kind: str, params: Any) -> int | None:
    """How far back a rule of `kind` looks at earlier orders; 0 for whether the buyer ever ordered."""
    if kind in ("duplicate", "velocity"):
        return int(params.window_minutes)
    return 0 if kind == "first_order_value" else None

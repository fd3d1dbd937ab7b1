"""Carrier rate cards: the zone a lane falls in, what a parcel costs there and how many days it takes.

A service (carrier + service level) lists zones in order; the first zone whose conditions all
hold for the lane is its price: first weight + each additional weight step started, in minor
units. Conditions: same city, same province, destination provinces or countries, a distance
band (`max_km`) and domestic/international. A zone without conditions catches every domestic lane,
including one to an address the atlas could not place.
"""

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from flexhub.routing.geo import Place, haversine_km


@dataclass(frozen=True, slots=True)
class Lane:
    """From a node to a buyer, as rate cards see it."""

    km: float | None = None
    same_city: bool = False
    same_province: bool = False
    international: bool = False
    to_province: str | None = None
    to_country: str | None = None


def lane(origin: Place | None, destination: Place | None) -> Lane:
    if origin is None or destination is None:
        return Lane()
    same_country = origin.country == destination.country
    same_province = same_country and origin.province is not None and origin.province == destination.province
    return Lane(
        km=haversine_km(origin, destination),
        same_city=same_province and origin.city is not None and origin.city == destination.city,
        same_province=same_province,
        international=not same_country,
        to_province=destination.province,
        to_country=destination.country,
    )


class Zone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    same_city: bool | None = None
    same_province: bool | None = None
    to_provinces: list[str] = Field(default_factory=list, description="destination province codes, e.g. XJ")
    to_countries: list[str] = Field(default_factory=list, description="destination country codes")
    max_km: float | None = Field(default=None, gt=0)
    international: bool = False
    first_weight_g: int = Field(default=1000, gt=0)
    first_price: int = Field(ge=0)
    additional_weight_g: int = Field(default=1000, gt=0)
    additional_price: int = Field(ge=0)
    days: int = Field(ge=0, le=60)

    def matches(self, lane: Lane) -> bool:
        return (
            self.international == lane.international
            and (self.same_city is None or self.same_city == lane.same_city)
            and (self.same_province is None or self.same_province == lane.same_province)
            and (not self.to_provinces or lane.to_province in self.to_provinces)
            and (not self.to_countries or lane.to_country in self.to_countries)
            and (self.max_km is None or (lane.km is not None and lane.km <= self.max_km))
        )

    def price(self, weight_g: int) -> int:
        extra = max(0, weight_g - self.first_weight_g)
        steps = -(-extra // self.additional_weight_g)
        return self.first_price + steps * self.additional_price


class Service(BaseModel):
    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(min_length=1, max_length=32)
    service: str = Field(min_length=1, max_length=32)
    max_weight_g: int | None = Field(default=None, gt=0)
    zones: list[Zone] = Field(min_length=1)

    def zone_for(self, lane: Lane) -> Zone | None:
        return next((zone for zone in self.zones if zone.matches(lane)), None)


@dataclass(frozen=True, slots=True)
class Quote:
    carrier: str
    service: str
    zone: str
    price: int
    days: int


class RateBook:
    """The services of a policy, with each (node, buyer) lane's distance and zones worked out once."""

    MOST_LANES = 200_000  # forgotten all at once past this: places from the atlas repeat, others may not

    def __init__(self, services: list[Service]) -> None:
        self._services = services
        # each service's zones as plain tuples: matching them is the cost of every new lane
        self._conditions = [(s, [_conditions(z) for z in s.zones]) for s in services]
        # keyed by the places' identities (each kept alive in its entry, so an id is never reused)
        self._lanes: dict[tuple[int, int], tuple] = {}

    def lane_of(self, origin: Place | None, destination: Place | None) -> tuple[float | None, list, int]:
        """Distance (km, None when a place is unknown), the (service, zone) pairs that carry it, and the
        lowest first-weight price among them."""
        found = self._lanes.get((id(origin), id(destination)))
        if found is None:
            if len(self._lanes) >= self.MOST_LANES:
                self._lanes.clear()
            route = lane(origin, destination)
            zones = [(s, z) for s, conditions in self._conditions if (z := _first_match(conditions, route))]
            cheapest = min((z.first_price for _, z in zones), default=0)
            found = self._lanes[(id(origin), id(destination))] = (origin, destination, route.km, zones, cheapest)
        return found[2:]

    def quotes(self, origin: Place | None, destination: Place | None, weight_g: int) -> list[Quote]:
        _, zones, _ = self.lane_of(origin, destination)
        return [
            Quote(s.carrier, s.service, z.name, z.price(weight_g), z.days)
            for s, z in zones
            if s.max_weight_g is None or weight_g <= s.max_weight_g
        ]


def _conditions(zone: Zone) -> tuple:
    return (zone.international, zone.same_city, zone.same_province, frozenset(zone.to_provinces),
            frozenset(zone.to_countries), zone.max_km, zone)


def _first_match(conditions: list[tuple], lane: Lane) -> Zone | None:
    for international, same_city, same_province, provinces, countries, max_km, zone in conditions:
        if (
            international == lane.international
            and (same_city is None or same_city == lane.same_city)
            and (same_province is None or same_province == lane.same_province)
            and (not provinces or lane.to_province in provinces)
            and (not countries or lane.to_country in countries)
            and (max_km is None or (lane.km is not None and lane.km <= max_km))
        ):
            return zone
    return None


def _zone(name: str, first: int, additional: int, days: int, *, same_city: bool | None = None,
          same_province: bool | None = None, to_provinces: tuple[str, ...] = (), max_km: float | None = None,
          international: bool = False) -> Zone:
    return Zone(name=name, first_price=first, additional_price=additional, days=days, same_city=same_city,
                same_province=same_province, to_provinces=list(to_provinces), max_km=max_km,
                international=international)


REMOTE = ("XJ", "XZ")
FAR_WEST = ("QH", "NM", "GS", "NX")


def default_services() -> list[Service]:
    """An economy and an express domestic service, and an economy and an express international one."""
    return [
        Service(carrier="zto", service="standard", zones=[
            _zone("same_province", 400, 100, 1, same_province=True),
            _zone("remote", 1800, 1200, 5, to_provinces=REMOTE),
            _zone("far_west", 1000, 600, 4, to_provinces=FAR_WEST),
            _zone("near", 500, 200, 2, max_km=600),
            _zone("middle", 600, 300, 3, max_km=1200),
            _zone("national", 800, 500, 4),
        ]),
        Service(carrier="sf", service="express", zones=[
            _zone("same_city", 1000, 200, 1, same_city=True),
            _zone("same_province", 1200, 200, 1, same_province=True),
            _zone("remote", 2500, 1500, 3, to_provinces=REMOTE),
            _zone("near", 1400, 500, 1, max_km=600),
            _zone("middle", 1800, 700, 2, max_km=1500),
            _zone("national", 2300, 1000, 2),
        ]),
        Service(carrier="ems", service="international_economy", max_weight_g=30_000, zones=[
            _zone("asia", 4500, 1500, 7, international=True, max_km=3000),
            _zone("world", 9000, 3000, 12, international=True),
        ]),
        Service(carrier="dhl", service="express_worldwide", zones=[
            _zone("asia", 12000, 3000, 3, international=True, max_km=3000),
            _zone("zone_2", 18000, 4500, 4, international=True, max_km=9000),
            _zone("world", 22000, 5000, 5, international=True),
        ]),
    ]

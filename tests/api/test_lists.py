"""The list endpoints of the catalogue, the nodes and the channels: every row a page at a time with the total, a
search, and the sorts each offers; a partner's key lists only its own channels."""

from flexhub.testing.api_client import CHANNELS, LOCATIONS, SKUS, Api, assert_error


def every(api: Api, path: str, key: str, role: str = "admin", **params: str) -> tuple[list[dict], set[int]]:
    items, totals, cursor = [], set(), None
    while True:
        page = api.get(path, role, **params, **({"cursor": cursor} if cursor else {}))
        items += page[key]
        totals.add(page["total"])
        if (cursor := page["next_cursor"]) is None:
            return items, totals


def test_skus_page_by_code_and_search_code_and_name(api: Api) -> None:
    for n in range(7):
        api.post(SKUS, {"code": f"TEE-{n}", "name": f"Tee number {n}" if n % 2 else f"Hoodie {n}"})

    listed, totals = every(api, SKUS, "skus", limit="3")
    hoodies = api.get(SKUS, q="hood", sort="-name")
    by_code = api.get(SKUS, q="tee-5")

    assert [s["code"] for s in listed] == [f"TEE-{n}" for n in range(7)] and totals == {7}
    assert [s["name"] for s in hoodies["skus"]] == ["Hoodie 6", "Hoodie 4", "Hoodie 2", "Hoodie 0"]
    assert hoodies["total"] == 4 and [s["code"] for s in by_code["skus"]] == ["TEE-5"]


def test_locations_page_by_priority_and_filter_by_kind(api: Api) -> None:
    for code, kind, priority in (("WH-A", "central", 10), ("ST-B", "store", 50), ("WH-C", "regional", 20),
                                 ("ST-D", "store", 40)):
        api.post(LOCATIONS, {"code": code, "kind": kind, "priority": priority})

    listed, totals = every(api, LOCATIONS, "locations", limit="1", sort="priority")
    stores = api.get(LOCATIONS, kind="store", role="viewer")

    assert [n["code"] for n in listed] == ["WH-A", "WH-C", "ST-D", "ST-B"] and totals == {4}
    assert [n["code"] for n in stores["locations"]] == ["ST-B", "ST-D"]
    assert_error(api.client.get(LOCATIONS, params={"sort": "secret"}, headers=api.headers()), 422,
                 "lists.unknown_sort")


def test_channels_list_the_brands_and_a_partner_only_its_own(api: Api) -> None:
    api.post(CHANNELS, {"code": "web", "platform": "generic"})
    api.post(CHANNELS, {"code": "tmall", "platform": "tmall"})
    api.post(CHANNELS, {"code": "resold", "platform": "generic", "partner": api.tenant.partner})

    listed, totals = every(api, CHANNELS, "channels", limit="2")
    own = api.get(CHANNELS, "partner")

    assert [c["code"] for c in listed] == ["resold", "tmall", "web"] and totals == {3}
    assert "credentials" not in listed[0]
    assert [c["code"] for c in own["channels"]] == ["resold"] and own["total"] == 1

"""/api/v1/channels."""

from flexhub.testing.api_client import CHANNELS, Api, assert_error
from flexhub.testing.snapshots import snapshot


def test_a_channel_created_from_the_minimal_body_sells_from_spot(api: Api) -> None:
    created = api.post(CHANNELS, {"code": "web", "platform": "generic"})

    assert created["code"] == "web" and created["platform"] == "generic"
    assert created["name"] == "web" and created["pools"] == ["spot"]


def test_an_unknown_platform_is_refused_and_changes_nothing(api: Api) -> None:
    before = snapshot(api.hub)

    response = api.client.post(CHANNELS, json={"code": "web", "platform": "myspace"}, headers=api.headers())

    assert_error(response, 422, "channels.unknown_platform")
    assert snapshot(api.hub) == before


def test_only_an_admin_creates_channels(api: Api) -> None:
    before = snapshot(api.hub)

    response = api.client.post(CHANNELS, json={"code": "web", "platform": "generic"}, headers=api.headers("operator"))

    assert_error(response, 403, "auth.forbidden")
    assert snapshot(api.hub) == before

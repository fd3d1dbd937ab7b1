"""Stock pushes in lanes: each channel's turns on a thread of its own, so a slow platform does not hold another's
figures back until its own turn is over (before, every channel's next turn waited for the slowest channel's)."""

import threading
import time
from typing import Any

import pytest
from tests.integration.sync.test_push_order import stores_listing, waiting

from flexhub.sync.lanes import PushLanes

CALL_S = 0.3  # each call to the slow store takes this long


def test_a_slow_channel_does_not_hold_another_channels_figures_back(database_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """JD's 30 figures go a call each at 0.3 s a call: a turn of its is seconds long. Shopify's figures, due after
    JD's lane began, reach the store in a fraction of that."""
    jd_skus, shopify_skus = [f"JD-{n:02d}" for n in range(30)], ["SH-0", "SH-1"]
    with stores_listing(database_url, {"jd": jd_skus, "shopify": shopify_skus}) as (hub, stores):
        slow_down(monkeypatch, stores["jd"].platform, CALL_S)
        lanes = PushLanes(hub.pusher)
        try:
            waiting(hub, {sku: (3, 1) for sku in jd_skus})
            lanes.run_once()
            time.sleep(2 * CALL_S)  # JD's lane is sending
            waiting(hub, {sku: (4, 0) for sku in shopify_skus})
            due = time.monotonic()
            lanes.run_once()

            deadline = due + 10
            while time.monotonic() < deadline and {stores["shopify"].listing(s).quantity for s in shopify_skus} != {4}:
                time.sleep(0.02)
            shopify_s = time.monotonic() - due
            jd_shown = sum(stores["jd"].listing(sku).quantity == 3 for sku in jd_skus)
        finally:
            lanes.close()

        assert {stores["shopify"].listing(s).quantity for s in shopify_skus} == {4}
        assert shopify_s < 6 * CALL_S, shopify_s  # before: after JD's whole turn (9+ calls, about 3 s)
        assert jd_shown < len(jd_skus)  # JD was still pushing meanwhile
        assert len(lanes.lanes()) == 2  # a lane each


def test_closed_lanes_stop_and_wake_no_more(database_url: str) -> None:
    with stores_listing(database_url, {"jd": ["JD-0"]}) as (hub, stores):
        lanes = PushLanes(hub.pusher)
        lanes.close()
        waiting(hub, {"JD-0": (3, 1)})

        assert lanes.run_once() == 0
        time.sleep(0.3)
        assert stores["jd"].listing("JD-0").quantity == 5 and lanes.lanes() == set()


def slow_down(monkeypatch: pytest.MonkeyPatch, platform: Any, seconds: float) -> None:
    """Every call the platform serves takes `seconds` longer, for this test only (the sandbox's platforms are shared;
    it serves each call on a thread of its own)."""
    handle = platform.handle

    def slowly(*args: Any, **kwargs: Any) -> Any:
        threading.Event().wait(seconds)
        return handle(*args, **kwargs)

    monkeypatch.setattr(platform, "handle", slowly)

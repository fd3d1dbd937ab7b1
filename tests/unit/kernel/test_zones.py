"""Zones by IANA name: which names are zones, where a day starts on a zone's clock, how an instant reads there."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfoNotFoundError

import pytest

from flexhub.kernel.zones import day_span, day_start, is_zone, local, zone


@pytest.mark.parametrize(("name", "known"), [("Asia/Shanghai", True), ("Europe/Berlin", True), ("UTC", True),
                                             ("Asia/Shangai", False), ("UTC+8", False), ("", False),
                                             ("../../etc/passwd", False), ("asia/shanghai", False)])
def test_only_iana_names_are_zones(name: str, known: bool) -> None:
    assert is_zone(name) is known


def test_an_unknown_name_has_no_zone() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        zone("Mars/Olympus")


def test_a_shanghai_day_starts_at_four_pm_utc_the_day_before() -> None:
    shanghai = zone("Asia/Shanghai")

    assert day_start(date(2026, 12, 5), shanghai) == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert day_span(date(2026, 12, 5), date(2026, 12, 5), shanghai) == (
        datetime(2026, 12, 4, 16, 0, tzinfo=UTC), datetime(2026, 12, 5, 16, 0, tzinfo=UTC))
    assert day_span(None, None, shanghai) == (None, None)


def test_a_day_across_a_clock_change_is_23_hours_long() -> None:
    berlin = zone("Europe/Berlin")

    first, after = day_span(date(2026, 3, 29), date(2026, 3, 29), berlin)  # summer time starts at 02:00

    assert first is not None and after is not None and (after - first).total_seconds() == 23 * 3600


def test_an_instant_reads_on_the_zones_clock_naive_being_utc() -> None:
    tokyo = zone("Asia/Tokyo")

    assert local(datetime(2026, 12, 5, 20, 0), tokyo).isoformat() == "2026-12-06T05:00:00+09:00"
    assert local(datetime(2026, 12, 5, 20, 0, tzinfo=UTC), tokyo).hour == 5

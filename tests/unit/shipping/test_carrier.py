"""The plain data carriers speak, and the little it computes."""

from datetime import UTC, datetime

from flexhub.kernel.money import Money
from flexhub.shipping.carrier import TrackingEvent, amount_text, form_fields, oldest_first
from flexhub.shipping.carriers.china import china_time
from flexhub.shipping.labels import masked
from flexhub.testing.carrier_contract import domestic_shipment


def test_a_shipment_weighs_its_parcels():
    shipment = domestic_shipment()
    assert shipment.weight_g == 1500
    assert domestic_shipment(parcels=shipment.parcels * 3).weight_g == 4500


def test_amounts_are_written_in_major_units_exactly():
    assert [amount_text(Money(a, c)) for a, c in ((12345, "CNY"), (5, "USD"), (1200, "JPY"), (1234, "KWD"))] == [
        "123.45", "0.05", "1200", "1.234"]


def test_chinese_times_in_both_spellings_are_the_same_instant():
    assert china_time("2025-05-22 15:06:35") == china_time(1747897595000) == datetime(2025, 5, 22, 7, 6, 35,
                                                                                         tzinfo=UTC)


def test_events_sort_per_waybill_oldest_first():
    def event(number, hour):
        return TrackingEvent(number, "in_transit", datetime(2026, 1, 1, hour, tzinfo=UTC), "x")

    assert oldest_first([event("B", 1), event("A", 3), event("A", 2)]) == [event("A", 2), event("A", 3), event("B", 1)]


def test_form_bodies_keep_blank_fields():
    assert form_fields(b"data=%7B%7D&token=&msg_type=Traces") == {"data": "{}", "token": "", "msg_type": "Traces"}


def test_labels_hide_the_middle_of_a_phone():
    assert [masked(p) for p in ("13900001234", "+86 139 0000 1234", "1234")] == [
        "139****1234", "+86139****1234", "1234"]

"""Our 100×150 mm label: a real PDF whose barcode number reads back, kept as a PNG where pdftoppm exists."""

import base64
import re
import shutil
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flexhub.kernel.money import Money
from flexhub.shipping import labels
from flexhub.shipping.carrier import Waybill
from flexhub.testing.carrier_contract import domestic_shipment, international_shipment
from flexhub.testing.clocks import movable_clock

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "labels"


def page_text(pdf: bytes) -> bytes:
    """Every content stream of the PDF, decoded as reportlab encodes them (ASCII85 over Flate)."""
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    return b"\n".join(_decoded(stream.strip()) for stream in streams)


def _decoded(stream: bytes) -> bytes:
    if stream.endswith(b"~>"):
        stream = base64.a85decode(stream.removesuffix(b"~>"))
    try:
        return zlib.decompress(stream)
    except zlib.error:
        return stream


def render(waybill, shipment, carrier):
    with movable_clock(datetime(2026, 1, 2, 3, 0, tzinfo=UTC)):
        return labels.render(waybill, shipment, carrier=carrier)


def test_draws_a_100_by_150_mm_pdf_with_the_waybill_barcode():
    pdf = render(Waybill("SF7444407670710", routing_code="010"), domestic_shipment(cod=Money(12_345, "CNY")),
                 "sf_express")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    box = [float(n) for n in re.search(rb"/MediaBox \[\s*([\d.\s]+)\]", pdf).group(1).split()]
    assert [round(n / 72 * 25.4) for n in box] == [0, 0, 100, 150]
    text = page_text(pdf)
    assert b"(SF7444407670710) Tj" in text  # the number under the bars, as text
    assert b"(SF_EXPRESS) Tj" in text
    assert text.count(b" re") > 40  # Code 128 bars and QR modules are drawn rectangles


def test_a_long_number_still_fits_the_label():
    pdf = render(Waybill("JD0123456789012345678901"), international_shipment(), "jd_logistics")
    assert b"(JD0123456789012345678901) Tj" in page_text(pdf)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_renders_to_a_png_people_can_look_at(tmp_path):
    pdf = render(Waybill("73100196611386", routing_code="300- H12 09"), domestic_shipment(), "zto")
    (tmp_path / "label.pdf").write_bytes(pdf)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "label.pdf"),
                    str(ARTIFACTS / "zto-label")], check=True, timeout=60)
    png = (ARTIFACTS / "zto-label.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (591, 886)  # 100 × 150 mm at 150 dpi

"""Our own shipping label, for carriers that give a waybill number but no label: a 100×150 mm PDF.

Drawn with reportlab (the QR code encoded by segno): the carrier and its sort code, the waybill
number as a Code 128 barcode with the number beneath, recipient and sender (phones shown as
139****1234, as China's privacy waybills do), a QR code of the waybill, our reference, parcels and
weight, and the cash to collect. Chinese and Latin text use reportlab's built-in STSong-Light CID
font, so no font file ships with us.
"""

from functools import cache
from io import BytesIO

import segno
from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from flexhub.kernel import clock
from flexhub.shipping.carrier import Address, Shipment, Waybill, amount_text

WIDTH, HEIGHT = 100 * mm, 150 * mm
MARGIN = 4 * mm
TEXT_FONT = "STSong-Light"
NUMBER_FONT = "Helvetica-Bold"  # the waybill number in plain PDF text, so people and tools can read it back


def render(waybill: Waybill, shipment: Shipment, *, carrier: str = "") -> bytes:
    """The label as PDF bytes."""
    register_fonts()
    out = BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH, HEIGHT))
    canvas.setTitle(f"{carrier} {waybill.number}".strip())
    top = _header(canvas, waybill, shipment, carrier)
    top = _barcode(canvas, waybill.number, top)
    top = _party(canvas, "收 To", shipment.recipient, top, size=13)
    _party(canvas, "寄 From", shipment.sender, top, size=8)
    _footer(canvas, waybill, shipment, carrier)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(TEXT_FONT))


def _header(canvas: Canvas, waybill: Waybill, shipment: Shipment, carrier: str) -> float:
    y = HEIGHT - MARGIN - 6 * mm
    canvas.setFont(NUMBER_FONT, 14)
    canvas.drawString(MARGIN, y, carrier.upper() or "PARCEL")
    canvas.setFont(TEXT_FONT, 9)
    canvas.drawRightString(WIDTH - MARGIN, y, shipment.service or "")
    if waybill.routing_code:
        y -= 10 * mm
        canvas.setFont(TEXT_FONT, 22)
        canvas.drawCentredString(WIDTH / 2, y, waybill.routing_code)
    y -= 3 * mm
    _rule(canvas, y)
    return y


def _barcode(canvas: Canvas, number: str, top: float) -> float:
    bar_height = 16 * mm
    barcode = code128.Code128(number, barHeight=bar_height, barWidth=0.4 * mm, humanReadable=False, quiet=False)
    if barcode.width > WIDTH - 2 * MARGIN:  # long numbers get thinner bars, never a clipped code
        barcode = code128.Code128(number, barHeight=bar_height, humanReadable=False, quiet=False,
                                  barWidth=0.4 * mm * (WIDTH - 2 * MARGIN) / barcode.width)
    y = top - 3 * mm - bar_height
    barcode.drawOn(canvas, (WIDTH - barcode.width) / 2, y)
    canvas.setFont(NUMBER_FONT, 12)
    canvas.drawCentredString(WIDTH / 2, y - 5 * mm, number)
    y -= 8 * mm
    _rule(canvas, y)
    return y


def _party(canvas: Canvas, title: str, address: Address, top: float, *, size: float) -> float:
    y = top - size * 1.4
    canvas.setFont(TEXT_FONT, size - 2)
    canvas.drawString(MARGIN, y, title)
    canvas.setFont(TEXT_FONT, size)
    canvas.drawString(MARGIN + 14 * mm, y, f"{address.name}  {masked(address.phone)}")
    for line in simpleSplit(address_text(address), TEXT_FONT, size, WIDTH - 2 * MARGIN - 14 * mm)[:3]:
        y -= size * 1.3
        canvas.drawString(MARGIN + 14 * mm, y, line)
    y -= 3 * mm
    _rule(canvas, y)
    return y


def _footer(canvas: Canvas, waybill: Waybill, shipment: Shipment, carrier: str) -> None:
    side = 30 * mm
    _qr_code(canvas, f"{carrier}:{waybill.number}" if carrier else waybill.number, MARGIN, MARGIN, side)
    lines = [f"Ref {shipment.reference}", f"{len(shipment.parcels)} pc  {shipment.weight_g / 1000:.2f} kg",
             clock.now().strftime("%Y-%m-%d")]
    if shipment.cod is not None:
        lines.insert(0, f"代收货款 COD {shipment.cod.currency} {amount_text(shipment.cod)}")
    canvas.setFont(TEXT_FONT, 9)
    for n, line in enumerate(lines):
        canvas.drawString(MARGIN + side + 3 * mm, MARGIN + side - 5 * mm - n * 5 * mm, line)


def _qr_code(canvas: Canvas, text: str, x: float, y: float, side: float) -> None:
    """The QR code, its 4-module quiet zone included, as one filled square per dark module (segno encodes)."""
    rows = [list(row) for row in segno.make(text, error="m", micro=False).matrix_iter(border=4)]
    module = side / len(rows)
    for row, modules in enumerate(rows):
        for column, dark in enumerate(modules):
            if dark:
                canvas.rect(x + column * module, y + side - (row + 1) * module, module, module, stroke=0, fill=1)


def masked(phone: str) -> str:
    """A phone as privacy waybills print it: the last four digits kept, four before them hidden."""
    digits = phone.replace(" ", "")
    return digits[:-8] + "****" + digits[-4:] if len(digits) >= 8 else digits


def address_text(address: Address) -> str:
    parts = (address.province, address.city, address.district, address.street(), address.postal_code,
             address.country)
    return " ".join(part for part in parts if part)


def _rule(canvas: Canvas, y: float) -> None:
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)

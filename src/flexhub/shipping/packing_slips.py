"""The packing slip that goes in the parcel: an A6 page (105×148 mm) saying who it is from (the seller's name,
phone and logo), to whom, the order's number as the buyer knows it and what is inside, with no prices.

For a reseller's order the seller is the reseller (blind drop-ship, 一件代发): the brand and its warehouse are
named nowhere on the page. Drawn with reportlab in its built-in STSong-Light CID font, like our labels."""

from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from flexhub.shipping.carrier import Address
from flexhub.shipping.labels import TEXT_FONT, address_text, masked, register_fonts

WIDTH, HEIGHT = 105 * mm, 148 * mm
MARGIN = 6 * mm
LOGO_SIDE = 18 * mm


@dataclass(frozen=True, slots=True)
class Seller:
    name: str
    phone: str = ""
    logo: bytes | None = None  # PNG or JPEG


@dataclass(frozen=True, slots=True)
class PackingSlip:
    seller: Seller
    order_number: str
    recipient: Address
    lines: tuple[tuple[str, str, int], ...]  # (SKU, name, units)


def render(slip: PackingSlip) -> bytes:
    """The slip as PDF bytes."""
    register_fonts()
    out = BytesIO()
    # invariant: no creation time or random id in the file, so the same slip is the same bytes each time it is asked
    canvas = Canvas(out, pagesize=(WIDTH, HEIGHT), invariant=True)
    canvas.setTitle(f"{slip.seller.name} {slip.order_number}")
    canvas.setAuthor(slip.seller.name)
    canvas.setCreator(slip.seller.name)  # not reportlab's default, which would not name the seller either
    y = _seller(canvas, slip.seller)
    y = _recipient(canvas, slip, y)
    _lines(canvas, slip.lines, y)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _seller(canvas: Canvas, seller: Seller) -> float:
    top = HEIGHT - MARGIN
    x = MARGIN
    if seller.logo:
        canvas.drawImage(ImageReader(BytesIO(seller.logo)), MARGIN, top - LOGO_SIDE, LOGO_SIDE, LOGO_SIDE,
                         preserveAspectRatio=True, mask="auto")
        x += LOGO_SIDE + 4 * mm
    canvas.setFont(TEXT_FONT, 14)
    canvas.drawString(x, top - 7 * mm, seller.name)
    canvas.setFont(TEXT_FONT, 9)
    if seller.phone:
        canvas.drawString(x, top - 13 * mm, seller.phone)
    y = top - LOGO_SIDE - 4 * mm
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)
    return y


def _recipient(canvas: Canvas, slip: PackingSlip, top: float) -> float:
    canvas.setFont(TEXT_FONT, 10)
    y = top - 7 * mm
    canvas.drawString(MARGIN, y, f"装箱单 Packing slip   订单 Order {slip.order_number}")
    y -= 7 * mm
    canvas.setFont(TEXT_FONT, 9)
    canvas.drawString(MARGIN, y, f"收 To  {slip.recipient.name}  {masked(slip.recipient.phone)}")
    for line in simpleSplit(address_text(slip.recipient), TEXT_FONT, 9, WIDTH - 2 * MARGIN - 10 * mm)[:3]:
        y -= 5 * mm
        canvas.drawString(MARGIN + 10 * mm, y, line)
    y -= 4 * mm
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)
    return y


def _lines(canvas: Canvas, lines: tuple[tuple[str, str, int], ...], top: float) -> None:
    y = top - 6 * mm
    canvas.setFont(TEXT_FONT, 8)
    canvas.drawString(MARGIN, y, "SKU")
    canvas.drawString(MARGIN + 30 * mm, y, "品名 Item")
    canvas.drawRightString(WIDTH - MARGIN, y, "数量 Qty")
    canvas.setFont(TEXT_FONT, 9)
    for sku, name, units in lines:
        y -= 6 * mm
        if y < MARGIN + 10 * mm:
            break  # a slip lists what fits; the parcel's contents are on the order
        canvas.drawString(MARGIN, y, sku[:18])
        canvas.drawString(MARGIN + 30 * mm, y, simpleSplit(name, TEXT_FONT, 9, 45 * mm)[0] if name else "")
        canvas.drawRightString(WIDTH - MARGIN, y, str(units))
    canvas.setFont(TEXT_FONT, 8)
    canvas.drawCentredString(WIDTH / 2, MARGIN, "谢谢惠顾 Thank you for your order")

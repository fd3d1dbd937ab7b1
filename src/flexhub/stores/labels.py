"""Shelf labels on an A4 sheet (reportlab): three across, eight down, each with the SKU's QR code (the shopper's
page of that SKU in that store), its name, code and shelf price. Chinese names are set in reportlab's built-in
STSong-Light CID font, so no font file is needed."""

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from flexhub.stores.qr import qr_png

COLUMNS, ROWS = 3, 8
MARGIN = 8 * mm
FONT = "STSong-Light"


@dataclass(frozen=True)
class Label:
    url: str
    sku: str
    name: str
    price: str  # "¥99.00" as kernel.money_text writes it in the sheet's language, or "" without a shelf price


def sheet(store: str, labels: list[Label]) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"Shelf labels · {store}")
    width, height = A4
    cell_w, cell_h = (width - 2 * MARGIN) / COLUMNS, (height - 2 * MARGIN) / ROWS
    for n, label in enumerate(labels):
        if n and n % (COLUMNS * ROWS) == 0:
            pdf.showPage()
        row, column = divmod(n % (COLUMNS * ROWS), COLUMNS)
        x, y = MARGIN + column * cell_w, height - MARGIN - (row + 1) * cell_h
        _label(pdf, label, x, y, cell_w, cell_h)
    pdf.save()
    return out.getvalue()


def _label(pdf: canvas.Canvas, label: Label, x: float, y: float, w: float, h: float) -> None:
    pdf.setStrokeGray(0.8)
    pdf.rect(x + 1 * mm, y + 1 * mm, w - 2 * mm, h - 2 * mm)
    side = h - 6 * mm
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(label.url, scale=4))), x + 3 * mm, y + 3 * mm, side, side)
    text_x = x + side + 5 * mm
    pdf.setFont(FONT, 9)
    pdf.drawString(text_x, y + h - 9 * mm, label.name[:18])
    pdf.setFont("Helvetica", 7)
    pdf.drawString(text_x, y + h - 14 * mm, label.sku)
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(text_x, y + 6 * mm, label.price)

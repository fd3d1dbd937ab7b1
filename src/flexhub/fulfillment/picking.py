"""Printing for many orders at once: a picking list (A4, a page or more per node, walked in bin order, each SKU's
units summed with the orders they go to) and the labels of many parcels put together into one PDF.

Headings are in Chinese and English alike (a warehouse team reads either), drawn in reportlab's built-in
STSong-Light CID font as the labels are, so no font file ships with us (it has no "·": spaces part the fields)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
WIDTH, HEIGHT = A4
MARGIN = 14 * mm
ROW = 7 * mm
COLUMNS = ((0, "库位 Bin"), (32 * mm, "SKU"), (72 * mm, "品名 Name"), (132 * mm, "数量 Qty"), (150 * mm, "订单 Orders"))


@dataclass(frozen=True, slots=True)
class Pick:
    bin: str | None
    sku: str
    name: str
    quantity: int
    orders: tuple[str, ...]


def picks_by_node(rows: Iterable[Any]) -> dict[tuple[str, str], list[Pick]]:
    """(node code, node name) → its picks in walking order (rows come sorted by node, bin, SKU, order)."""
    grouped: dict[tuple[str, str], dict[tuple[str | None, str], list[Any]]] = defaultdict(dict)
    for row in rows:
        grouped[(row.node, row.node_name)].setdefault((row.bin, row.sku), []).append(row)
    return {node: [Pick(bin_, sku, same[0].sku_name, sum(int(r.quantity) for r in same),
                        tuple(dict.fromkeys(r.external_id for r in same)))
                   for (bin_, sku), same in picks.items()] for node, picks in grouped.items()}


def picking_list(nodes: dict[tuple[str, str], list[Pick]], *, printed: str, orders: int) -> bytes:
    """The list as PDF bytes; a node's picks run onto further pages as they need."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle("拣货单 Picking list")
    if not nodes:
        _heading(canvas, "—", printed, orders, 0)
        canvas.setFont(FONT, 11)
        canvas.drawString(MARGIN, HEIGHT - 40 * mm, "无待拣商品 Nothing to pick: the orders hold no stock at a node")
        canvas.showPage()
    for (code, name), picks in nodes.items():
        _node_pages(canvas, code if name == code else f"{code} {name}", picks, printed, orders)
    canvas.save()
    return out.getvalue()


def _node_pages(canvas: Canvas, node: str, picks: Sequence[Pick], printed: str, orders: int) -> None:
    units = sum(p.quantity for p in picks)
    y = _heading(canvas, node, printed, orders, units)
    for pick in picks:
        if y < MARGIN + ROW:
            canvas.showPage()
            y = _heading(canvas, node, printed, orders, units)
        canvas.setFont(FONT, 10)
        cells = (pick.bin or "—", pick.sku, pick.name[:30], str(pick.quantity), ", ".join(pick.orders)[:60])
        for (x, _), text in zip(COLUMNS, cells, strict=True):
            canvas.drawString(MARGIN + x, y, text)
        canvas.rect(WIDTH - MARGIN - 4 * mm, y - 1 * mm, 3.5 * mm, 3.5 * mm)  # ticked by the picker
        y -= ROW
    canvas.showPage()


def _heading(canvas: Canvas, node: str, printed: str, orders: int, units: int) -> float:
    y = HEIGHT - MARGIN - 6 * mm
    canvas.setFont(FONT, 16)
    canvas.drawString(MARGIN, y, f"拣货单 Picking list  {node}")
    canvas.setFont(FONT, 9)
    y -= 7 * mm
    canvas.drawString(MARGIN, y, f"{printed}   订单 orders {orders}   件数 units {units}")
    y -= 9 * mm
    canvas.setFont(FONT, 9)
    for x, title in COLUMNS:
        canvas.drawString(MARGIN + x, y, title)
    canvas.line(MARGIN, y - 2 * mm, WIDTH - MARGIN, y - 2 * mm)
    return y - ROW


def labels_together(labels: Iterable[bytes]) -> bytes:
    """Every page of every label, in the order given, as one PDF."""
    writer = PdfWriter()
    for label in labels:
        for page in PdfReader(BytesIO(label)).pages:
            writer.add_page(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()

"""QR codes as PNG images (segno): medium error correction, so a scuffed shelf label still scans."""

import io

import segno


def qr_png(text: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make_qr(text, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(text: str, *, scale: int = 5) -> str:
    """A data: URI of the code as SVG, for a page to show (a member's card on the staff's phone)."""
    return str(segno.make_qr(text, error="m").svg_data_uri(scale=scale, border=4))

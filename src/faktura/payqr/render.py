"""The QR symbol of a payload, drawn by segno as SVG text a Typst template embeds.

The symbol is deterministic (same payload, same bytes), uses error correction
level M (the EPC guideline's, and enough for print), no ECI header (banking
apps expect the raw bytes) and a quiet zone of four modules. Its ``viewBox``
lets the template size it freely (``image(bytes(qr.svg), format: "svg",
width: 3cm)``): the payload reaches Typst as data, never as markup.

>>> text = svg("BCD\\n002\\n1\\nSCT")
>>> text.startswith("<svg ") and 'viewBox="0 0 29 29"' in text
True
>>> svg("BCD") == svg("BCD")
True
"""

from __future__ import annotations

import io

import segno

QUIET_ZONE = 4


def symbol(payload: str) -> segno.QRCode:
    """The smallest QR code of ``payload`` at level M, in byte (UTF-8) or alphanumeric mode."""
    return segno.make_qr(payload, error="m", boost_error=False, encoding="utf-8")


def svg(payload: str) -> str:
    """A standalone SVG of the QR code, sized by its ``viewBox`` in modules."""
    qr = symbol(payload)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=1, border=QUIET_ZONE, xmldecl=False, svgclass=None, lineclass=None, nl=False)
    text = out.getvalue().decode("utf-8")
    size = qr.symbol_size(scale=1, border=QUIET_ZONE)[0]
    return text.replace("<svg ", f'<svg viewBox="0 0 {size} {size}" ', 1)


def matrix(payload: str) -> tuple[bytearray, ...]:
    """The modules of the symbol, row by row (1 = dark), without the quiet zone."""
    return tuple(symbol(payload).matrix)

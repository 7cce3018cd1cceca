"""Test helpers that read payment QR codes back the way a banking app does.

A QR symbol is scanned by zxing-cpp from a grayscale raster (segno's module
matrix drawn at 4 px a module, or a PNG that Typst rendered), and the text is
taken apart by decoders written here from the specifications, independent of
the encoders under test.
"""

from __future__ import annotations

import base64
import lzma
import struct
import zlib
from decimal import Decimal
from itertools import accumulate

import zxingcpp

from faktura.payqr import render


def scan_gray(pixels: bytes, width: int, height: int) -> str:
    """The text of the one QR code zxing-cpp finds in a grayscale raster."""
    image = memoryview(pixels).cast("B", (height, width))
    found = zxingcpp.read_barcodes(image)
    # Other formats are ignored: zxing-cpp now and then also reads an ITF bar code into a QR code's modules.
    codes = [barcode for barcode in found if barcode.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1, f"expected one QR code, found {[(b.format, b.text) for b in found]}"
    return codes[0].bytes.decode("utf-8")


def scan_payload(payload: str, *, px: int = 4) -> str:
    """Draw the symbol segno makes of ``payload`` with a quiet zone and scan it."""
    modules = render.matrix(payload)
    quiet = render.QUIET_ZONE
    side = (len(modules) + 2 * quiet) * px
    raster = bytearray(b"\xff" * side * side)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(px):
                    start = ((y + quiet) * px + dy) * side + (x + quiet) * px
                    raster[start : start + px] = b"\x00" * px
    return scan_gray(bytes(raster), side, side)


def scan_png(png: bytes) -> str:
    """Scan a non-interlaced 8-bit PNG (gray, RGB or RGBA; transparent counts as white)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        data += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0)
    assert color in (0, 2, 6)
    channels = {0: 1, 2: 3, 6: 4}[color]
    rows = _unfilter(zlib.decompress(data), width * channels, height, channels)
    gray = bytearray()
    for row in rows:  # the green channel stands for the gray level; transparent is white
        if channels == 4:
            gray += bytes(255 - ((255 - g) * a) // 255 for g, a in zip(row[1::4], row[3::4], strict=True))
        else:
            gray += row[channels // 2 :: channels]
    return scan_gray(bytes(gray), width, height)


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> list[bytes]:
    """Undo the PNG row filters (none, sub, up, average, Paeth), with fast paths for the common ones."""
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]
        if kind == 0:
            row = line
        elif kind == 2:
            row = bytes((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 1:
            out = bytearray(line)
            for c in range(bpp):
                summed: list[int] = list(accumulate(out[c::bpp], _add_bytes))
                out[c::bpp] = bytes(summed)
            row = bytes(out)
        else:
            row = _average_or_paeth(kind, bytearray(line), previous, bpp)
        rows.append(row)
        previous = row
    return rows


def _add_bytes(a: int, b: int) -> int:
    return (a + b) & 0xFF


def _average_or_paeth(kind: int, line: bytearray, up: bytes, bpp: int) -> bytes:
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        above = up[i]
        if kind == 3:
            line[i] = (line[i] + (left + above) // 2) & 0xFF
            continue
        corner = up[i - bpp] if i >= bpp else 0
        estimate = left + above - corner
        pa, pb, pc = abs(estimate - left), abs(estimate - above), abs(estimate - corner)
        line[i] = (line[i] + (left if pa <= pb and pa <= pc else above if pb <= pc else corner)) & 0xFF
    return bytes(line)


EPC_ELEMENTS = (
    "service_tag",
    "version",
    "charset",
    "identification",
    "bic",
    "name",
    "iban",
    "amount",
    "purpose",
    "reference",
    "text",
    "information",
)


def parse_epc(text: str) -> dict[str, str]:
    """The elements of an EPC069-12 payload by name; absent trailing ones are empty."""
    lines = text.split("\n")
    assert 7 <= len(lines) <= len(EPC_ELEMENTS), lines
    return dict(zip(EPC_ELEMENTS, [*lines, *[""] * (len(EPC_ELEMENTS) - len(lines))], strict=True))


def epc_amount(element: str) -> Decimal:
    assert element.startswith("EUR"), element
    return Decimal(element[3:])


BYSQUARE_FIELDS = (
    "invoice_id",
    "payments",
    "payment_options",
    "amount",
    "currency",
    "due_date",
    "variable_symbol",
    "constant_symbol",
    "specific_symbol",
    "reference",
    "note",
    "accounts",
    "iban",
    "bic",
    "standing_order",
    "direct_debit",
    "beneficiary_name",
    "beneficiary_address_1",
    "beneficiary_address_2",
)


def decode_bysquare(text: str) -> tuple[bytes, dict[str, str]]:
    """The by square header and the fields, read as a banking app reads them.

    base32hex -> 2 header bytes, 2 bytes of length -> LZMA1 with the
    ``.lzma`` header rebuilt (properties 0x5D = lc 3, lp 0, pb 2; dictionary
    2^17; the uncompressed size) -> CRC32 checked -> tab-separated fields.
    """
    raw = base64.b32hexdecode(text + "=" * (-len(text) % 8))
    header, (size,) = raw[:2], struct.unpack("<H", raw[2:4])
    alone = bytes([0x5D]) + (1 << 17).to_bytes(4, "little") + size.to_bytes(8, "little")
    plain = lzma.LZMADecompressor(format=lzma.FORMAT_ALONE).decompress(alone + raw[4:], max_length=size)
    assert len(plain) == size
    (crc,) = struct.unpack("<I", plain[:4])
    assert crc == zlib.crc32(plain[4:]), "CRC32 does not match"
    values = plain[4:].decode("utf-8").split("\t")
    assert len(values) == len(BYSQUARE_FIELDS), values
    return header, dict(zip(BYSQUARE_FIELDS, values, strict=True))

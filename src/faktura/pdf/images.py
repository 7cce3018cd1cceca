r"""Logos: which images a seller may upload, checked before they are stored.

PNG and JPEG only (SVG could reference other files), at most 1 MiB, at most
4096 × 4096 pixels, and the compiler must be able to decode it: the check
compiles a page holding the image, so a file that passes here renders on
every document. The size in pixels is read from the file's header *before*
anything decodes it: a 1 MiB PNG can claim 50,000 × 50,000 pixels, and
decoding that would take gigabytes (a "decompression bomb").

>>> import struct, zlib
>>> header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
>>> chunk = b"IHDR" + header
>>> bomb = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
>>> image_size(bomb)
(50000, 50000)
>>> check_logo(bomb)
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: logo: the image is 50000 × 50000 pixels; at most 4096 × 4096 are accepted

>>> check_logo(b"GIF89a...")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: logo: upload a PNG or JPEG image
"""

from __future__ import annotations

import json
import struct

import typst

from faktura.core.errors import InvalidValue

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4096
_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
_PROBE = b"#image(bytes(json(bytes(sys.inputs.logo))), width: 10mm)"


def logo_format(content: bytes) -> str | None:
    return next((kind for magic, kind in _MAGIC.items() if content.startswith(magic)), None)


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR or a JPEG's start-of-frame header, without decoding; None if absent."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(content) < 24 or content[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


# Start-of-frame markers (SOF0..SOF15) that carry the size; C4, C8 and CC are other segments.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 4 <= len(content):
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # segments without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        if marker in _SOF_MARKERS:
            if position + 9 > len(content):
                return None
            height, width = struct.unpack(">HH", content[position + 5 : position + 9])
            return width, height
        position += 2 + length
    return None


def check_logo(content: bytes) -> str:
    """The image's format (``png`` or ``jpg``); ``InvalidValue`` on the field ``logo`` otherwise."""
    kind = logo_format(content)
    if kind is None:
        raise InvalidValue("upload a PNG or JPEG image", field="logo")
    if len(content) > MAX_LOGO_BYTES:
        raise InvalidValue("the logo is larger than 1 MiB; upload a smaller image", field="logo")
    size = image_size(content)
    if size is None:
        raise InvalidValue("the image cannot be read; save it again as PNG or JPEG", field="logo")
    width, height = size
    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
        raise InvalidValue(
            f"the image is {width} × {height} pixels; at most {MAX_LOGO_SIDE} × {MAX_LOGO_SIDE} are accepted",
            field="logo",
        )
    try:
        typst.compile(_PROBE, sys_inputs={"logo": json.dumps(list(content))}, ignore_system_fonts=True)
    except typst.TypstError:
        raise InvalidValue("the image cannot be read; save it again as PNG or JPEG", field="logo") from None
    return kind

"""Logos: which images a seller may upload, checked before they are stored.

PNG and JPEG only (SVG could reference other files), at most 1 MiB, and the
compiler must be able to decode it: the check compiles a page holding the
image, so a file that passes here renders on every document.

>>> check_logo(b"GIF89a...")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: logo: upload a PNG or JPEG image
"""

from __future__ import annotations

import json

import typst

from faktura.core.errors import InvalidValue

MAX_LOGO_BYTES = 1024 * 1024
_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
_PROBE = b"#image(bytes(json(bytes(sys.inputs.logo))), width: 10mm)"


def logo_format(content: bytes) -> str | None:
    return next((kind for magic, kind in _MAGIC.items() if content.startswith(magic)), None)


def check_logo(content: bytes) -> str:
    """The image's format (``png`` or ``jpg``); ``InvalidValue`` on the field ``logo`` otherwise."""
    kind = logo_format(content)
    if kind is None:
        raise InvalidValue("upload a PNG or JPEG image", field="logo")
    if len(content) > MAX_LOGO_BYTES:
        raise InvalidValue("the logo is larger than 1 MiB; upload a smaller image", field="logo")
    try:
        typst.compile(_PROBE, sys_inputs={"logo": json.dumps(list(content))}, ignore_system_fonts=True)
    except typst.TypstError:
        raise InvalidValue("the image cannot be read; save it again as PNG or JPEG", field="logo") from None
    return kind

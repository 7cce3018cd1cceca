"""Which template a document is rendered with, and the seller's layout settings.

``Template`` names a built-in template (``invoice``, ``proforma``,
``credit_note``, ``estimate``: files in ``templates/``) or carries a seller's
own Typst source; ``Layout`` holds what a seller customises without writing a
template. Both are plain values: the layouts app builds them from its rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from faktura.core.errors import InvalidValue

BUILTIN_TEMPLATES: tuple[str, ...] = ("invoice", "proforma", "credit_note", "estimate")

FONTS: dict[str, str] = {
    "inter": "Inter",  # bundled (fonts/), OFL
    "libertinus": "Libertinus Serif",  # built into the Typst compiler, OFL
}
"""The fonts a seller can choose: key -> family name known to the compiler."""

DEFAULT_ACCENT = "#1d4ed8"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Layout:
    """A seller's look: accent colour, font, logo, footer and an optional second language."""

    accent: str = DEFAULT_ACCENT
    font: str = "inter"
    logo: bytes = b""  # PNG or JPEG, checked when the seller saves it
    footer: str = ""
    second_language: str = ""  # bilingual documents: labels in both languages

    def __post_init__(self) -> None:
        if not _HEX_COLOUR.fullmatch(self.accent):
            raise InvalidValue("use a colour like #1d4ed8", field="accent")
        if self.font not in FONTS:
            raise InvalidValue(f"unknown font {self.font!r}; use one of {', '.join(FONTS)}", field="font")


@dataclass(frozen=True)
class Template:
    """A built-in template by ``name``, or a seller's ``source`` (Typst markup) when given."""

    name: str = "invoice"
    source: str = ""
    layout: Layout = field(default_factory=Layout)

    def __post_init__(self) -> None:
        if not self.source and self.name not in BUILTIN_TEMPLATES:
            raise InvalidValue(f"unknown template {self.name!r}", field="template")

    @classmethod
    def builtin(cls, document_type: str, layout: Layout | None = None) -> Template:
        """The built-in template of a document type."""
        return cls(name=document_type, layout=layout or Layout())

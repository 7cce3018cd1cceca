"""The built-in wording of emails to buyers in the seven document languages, from gettext catalogs.

As for the PDF labels (``faktura.pdf.labels``), English is the source here and
each other language has ``locale/<lang>/LC_MESSAGES/email.po``, read by Babel
(``msgctxt`` is the key, ``msgid`` repeats the English). Subjects and bodies
are templates with the field macros of ``faktura.core.macros``: a seller who
writes their own (``EmailTemplate``) is checked by the same parser, and these
defaults are parsed by it too (a test keeps every catalog parseable).

>>> text("link", "sk"), text("link", "de")
('Otvoriť doklad online', 'Dokument online öffnen')
>>> text("subject.order_confirmation", "ro")
'Comanda dumneavoastră {order.number} — {document.type} {document.number}'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from faktura.pdf.labels import LANGUAGES

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "email"
DEFAULT_LANGUAGE = "en"

ENGLISH: dict[str, str] = {
    "subject.order_confirmation": "Your order {order.number} — {document.type} {document.number}",
    "subject.document": "{document.type} {document.number} from {seller.name}",
    "body.order_confirmation": (
        "Hello {order.client.name},\n\n"
        "thank you for your order {order.number} of {order.date}. We have received it.\n\n"
        "Attached is its document: {document.type} {document.number}, total {document.total}.\n\n"
        "Kind regards,\n{seller.name}"
    ),
    "body.document": (
        "Hello {order.client.name},\n\n"
        "attached is {document.type} {document.number} of {document.issue_date}, total {document.total}.\n\n"
        "Kind regards,\n{seller.name}"
    ),
    "link": "Open the document online",
}

__all__ = ["DEFAULT_LANGUAGE", "ENGLISH", "LANGUAGES", "catalog", "language_of", "text"]


@cache
def catalog(language: str) -> dict[str, str]:
    """Every text in ``language``; English where the catalog has no translation."""
    if language not in LANGUAGES:
        raise ValueError(f"no email texts for language {language!r}")
    if language == "en":
        return dict(ENGLISH)
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        po = read_po(handle, locale=language)
    translated = {
        message.context: str(message.string)
        for message in po
        if message.context and message.string and not message.fuzzy and message.id == ENGLISH.get(message.context)
    }
    return {key: translated.get(key, english) for key, english in ENGLISH.items()}


def text(key: str, language: str) -> str:
    return catalog(language)[key]


def language_of(*candidates: str) -> str:
    """The first candidate (``sk``, ``de-AT``, ``RO``) that is a language we write emails in, else English.

    >>> language_of("", "de-AT", "sk"), language_of("fr", ""), language_of("HU")
    ('de', 'en', 'hu')
    """
    for candidate in candidates:
        base = (candidate or "").strip().lower().replace("_", "-").split("-")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE

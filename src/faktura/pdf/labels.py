"""Printed labels in the seven document languages, from gettext catalogs.

The English text below is the source; each other language has a gettext
catalog ``locale/<lang>/LC_MESSAGES/pdf.po`` whose ``msgctxt`` is the key and
whose ``msgid`` repeats the English text. Why gettext rather than a JSON file
per language: .po files are what translators' tools (Poedit, Weblate,
Transifex) read and write, they carry the English source and translator
comments next to each translation, and Babel (already a dependency) reads them
directly, so there is no compile step and no .mo file to keep in sync. A test
checks that every catalog translates every key of the current English text.

>>> label("invoice", "de"), label("invoice", "ro"), label("amount_due", "pl")
('Rechnung', 'Factură', 'Do zapłaty')
>>> label("advance", "en", number="PF-7", date="1 Mar 2026")
'Advance paid, proforma PF-7 of 1 Mar 2026'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "pdf"

ENGLISH: dict[str, str] = {
    # Titles and notices
    "invoice": "Invoice",
    "proforma": "Proforma invoice",
    "credit_note": "Credit note",
    "estimate": "Estimate",
    "proforma_notice": "Proforma — not a tax document",
    "estimate_notice": "Estimate — not a tax document",
    "test_notice": "Test document — not valid for tax purposes",
    "corrects": "Corrects invoice {number} of {date}",
    "paid_stamp": "Paid",
    # Header facts
    "number": "Number",
    "issue_date": "Issue date",
    "supply_date": "Date of supply",
    "due_date": "Due date",
    "valid_until": "Valid until",
    "order_number": "Order",
    # Parties
    "seller": "Supplier",
    "buyer": "Customer",
    "vat_id": "VAT ID",
    "tax_id": "Tax ID",
    "registration_number": "Reg. No.",
    # Lines
    "description": "Description",
    "quantity": "Qty",
    "unit_price": "Unit price",
    "discount": "Discount",
    "vat_rate": "VAT",
    "net_amount": "Net amount",
    "allowance": "Discount",
    "charge": "Charge",
    # VAT breakdown and totals
    "vat_summary": "VAT summary",
    "rate": "Rate",
    "taxable_amount": "Taxable amount",
    "tax_amount": "VAT amount",
    "gross_amount": "Total",
    "line_net_total": "Lines total",
    "tax_exclusive": "Total excl. VAT",
    "tax_total": "VAT",
    "tax_inclusive": "Total incl. VAT",
    "advance": "Advance paid, proforma {number} of {date}",
    "prepaid": "Paid in advance",
    "rounding": "Rounding",
    "amount_due": "Amount due",
    "amount_credited": "Amount credited",
    "estimate_total": "Estimated total",
    # Payment
    "payment": "Payment details",
    "bank": "Bank",
    "iban": "IBAN",
    "bic": "BIC",
    "variable_symbol": "Variable symbol",
    "payment_reference": "Payment reference",
    "scan_to_pay": "Scan to pay",
    "notes": "Notes",
    "page": "Page {page} of {pages}",
    # Legal wordings (art. 226 (11), (11a) of Directive 2006/112/EC)
    "legal_reverse_charge": (
        "Reverse charge: VAT to be accounted for by the customer (Art. 196 of Directive 2006/112/EC)."
    ),
    "legal_intra_eu": "Exempt intra-Community supply of goods (Art. 138 of Directive 2006/112/EC).",
    "legal_export": "Exempt export of goods outside the EU (Art. 146 of Directive 2006/112/EC).",
    "legal_exempt": "Exempt from VAT.",
    "legal_zero": "Zero-rated supply.",
    "legal_oss": "VAT of the Member State of consumption, declared under the One-Stop Shop (OSS) scheme.",
    "legal_not_vat_registered": "The supplier is not registered for VAT.",
    # Units (UN/ECE recommendation 20)
    "unit_H87": "pc",
    "unit_C62": "pc",
    "unit_HUR": "h",
    "unit_DAY": "day",
    "unit_MON": "month",
    "unit_KGM": "kg",
    "unit_MTR": "m",
    "unit_LTR": "l",
    "unit_SET": "set",
}

LANGUAGES: tuple[str, ...] = ("ro", "sk", "hu", "cs", "en", "de", "pl")


@cache
def catalog(language: str) -> dict[str, str]:
    """Every label in ``language``; English where the catalog has no translation."""
    if language not in LANGUAGES:
        raise ValueError(f"no labels for language {language!r}")
    if language == "en":
        return dict(ENGLISH)
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        po = read_po(handle, locale=language)
    translated = {
        message.context: str(message.string)
        for message in po
        if message.context and message.string and not message.fuzzy and message.id == ENGLISH.get(message.context)
    }
    return {key: translated.get(key, english) for key, english in ENGLISH.items()}


def label(key: str, language: str, **values: str) -> str:
    """One label; ``{name}`` placeholders of our own catalogs are filled with ``values``.

    Filling is a plain replace, never ``str.format``: the values are document
    data (a number, a date) and are not interpreted.
    """
    text = catalog(language)[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text

"""The data a template receives: every text finished, in the document's language(s).

``document_view`` turns a ``DocumentData`` and a ``Layout`` into a JSON-able
dict; the engine passes it to Typst through ``sys.inputs`` and the template
only places strings. Nothing here is ever spliced into markup, so a buyer
named ``#read("/etc/passwd")`` is printed as exactly that.

Labels are pairs ``[primary, secondary]``: the secondary is the buyer's
language on bilingual documents and empty otherwise. ``SCHEMA_VERSION``
changes whenever a key is renamed or removed, for sellers' own templates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from faktura.pdf import formatting as fmt
from faktura.pdf.document import DocumentData, Line, Party
from faktura.pdf.labels import ENGLISH, catalog
from faktura.pdf.template import FONTS, Layout

SCHEMA_VERSION = 1

# Categories whose lines need a wording on the document (art. 226 (11), (11a)).
_LEGAL_BY_CATEGORY = {
    "reverse_charge": "legal_reverse_charge",
    "intra_eu": "legal_intra_eu",
    "export": "legal_export",
    "exempt": "legal_exempt",
    "zero": "legal_zero",
    "oss": "legal_oss",
}


def document_view(document: DocumentData, layout: Layout) -> dict[str, Any]:
    lang = document.language
    second = layout.second_language if layout.second_language not in ("", lang) else ""
    labels = _Labels(lang, second)
    kind = document.document_type
    return {
        "schema": SCHEMA_VERSION,
        "kind": kind,
        "lang": lang,
        "lang2": second,
        "labels": labels.all(),
        "title": labels.pair(kind),
        "subtitle": document.title,
        "number": document.number,
        "facts": _facts(document, labels),
        "seller": _party(document.seller, labels, lang),
        "buyer": _party(document.buyer, labels, lang),
        "lines": [_line(line, index, document) for index, line in enumerate(document.lines, start=1)],
        "has_discount": any(line.discount for line in document.lines),
        "adjustments": [
            {
                "label": labels.pair("charge" if ac.is_charge else "allowance"),
                "reason": ac.reason,
                "rate": fmt.rate(ac.vat_rate, lang),
                "net": fmt.amount(ac.net_amount, document.currency, lang),
            }
            for ac in document.allowances_charges
        ],
        "vat": [
            {
                "rate": fmt.rate(row.vat_rate, lang),
                "category": row.vat_category,
                "base": fmt.amount(row.taxable_amount, document.currency, lang),
                "tax": fmt.amount(row.tax_amount, document.currency, lang),
                "gross": fmt.amount(row.taxable_amount + row.tax_amount, document.currency, lang),
            }
            for row in document.vat_breakdown
        ],
        "currency": document.currency,
        "totals": _totals(document, labels),
        "due": _due(document, labels),
        "payment": _payment(document, labels),
        "notices": _notices(document, labels),
        "corrects": _corrects(document, labels),
        "legal": _legal(document, labels),
        "note": document.note,
        "footer": layout.footer,
        "paid": document.is_paid and kind in ("invoice", "proforma"),
        "accent": layout.accent,
        "font": FONTS[layout.font],
        "logo": bool(layout.logo),  # the image itself is sys.inputs.logo (see faktura.pdf.engine.compiler_inputs)
        "page": labels.pair("page"),
        "attachments": [
            {
                "name": a.name,
                "content": a.content,
                "mime_type": a.mime_type,
                "relationship": a.relationship,
                "description": a.description,
            }
            for a in document.attachments
        ],
    }


class _Labels:
    def __init__(self, lang: str, second: str) -> None:
        self.lang, self.second = lang, second
        self.primary = catalog(lang)
        self.secondary = catalog(second) if second else {}

    def pair(self, key: str, **values: str) -> list[str]:
        return [_fill(self.primary[key], values), _fill(self.secondary.get(key, ""), values)]

    def all(self) -> dict[str, list[str]]:
        return {key: [self.primary[key], self.secondary.get(key, "")] for key in ENGLISH}


def _fill(text: str, values: dict[str, str]) -> str:
    """Placeholders of our own catalogs; a plain replace, never ``str.format``."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _facts(document: DocumentData, labels: _Labels) -> list[dict[str, Any]]:
    lang = document.language
    facts = [{"label": labels.pair("issue_date"), "value": fmt.date(document.issue_date, lang)}]
    if document.supply_date and document.document_type != "estimate":
        facts.append({"label": labels.pair("supply_date"), "value": fmt.date(document.supply_date, lang)})
    if document.due_date:
        key = "valid_until" if document.document_type == "estimate" else "due_date"
        facts.append({"label": labels.pair(key), "value": fmt.date(document.due_date, lang)})
    if document.order_number:
        facts.append({"label": labels.pair("order_number"), "value": document.order_number})
    return facts


def _party(party: Party, labels: _Labels, lang: str) -> dict[str, Any]:
    city = " ".join(part for part in (party.postal_code, party.city) if part)
    address = [part for part in (party.street, city, party.region, fmt.country(party.country, lang)) if part]
    ids = [
        {"label": labels.pair(key), "value": value}
        for key, value in (
            ("vat_id", party.vat_id),
            ("tax_id", party.tax_id),
            ("registration_number", party.registration_number),
        )
        if value
    ]
    contact = [value for value in (party.email, party.phone, party.website) if value]
    return {"name": party.name, "trade_name": party.trade_name, "address": address, "ids": ids, "contact": contact}


def _line(line: Line, index: int, document: DocumentData) -> dict[str, str]:
    lang, currency = document.language, document.currency
    unit_key = f"unit_{line.unit}"
    return {
        "no": str(index),
        "name": line.name,
        "description": line.description,
        "sku": line.sku,
        "qty": fmt.quantity(line.quantity, lang),
        "unit": catalog(lang).get(unit_key, line.unit) if unit_key in ENGLISH else line.unit,
        "price": fmt.unit_price(line.net_unit_price, currency, lang),
        "discount": fmt.amount(line.discount, currency, lang) if line.discount else "",
        "rate": fmt.rate(line.vat_rate, lang),
        "net": fmt.amount(line.net_amount, currency, lang),
    }


def _totals(document: DocumentData, labels: _Labels) -> list[dict[str, Any]]:
    lang, currency, totals = document.language, document.currency, document.totals

    def row(label: list[str], value: Decimal) -> dict[str, Any]:
        return {"label": label, "value": fmt.money(value, currency, lang)}

    rows = []
    if totals.allowance_total or totals.charge_total:
        rows.append(row(labels.pair("line_net_total"), totals.line_net_total))
        if totals.allowance_total:
            rows.append(row(labels.pair("allowance"), -totals.allowance_total))
        if totals.charge_total:
            rows.append(row(labels.pair("charge"), totals.charge_total))
    rows.append(row(labels.pair("tax_exclusive"), totals.tax_exclusive))
    rows.append(row(labels.pair("tax_total"), totals.tax_total))
    rows.append(row(labels.pair("tax_inclusive"), totals.tax_inclusive))
    for advance in document.advances:
        when = fmt.date(advance.issue_date, lang) if advance.issue_date else ""
        rows.append(row(labels.pair("advance", number=advance.number, date=when), -advance.amount))
    settled = sum((advance.amount for advance in document.advances), Decimal(0))
    if totals.prepaid and totals.prepaid != settled:
        rows.append(row(labels.pair("prepaid"), -(totals.prepaid - settled)))
    if totals.rounding:
        rows.append(row(labels.pair("rounding"), totals.rounding))
    return rows


def _due(document: DocumentData, labels: _Labels) -> dict[str, Any]:
    key = {"credit_note": "amount_credited", "estimate": "estimate_total"}.get(document.document_type, "amount_due")
    return {
        "label": labels.pair(key),
        "value": fmt.money(document.totals.payable, document.currency, document.language),
    }


def _payment(document: DocumentData, labels: _Labels) -> dict[str, Any] | None:
    if document.document_type in ("credit_note", "estimate") or not document.bank_accounts:
        return None
    lang = document.language
    rows: list[dict[str, Any]] = []
    for account in document.bank_accounts:
        if account.bank_name:
            rows.append({"label": labels.pair("bank"), "value": account.bank_name})
        rows.append({"label": labels.pair("iban"), "value": _spaced_iban(account.iban)})
        if account.bic:
            rows.append({"label": labels.pair("bic"), "value": account.bic})
    if document.variable_symbol:
        rows.append({"label": labels.pair("variable_symbol"), "value": document.variable_symbol})
    if document.payment_reference:
        rows.append({"label": labels.pair("payment_reference"), "value": document.payment_reference})
    if document.due_date:
        rows.append({"label": labels.pair("due_date"), "value": fmt.date(document.due_date, lang)})
    return {"rows": rows, "qr": document.payment_qr_svg if not document.is_paid else ""}


def _spaced_iban(iban: str) -> str:
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _notices(document: DocumentData, labels: _Labels) -> list[list[str]]:
    notices = []
    if document.document_type == "proforma":
        notices.append(labels.pair("proforma_notice"))
    if document.document_type == "estimate":
        notices.append(labels.pair("estimate_notice"))
    if document.is_test:
        notices.append(labels.pair("test_notice"))
    return notices


def _corrects(document: DocumentData, labels: _Labels) -> list[str] | None:
    if document.corrected is None:
        return None
    when = fmt.date(document.corrected.issue_date, document.language) if document.corrected.issue_date else ""
    return labels.pair("corrects", number=document.corrected.number, date=when)


def _legal(document: DocumentData, labels: _Labels) -> list[list[str]]:
    categories = [line.vat_category for line in document.lines]
    categories += [ac.vat_category for ac in document.allowances_charges]
    keys = [key for category, key in _LEGAL_BY_CATEGORY.items() if category in categories]
    if not document.seller.vat_id and not document.seller_vat_registered:
        keys.append("legal_not_vat_registered")
    wordings = [labels.pair(key) for key in keys]
    wordings += [[note, ""] for note in document.legal_notes]
    return wordings

"""Realistic sample documents: previews, checks of sellers' templates, snapshots and tests.

Totals come from the core's ``compute_totals``, so a sample adds up exactly
as an issued document would. The buyer is Slovak for Slovak and Czech
documents (variable symbol, IČ DPH), Romanian otherwise.

>>> doc = sample_document("invoice", "de")
>>> doc.number, str(doc.totals.payable), doc.currency
('FA2026-00042', '740.93', 'EUR')
>>> sample_document("credit_note", "en").lines[0].quantity < 0
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from faktura.core.totals import LineInput, compute_totals
from faktura.core.vat import VatCategory
from faktura.pdf.document import Advance, BankAccount, DocumentData, Line, Party, Reference, Totals, VatRow

D = Decimal

SELLER = Party(
    name="Casa Verde Comerț SRL",
    trade_name="Casa Verde",
    street="Strada Aviatorilor 12",
    city="București",
    postal_code="011853",
    country="RO",
    vat_id="RO18547290",
    registration_number="J40/1234/2020",
    email="facturi@casaverde.ro",
    phone="+40 21 555 0142",
)

BUYER = Party(
    name="Zelená Záhrada s.r.o.",
    street="Obchodná 44",
    city="Bratislava",
    postal_code="811 06",
    country="SK",
    vat_id="SK2020312345",
    registration_number="36 123 456",
    email="nakup@zelena-zahrada.sk",
)

_LINES = (
    ("Ceramic planter, terracotta, Ø 32 cm", "Hand-glazed", "PL-32-TC", D(12), "H87", D("24.90"), D(0)),
    ("Olive tree (Olea europaea), 1.2 m", "", "OL-120", D(3), "H87", D("149.00"), D("30.00")),
    ("Garden design consultation", "On site, Bratislava", "", D("2.5"), "HUR", D("85.00"), D(0)),
    ("Organic compost, 40 l", "", "CP-40", D(10), "H87", D("11.45"), D(0)),
)

_TITLES = {
    "invoice": "FA2026-00042",
    "proforma": "PF2026-00017",
    "credit_note": "CN2026-00003",
    "estimate": "OF2026-00108",
}


def sample_document(
    document_type: str = "invoice",
    language: str = "en",
    *,
    category: VatCategory = VatCategory.STANDARD,
    rate: Decimal = D("19"),  # noqa: B008 - a Decimal is immutable
    currency: str = "EUR",
) -> DocumentData:
    """A sample document of ``document_type`` in ``language``, all lines in one VAT category."""
    credit = document_type == "credit_note"
    sign = D(-1) if credit else D(1)
    rate = rate if category.is_taxed else D(0)
    inputs = [
        LineInput(quantity=qty * sign, unit_price=price, vat_category=category, vat_rate=rate, discount=disc * sign)
        for _, _, _, qty, _, price, disc in _LINES
    ]
    advance = D("500.00") if document_type == "invoice" else D(0)
    totals = compute_totals(inputs, currency=currency, prepaid=advance)
    lines = tuple(
        Line(
            name=name,
            description=description,
            sku=sku,
            quantity=qty * sign,
            unit=unit,
            net_unit_price=result.net_unit_price,
            discount=result.net_discount,
            vat_category=category.value,
            vat_rate=rate,
            net_amount=result.net_amount,
        )
        for (name, description, sku, qty, unit, _, _), result in zip(_LINES, totals.lines, strict=True)
    )
    issue = dt.date(2026, 3, 14)
    return DocumentData(
        document_type=document_type,
        number=_TITLES.get(document_type, "FA2026-00042"),
        issue_date=issue,
        issued_at=dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC),
        supply_date=dt.date(2026, 3, 12),
        due_date=None if credit else issue + dt.timedelta(days=14 if document_type != "estimate" else 30),
        order_number="WEB-100234",
        seller=SELLER,
        buyer=BUYER,
        currency=currency,
        language=language,
        lines=lines,
        vat_breakdown=tuple(
            VatRow(row.vat_category.value, row.vat_rate, row.taxable_amount, row.tax_amount) for row in totals.breakdown
        ),
        totals=Totals(
            line_net_total=totals.line_net_total,
            allowance_total=totals.allowance_total,
            charge_total=totals.charge_total,
            tax_exclusive=totals.tax_exclusive,
            tax_total=totals.tax_total,
            tax_inclusive=totals.tax_inclusive,
            prepaid=totals.prepaid,
            rounding=totals.rounding,
            payable=totals.payable,
        ),
        bank_accounts=(BankAccount(iban="RO49AAAA1B31007593840000", bic="BTRLRO22", bank_name="Banca Transilvania"),),
        variable_symbol="202600042" if language in ("sk", "cs") else "",
        payment_reference="FA2026-00042",
        note="Thank you for your order! Plants are delivered in recyclable packaging.",
        advances=(Advance("PF2026-00017", dt.date(2026, 3, 2), advance),) if advance else (),
        corrected=Reference("FA2026-00042", dt.date(2026, 3, 14)) if credit else None,
    )


def with_language(document: DocumentData, language: str) -> DocumentData:
    return replace(document, language=language)


def sample_logo() -> bytes:
    """A PNG logo for the sample seller, drawn by the compiler itself (same bytes every time)."""
    import typst

    from faktura.pdf.engine import FONTS_DIR

    source = b"""#set page(width: auto, height: auto, margin: 0pt, fill: none)
#set text(font: "Inter", weight: "bold", size: 30pt, fill: rgb("#166534"))
#box(baseline: 25%, circle(radius: 16pt, fill: rgb("#16a34a"),
  align(center + horizon, text(fill: white, size: 20pt)[CV])))
#h(6pt) Casa Verde"""
    fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(FONTS_DIR)])
    return typst.compile(source, format="png", ppi=300, font_paths=fonts, ignore_system_fonts=True)

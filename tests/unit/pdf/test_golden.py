"""Golden tests: render each built-in template in each language, extract the text, find every art. 226 field.

Expected figures are written out by hand per language (not computed with the
code under test): German and Romanian group thousands with a dot, the Slavic
languages and Hungarian with a space, English with a comma.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

import pypdf
import pytest

from faktura.core.vat import VatCategory
from faktura.pdf import AllowanceCharge, Layout, Template, render
from faktura.pdf.labels import catalog
from faktura.pdf.sample import sample_document

LANGUAGES = ("ro", "sk", "hu", "cs", "en", "de", "pl")

# The sample invoice: net 1042.80, VAT 19 % 198.13, gross 1240.93, advance 500.00, due 740.93.
NET = {
    "ro": "1.042,80", "de": "1.042,80", "en": "1,042.80",
    "sk": "1 042,80", "cs": "1 042,80", "pl": "1 042,80", "hu": "1 042,80",
}  # fmt: skip
GROSS = {
    "ro": "1.240,93", "de": "1.240,93", "en": "1,240.93",
    "sk": "1 240,93", "cs": "1 240,93", "pl": "1 240,93", "hu": "1 240,93",
}  # fmt: skip
VAT = {"en": "198.13"}
RATE = {"ro": "19 %", "sk": "19 %", "cs": "19 %", "de": "19 %", "en": "19%", "pl": "19%", "hu": "19%"}
ISSUE = {
    "ro": "14.03.2026", "sk": "14. 3. 2026", "hu": "2026. 03. 14.", "cs": "14. 3. 2026",
    "en": "14 Mar 2026", "de": "14.03.2026", "pl": "14.03.2026",
}  # fmt: skip
SUPPLY = {
    "ro": "12.03.2026", "sk": "12. 3. 2026", "hu": "2026. 03. 12.", "cs": "12. 3. 2026",
    "en": "12 Mar 2026", "de": "12.03.2026", "pl": "12.03.2026",
}  # fmt: skip
DUE = {
    "ro": "28.03.2026", "sk": "28. 3. 2026", "hu": "2026. 03. 28.", "cs": "28. 3. 2026",
    "en": "28 Mar 2026", "de": "28.03.2026", "pl": "28.03.2026",
}  # fmt: skip
DISCOUNT = {"en": "30.00"}
UNIT_PRICE = {"en": "149.00"}


def text_of(pdf: bytes) -> str:
    """The PDF's text with no-break spaces as spaces and runs of blanks collapsed."""
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", raw)


def comma(value: str, lang: str) -> str:
    return value if lang == "en" else value.replace(".", ",")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_invoice_carries_every_art_226_field_formatted_in_its_language(lang: str) -> None:
    document = sample_document("invoice", lang)
    labels = catalog(lang)

    text = text_of(render(document, Template.builtin("invoice")))

    # (1) issue date, (2) sequential number, (7) date of supply
    assert labels["invoice"] in text
    assert document.number in text
    assert f"{ISSUE[lang]}" in text
    assert SUPPLY[lang] in text
    assert DUE[lang] in text
    # (3), (4) VAT ids; (5) names and addresses
    for party in (document.seller, document.buyer):
        assert party.name in text
        assert party.street in text
        assert party.city in text
        assert party.vat_id in text
    assert labels["vat_id"] in text
    # (6) quantity and nature of the goods / services
    for line in document.lines:
        assert line.name in text
    assert f"2{',' if lang != 'en' else '.'}5 {labels['unit_HUR']}" in text
    assert f"12 {labels['unit_H87']}" in text
    # (8) unit price and discount
    assert comma(UNIT_PRICE["en"], lang) in text
    assert comma(DISCOUNT["en"], lang) in text
    # (9), (10) VAT rate, taxable amount and VAT per rate; totals
    assert RATE[lang] in text
    assert NET[lang] in text
    assert comma(VAT["en"], lang) in text
    assert GROSS[lang] in text
    # advance paid on a proforma, the amount due and how to pay it
    assert "PF2026-00017" in text
    assert comma("740.93", lang) in text
    assert labels["amount_due"] in text
    assert "RO49 AAAA 1B31 0075 9384 0000" in text
    assert "BTRLRO22" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_money_carries_the_currency_as_the_locale_writes_it(lang: str) -> None:
    expected = {
        "de": "1.240,93 €", "ro": "1.240,93 EUR", "en": "€1,240.93", "sk": "1 240,93 €",
        "cs": "1 240,93 €", "pl": "1 240,93 €", "hu": "1 240,93 EUR",
    }  # fmt: skip

    text = text_of(render(sample_document("invoice", lang), Template.builtin("invoice")))

    assert expected[lang] in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_proforma_says_it_is_not_a_tax_document(lang: str) -> None:
    text = text_of(render(sample_document("proforma", lang), Template.builtin("proforma")))

    assert catalog(lang)["proforma_notice"] in text
    assert catalog(lang)["proforma"] in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_credit_note_names_the_corrected_invoice_and_its_date(lang: str) -> None:
    document = sample_document("credit_note", lang)

    text = text_of(render(document, Template.builtin("credit_note")))

    corrects = catalog(lang)["corrects"].replace("{number}", "FA2026-00042").replace("{date}", ISSUE[lang])
    assert corrects in text
    assert "-" + NET[lang] in text
    assert catalog(lang)["amount_credited"] in text
    assert "IBAN" not in text  # nothing to pay


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_estimate_says_until_when_it_is_valid_and_is_not_a_tax_document(lang: str) -> None:
    text = text_of(render(sample_document("estimate", lang), Template.builtin("estimate")))

    assert catalog(lang)["estimate"] in text
    assert catalog(lang)["valid_until"].upper() in text  # captions are set in capitals
    assert catalog(lang)["estimate_notice"] in text


@pytest.mark.parametrize(
    ("category", "key"),
    [
        (VatCategory.REVERSE_CHARGE, "legal_reverse_charge"),
        (VatCategory.INTRA_EU, "legal_intra_eu"),
        (VatCategory.EXPORT, "legal_export"),
        (VatCategory.OSS, "legal_oss"),
        (VatCategory.EXEMPT, "legal_exempt"),
    ],
    ids=["reverse-charge", "intra-eu", "export", "oss", "exempt"],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_legal_wording_of_the_vat_category_is_printed(category: VatCategory, key: str, lang: str) -> None:
    document = sample_document("invoice", lang, category=category, rate=Decimal(20))

    text = text_of(render(document, Template.builtin("invoice")))

    assert re.sub(r"\s+", " ", catalog(lang)[key]) in re.sub(r"\s+", " ", text)


def test_a_standard_rated_invoice_has_no_exemption_wording() -> None:
    text = text_of(render(sample_document("invoice", "en"), Template.builtin("invoice")))

    assert "Directive 2006/112/EC" not in text


def test_a_bilingual_document_prints_labels_in_both_languages() -> None:
    document = sample_document("invoice", "sk")

    text = text_of(render(document, Template.builtin("invoice", Layout(second_language="de"))))

    assert "Faktúra" in text
    assert "Rechnung" in text
    assert "K úhrade\nZahlbetrag" in text
    assert "1 042,80" in text  # figures stay in the document's language


def test_a_slovak_invoice_shows_the_variable_symbol() -> None:
    text = text_of(render(sample_document("invoice", "sk"), Template.builtin("invoice")))

    assert "Variabilný symbol 202600042" in text


def test_countries_are_named_in_the_document_language() -> None:
    text = text_of(render(sample_document("invoice", "de"), Template.builtin("invoice")))

    assert "Rumänien" in text
    assert "Slowakei" in text


def test_document_level_discounts_and_charges_are_listed_with_their_reason_and_rate() -> None:
    document = sample_document("invoice", "de")
    totals = replace(document.totals, allowance_total=Decimal("50.00"), charge_total=Decimal("9.90"))
    document = replace(
        document,
        totals=totals,
        allowances_charges=(
            AllowanceCharge(False, "Spring voucher", Decimal("50.00"), "standard", Decimal(19)),
            AllowanceCharge(True, "Shipping", Decimal("9.90"), "standard", Decimal(19)),
        ),
    )

    text = text_of(render(document, Template.builtin("invoice")))

    assert "Rabatt — Spring voucher" in text
    assert "Zuschlag — Shipping" in text
    assert "-50,00 €" in text
    assert "Summe Positionen" in text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["invoice", "proforma", "credit_note", "estimate"])
def test_every_template_carries_the_parties_lines_and_vat_per_rate_in_every_language(kind: str, lang: str) -> None:
    document = sample_document(kind, lang)

    text = text_of(render(document, Template.builtin(kind)))

    assert document.number in text
    assert ISSUE[lang] in text
    for party in (document.seller, document.buyer):
        for value in (party.name, party.street, party.city, party.postal_code, party.vat_id):
            assert value, f"the sample {kind} has no {value!r}"
            assert value in text, f"{kind}/{lang}: {value!r} missing"
    for line in document.lines:
        assert line.name in text
    assert RATE[lang] in text
    assert NET[lang] in text
    assert comma(VAT["en"], lang) in text
    assert GROSS[lang] in text

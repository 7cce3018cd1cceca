"""PDF/A-3b output: identification, embedded subset fonts, an attachment slot, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
from dataclasses import replace

import pypdf

from faktura.pdf import Attachment, Layout, Template, render
from faktura.pdf.sample import sample_document

FACTUR_X = '<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:x"/>'


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def xmp(pdf: bytes) -> str:
    return reader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_the_pdf_declares_pdf_a_3b() -> None:
    metadata = xmp(render(sample_document("invoice", "en"), Template.builtin("invoice")))

    assert re.search(r"<pdfaid:part>3</pdfaid:part>", metadata)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>", metadata)


def test_every_font_is_embedded_as_a_subset() -> None:
    pdf = render(
        sample_document(
            "invoice",
            "pl",
        ),
        Template.builtin("invoice"),
    )

    fonts = []
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts.append((str(font["/BaseFont"]), any(key.startswith("/FontFile") for key in descriptor)))
    assert fonts
    assert all(embedded for _, embedded in fonts)
    assert all(re.match(r"/[A-Z]{6}\+Inter", name) for name, _ in fonts)


def test_the_serif_font_choice_uses_the_compilers_own_font() -> None:
    pdf = render(sample_document("invoice", "ro"), Template.builtin("invoice", Layout(font="libertinus")))

    names = {str(f.get_object()["/BaseFont"]) for p in reader(pdf).pages for f in p["/Resources"]["/Font"].values()}
    assert any("Libertinus" in name for name in names)


def test_an_xml_attachment_is_embedded_with_its_relationship() -> None:
    document = replace(
        sample_document("invoice", "de"),
        attachments=(Attachment("factur-x.xml", FACTUR_X, description="Factur-X invoice"),),
    )

    pdf = render(document, Template.builtin("invoice"))

    pdf_reader = reader(pdf)
    assert pdf_reader.attachments["factur-x.xml"] == [FACTUR_X.encode()]
    [spec] = pdf_reader.trailer["/Root"]["/AF"]
    assert spec.get_object()["/AFRelationship"] == "/Alternative"


def test_the_creation_date_is_the_instant_of_issue_not_the_time_of_rendering() -> None:
    document = replace(sample_document("invoice", "en"), issued_at=dt.datetime(2026, 3, 14, 10, 30, tzinfo=dt.UTC))

    info = reader(render(document, Template.builtin("invoice"))).metadata

    assert info is not None
    assert info["/CreationDate"] == "D:20260314103000Z"


def test_text_is_extractable_with_its_diacritics() -> None:
    text = reader(render(sample_document("invoice", "ro"), Template.builtin("invoice"))).pages[0].extract_text()

    assert "Casa Verde Comerț SRL" in text
    assert "Zelená Záhrada s.r.o." in text


def test_a_fresh_process_renders_the_same_bytes() -> None:
    document = sample_document("proforma", "hu")
    here = hashlib.sha256(render(document, Template.builtin("proforma"))).hexdigest()
    script = (
        "import hashlib;from faktura.pdf import render, Template;from faktura.pdf.sample import sample_document;"
        "print(hashlib.sha256(render(sample_document('proforma','hu'), Template.builtin('proforma'))).hexdigest())"
    )

    there = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()

    assert there == here


def test_different_documents_give_different_bytes() -> None:
    first = render(sample_document("invoice", "en"), Template.builtin("invoice"))
    other = render(replace(sample_document("invoice", "en"), number="FA2026-00043"), Template.builtin("invoice"))

    assert first != other

"""PNG snapshots of the built-in templates (docs/templates/*.png), made with poppler's pdftoppm.

The PNGs are what a person looks at when changing a template; this test keeps
them true. After an intended change, regenerate them and look at them::

    FAKTURA_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/unit/pdf/test_snapshots.py

pdftoppm comes from Debian's poppler-utils (``apt-get install poppler-utils``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from faktura.core.vat import VatCategory
from faktura.pdf import Layout, Template, render
from faktura.pdf.document import DocumentData
from faktura.pdf.qr import with_payment_qr
from faktura.pdf.sample import SELLER, sample_document, sample_logo

DOCS = Path(__file__).resolve().parents[3] / "docs" / "templates"
PPI = "60"


def cases() -> dict[str, tuple[DocumentData, Template]]:
    logo = sample_logo()
    green = Layout(
        accent="#15803d",
        logo=logo,
        footer="Casa Verde Comerț SRL · share capital 200 RON · registered at ONRC Bucharest",
    )
    reverse_charge = sample_document("credit_note", "sk", category=VatCategory.REVERSE_CHARGE)
    return {
        "invoice": (with_payment_qr(sample_document("invoice", "en")), Template.builtin("invoice", green)),
        "invoice-de-bilingual": (
            sample_document("invoice", "de"),
            Template.builtin("invoice", Layout(second_language="en")),
        ),
        "proforma": (
            with_payment_qr(replace(sample_document("proforma", "ro"), buyer=replace(SELLER, name="Ion Popescu PFA"))),
            Template.builtin("proforma", Layout(accent="#7c3aed")),
        ),
        "credit_note": (reverse_charge, Template.builtin("credit_note", Layout(accent="#b91c1c"))),
        "estimate": (
            replace(sample_document("estimate", "pl"), note="Oferta ważna 30 dni. Ceny netto."),
            Template.builtin("estimate", Layout(font="libertinus", accent="#0f766e")),
        ),
    }


def png_of(pdf: bytes, tmp_path: Path) -> bytes:
    assert shutil.which("pdftoppm"), "pdftoppm is missing: apt-get install poppler-utils"
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    command = ["pdftoppm", "-png", "-r", PPI, "-f", "1", "-l", "1", "-singlefile", str(source), str(tmp_path / "page")]
    subprocess.run(command, check=True)
    return (tmp_path / "page.png").read_bytes()


@pytest.mark.parametrize("name", list(cases()))
def test_the_snapshot_of_the_template_is_up_to_date(name: str, tmp_path: Path) -> None:
    document, template = cases()[name]
    png = png_of(render(document, template), tmp_path)
    snapshot = DOCS / f"{name}.png"

    if os.environ.get("FAKTURA_UPDATE_SNAPSHOTS"):
        snapshot.write_bytes(png)
    assert snapshot.is_file(), f"no snapshot {snapshot}; run with FAKTURA_UPDATE_SNAPSHOTS=1 and look at it"
    assert png == snapshot.read_bytes(), f"{name} looks different: regenerate with FAKTURA_UPDATE_SNAPSHOTS=1"

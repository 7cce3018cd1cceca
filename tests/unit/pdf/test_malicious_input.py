"""Buyer-entered text is data: Typst markup, file reads and imports print as plain text, and nothing
outside the template root is ever read (a canary file proves it)."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from faktura.pdf import Layout, RenderError, Template, TypstEngine, render
from faktura.pdf.engine import FONTS_DIR, TEMPLATES_DIR
from faktura.pdf.sample import sample_document

CANARY = "CANARY-7f3a9c1e-do-not-print"


def text_of(pdf: bytes) -> str:
    """The PDF's text without any white space (long values wrap anywhere)."""
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return squeeze(raw)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A file outside the template root whose content must never reach a PDF."""
    path = tmp_path / "canary.txt"
    path.write_text(CANARY)
    return path


def hostile(canary: Path) -> list[str]:
    return [
        f'#read("{canary}")',
        '#read("/etc/passwd")',
        '#import "/etc/passwd"',
        '#image("/etc/passwd")',
        '#include "../../../../etc/passwd"',
        '#import "@preview/cetz:0.3.0"',
        "*bold* _emph_ $x^2$ = Heading",
        "#set page(width: 10000cm) #let x = 1 #for i in range(999999999) { i }",
        '"); #read("/etc/passwd") //',
        '] #read("/etc/passwd") [',
        '\\#read("/etc/passwd") <label> @ref `raw`',
    ]


@pytest.mark.parametrize("index", range(11))
def test_a_buyer_name_with_typst_code_prints_as_exactly_that_text(index: int, canary: Path) -> None:
    name = hostile(canary)[index]
    document = sample_document("invoice", "en")
    document = replace(document, buyer=replace(document.buyer, name=name))

    text = text_of(render(document, Template.builtin("invoice")))

    assert squeeze(name) in text
    assert CANARY not in text
    assert "root:x:0:0" not in text


def test_notes_lines_and_footer_with_markup_print_as_plain_text(canary: Path) -> None:
    evil = hostile(canary)
    document = sample_document("invoice", "en")
    document = replace(
        document,
        note=" ".join(evil),
        title=evil[0],
        order_number=evil[3],
        lines=(replace(document.lines[0], name=evil[1], description=evil[2], sku=evil[4]), *document.lines[1:]),
        legal_notes=(evil[5],),
        seller=replace(document.seller, street=evil[0], email=evil[8]),
    )

    pdf = render(document, Template.builtin("invoice", Layout(footer=evil[1])))
    text = text_of(pdf)

    for snippet in evil:
        assert squeeze(snippet) in text
    assert CANARY not in text
    assert CANARY.encode() not in pdf
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 2  # no page size or loop came from the data


def test_a_template_cannot_read_a_file_outside_its_root(tmp_path: Path, canary: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(TEMPLATES_DIR, root)
    engine = TypstEngine(root=root, fonts_dir=FONTS_DIR)
    document = sample_document("invoice", "en")

    for path in ("../canary.txt", str(canary), "/../canary.txt"):
        source = f'#read("{path}")'
        with pytest.raises(RenderError) as refused:
            engine.render(document, Template(source=source, layout=Layout()))
        assert CANARY not in refused.value.message


def test_a_template_inside_the_root_can_still_read_its_own_files(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(TEMPLATES_DIR, root)
    (root / "inside.txt").write_text("inside the root")
    engine = TypstEngine(root=root, fonts_dir=FONTS_DIR)

    pdf = engine.render(sample_document("invoice", "en"), Template(source='#read("inside.txt")', layout=Layout()))

    assert "insidetheroot" in text_of(pdf)  # so the refusals above are the root's doing


def test_a_package_import_is_refused_without_a_download() -> None:
    with pytest.raises(RenderError, match="package"):
        render(sample_document("invoice", "en"), Template(source='#import "@local/x:0.1.0": *', layout=Layout()))


def test_the_template_root_holds_no_link_to_elsewhere() -> None:
    assert [p for p in TEMPLATES_DIR.rglob("*") if p.is_symlink()] == []


def test_a_very_long_line_name_wraps_and_flows_onto_more_pages() -> None:
    document = sample_document("invoice", "en")
    long_lines = tuple(replace(document.lines[0], name="Planter " * 40) for _ in range(60))
    document = replace(document, lines=long_lines)

    pages = pypdf.PdfReader(io.BytesIO(render(document, Template.builtin("invoice")))).pages

    assert 2 <= len(pages) <= 20
    assert "Page 2 of" in pages[1].extract_text()

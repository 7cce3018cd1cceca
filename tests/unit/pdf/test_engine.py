"""The engine interface: a document and a template in, deterministic PDF/A-3b bytes out."""

from __future__ import annotations

import io

import pypdf
import pytest

from faktura.pdf import BUILTIN_TEMPLATES, Layout, RenderError, Template, TypstEngine, render
from faktura.pdf.sample import sample_document


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("name", BUILTIN_TEMPLATES)
def test_every_builtin_template_renders_its_document_as_pdf(name: str) -> None:
    pdf = render(sample_document(name, "en"), Template.builtin(name))

    assert pdf.startswith(b"%PDF-")
    assert sample_document(name, "en").number in text_of(pdf)


def test_the_same_document_gives_the_same_bytes_in_a_fresh_engine() -> None:
    document = sample_document("invoice", "de")

    first = render(document, Template.builtin("invoice"))
    again = TypstEngine().render(document, Template.builtin("invoice"))

    assert first == again


def test_a_template_that_does_not_compile_fails_with_the_compilers_reason() -> None:
    template = Template(source="#let d = json(bytes(sys.inputs.data))\n#d.nope", layout=Layout())

    with pytest.raises(RenderError, match="nope"):
        render(sample_document("invoice", "en"), template)

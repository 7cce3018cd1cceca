"""Sellers' own templates: checked and rendered in the sandbox, with the built-in blocks at hand.

A custom template is compiled by ``faktura.pdf.sandbox`` in a separate process
with time and memory limits. It gets the same data as the built-in templates
(``sys.inputs.data``, see ``faktura.pdf.view``) and ``lib.typ``, so it can
reuse any building block::

    #import "lib.typ": *
    #let d = json(bytes(sys.inputs.data))
    #render(d)

Output is PDF/A-3b with the document's issue time as creation date, like the
built-in templates.
"""

from __future__ import annotations

from faktura.pdf import sandbox
from faktura.pdf.document import DocumentData
from faktura.pdf.engine import FONTS_DIR, PDF_STANDARD, PREVIEW_PPI, TEMPLATES_DIR, compiler_inputs, creation_time
from faktura.pdf.errors import RenderError
from faktura.pdf.sample import sample_document
from faktura.pdf.template import Layout

LIBRARY = "lib.typ"


def inputs_for(document: DocumentData, layout: Layout) -> dict[str, str]:
    """The compiler's ``sys.inputs``, the same as for the built-in templates."""
    return compiler_inputs(document, layout)


def _assets() -> dict[str, bytes]:
    return {LIBRARY: (TEMPLATES_DIR / LIBRARY).read_bytes()}


def check_custom(source: str, document_type: str, language: str) -> bytes | None:
    """Compile ``source`` against a sample document; ``TemplateRefused`` says why it cannot be saved.

    Returns a PNG preview of the first page when the sandbox made one.
    """
    compiled = sandbox.validate_custom_template(
        source,
        inputs=inputs_for(sample_document(document_type, language), Layout()),
        assets=_assets(),
        font_paths=[FONTS_DIR],
    )
    return compiled.preview_png


def render_custom(document: DocumentData, source: str, layout: Layout) -> bytes:
    """Render ``document`` with a seller's template, in the sandbox, as PDF/A-3b."""
    try:
        compiled = sandbox.compile_custom_template(
            source,
            inputs=inputs_for(document, layout),
            assets=_assets(),
            font_paths=[FONTS_DIR],
            pdf_standards=[PDF_STANDARD],
            timestamp=int(creation_time(document).timestamp()),
        )
    except sandbox.TemplateRefused as error:
        raise RenderError(error.message, field="template") from None
    return compiled.pdf


def preview_custom(document: DocumentData, source: str, layout: Layout) -> bytes:
    """The first page of ``document`` rendered with a seller's template, as a PNG, in the sandbox."""
    try:
        compiled = sandbox.compile_custom_template(
            source,
            inputs=inputs_for(document, layout),
            assets=_assets(),
            font_paths=[FONTS_DIR],
            limits=sandbox.Limits(preview_ppi=PREVIEW_PPI),
            preview=True,
            timestamp=int(creation_time(document).timestamp()),
        )
    except sandbox.TemplateRefused as error:
        raise RenderError(error.message, field="template") from None
    if not compiled.preview_png:
        raise RenderError("the template made no page to preview", field="template")
    return compiled.preview_png

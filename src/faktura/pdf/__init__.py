"""Document PDFs: the engine interface, the built-in templates and their data.

Use::

    from faktura.pdf import DocumentData, Layout, Template, render
    pdf: bytes = render(document, Template.builtin("invoice", Layout(accent="#0f766e")))

* ``document`` (``faktura.pdf.document``): plain typed data built by the apps;
* ``view`` formats it in the document's language with Babel and labels from
  the gettext catalogs in ``locale/`` (``labels``);
* ``engine`` compiles ``templates/<name>.typ`` (or a seller's source) with
  Typst, the data passed as JSON in ``sys.inputs``, to deterministic PDF/A-3b;
* ``sample`` gives realistic sample documents for previews and template checks.

This package never imports Django: the apps call it (see
``faktura.apps.invoicing.services.rendering``).
"""

from faktura.pdf.document import (
    Advance,
    AllowanceCharge,
    Attachment,
    BankAccount,
    DocumentData,
    Line,
    Party,
    Reference,
    Totals,
    VatRow,
)
from faktura.pdf.engine import PdfEngine, TypstEngine, default_engine, render
from faktura.pdf.errors import RenderError
from faktura.pdf.template import BUILTIN_TEMPLATES, FONTS, Layout, Template

__all__ = [
    "BUILTIN_TEMPLATES",
    "FONTS",
    "Advance",
    "AllowanceCharge",
    "Attachment",
    "BankAccount",
    "DocumentData",
    "Layout",
    "Line",
    "Party",
    "PdfEngine",
    "Reference",
    "RenderError",
    "Template",
    "Totals",
    "TypstEngine",
    "VatRow",
    "default_engine",
    "render",
]

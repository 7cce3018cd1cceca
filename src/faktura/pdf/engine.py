"""The PDF engine behind one small interface: ``render(document, template) -> bytes``.

``TypstEngine`` compiles a template with the Typst compiler (the ``typst``
package): the compiler's root is the ``templates/`` folder, so a template can
read nothing outside it, and the document arrives as JSON in ``sys.inputs``,
never spliced into markup. Output is PDF/A-3b: fonts embedded and subset,
text extractable, files attachable (Factur-X), and deterministic: the
creation date is the document's issue time, so the same document gives the
same bytes in any process, on any day.

``render`` sends a seller's own template source to ``faktura.pdf.sandbox``
(a child process with time and memory limits); ``TypstEngine`` compiles in
this process and is for the built-in (trusted) templates.

One compiler per template is kept warm (fonts loaded once, parsed templates
cached), which is what makes a render take milliseconds. Compilers are not
shared between threads: each has a lock.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from typing import Final, Protocol

import typst

from faktura.pdf.document import DocumentData
from faktura.pdf.errors import RenderError
from faktura.pdf.template import Layout, Template
from faktura.pdf.view import document_view

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONTS_DIR = PACKAGE_DIR / "fonts"
PDF_STANDARD: Final = "a-3b"
PREVIEW_PPI: Final = 110  # an A4 page about 910 px wide: sharp in the settings page's preview pane
_CUSTOM_COMPILERS = 32  # sellers' templates kept warm, least recently used dropped first


class PdfEngine(Protocol):
    """Turns a document and a template into PDF bytes; the same input gives the same bytes."""

    def render(self, document: DocumentData, template: Template) -> bytes: ...


class TypstEngine:
    def __init__(self, *, root: Path = TEMPLATES_DIR, fonts_dir: Path = FONTS_DIR) -> None:
        self.root = root
        # Only the bundled fonts and those built into the compiler: a render looks the
        # same on every machine, whatever fonts the system has.
        self._fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(fonts_dir)])
        self._builtin: dict[str, tuple[typst.Compiler, threading.Lock]] = {}
        self._custom: OrderedDict[str, tuple[typst.Compiler, threading.Lock]] = OrderedDict()
        self._guard = threading.Lock()

    def render(self, document: DocumentData, template: Template) -> bytes:
        inputs = compiler_inputs(document, template.layout)
        compiler, lock = self._compiler(template)
        try:
            with lock:
                pdf = compiler.compile(
                    format="pdf",
                    sys_inputs=inputs,
                    pdf_standards=PDF_STANDARD,
                    timestamp=creation_time(document),
                )
        except typst.TypstError as error:
            raise RenderError(_describe(error), field="template") from None
        if not isinstance(pdf, bytes):  # a multi-page image export would be a list; PDF is one file
            raise RenderError("the compiler returned no PDF", field="template")
        return pdf

    def render_png(self, document: DocumentData, template: Template, *, ppi: int = PREVIEW_PPI) -> bytes:
        """The first page as a PNG: the settings pages show it as the live preview (any browser shows a PNG)."""
        inputs = compiler_inputs(document, template.layout)
        compiler, lock = self._compiler(template)
        try:
            with lock:
                pages = compiler.compile(format="png", ppi=float(ppi), sys_inputs=inputs)
        except typst.TypstError as error:
            raise RenderError(_describe(error), field="template") from None
        first = pages[0] if isinstance(pages, list) else pages
        if not isinstance(first, bytes) or not first:
            raise RenderError("the compiler returned no image", field="template")
        return first

    def _compiler(self, template: Template) -> tuple[typst.Compiler, threading.Lock]:
        with self._guard:
            if not template.source:
                if template.name not in self._builtin:
                    path = self.root / f"{template.name}.typ"
                    self._builtin[template.name] = (self._new(str(path)), threading.Lock())
                return self._builtin[template.name]
            key = sha256(template.source.encode()).hexdigest()
            if key in self._custom:
                self._custom.move_to_end(key)
            else:
                self._custom[key] = (self._new(template.source.encode()), threading.Lock())
                while len(self._custom) > _CUSTOM_COMPILERS:
                    self._custom.popitem(last=False)
            return self._custom[key]

    def _new(self, source: str | bytes) -> typst.Compiler:
        empty = str(self.root / ".no-packages")
        return typst.Compiler(
            source,  # type: ignore[type-var]  # the stub's TypeVar rejects a str | bytes union
            root=str(self.root),
            font_paths=self._fonts,
            ignore_system_fonts=True,
            package_path=empty,
            package_cache_path=empty,
        )


def compiler_inputs(document: DocumentData, layout: Layout) -> dict[str, str]:
    """``sys.inputs``: the document view as JSON under ``data``, the logo's bytes as a JSON array under ``logo``."""
    view = document_view(document, layout)
    inputs = {"data": json.dumps(view, ensure_ascii=False, separators=(",", ":"))}
    if layout.logo:
        inputs["logo"] = _logo_json(layout.logo)
    return inputs


@lru_cache(maxsize=64)
def _logo_json(logo: bytes) -> str:
    return json.dumps(list(logo), separators=(",", ":"))


def creation_time(document: DocumentData) -> dt.datetime:
    """The PDF's creation date: the instant of issue in UTC (midnight of the issue date if unknown)."""
    if document.issued_at is not None:
        return document.issued_at.astimezone(dt.UTC).replace(microsecond=0)
    return dt.datetime.combine(document.issue_date, dt.time(0), tzinfo=dt.UTC)


def _describe(error: typst.TypstError) -> str:
    """The compiler's message with its location (``file:line:column``) and hints."""
    parts = [str(error).strip()]
    hints = getattr(error, "hints", None) or []
    parts += [f"hint: {hint.strip()}" for hint in hints]
    return "\n".join(part for part in parts if part)


_default: TypstEngine | None = None
_default_guard = threading.Lock()


def default_engine() -> TypstEngine:
    """The process's engine, created on first use (fonts load once per process)."""
    global _default
    with _default_guard:
        if _default is None:
            _default = TypstEngine()
        return _default


def render(document: DocumentData, template: Template) -> bytes:
    """Render ``document`` with ``template``: built-in templates on the process's warm engine,
    a seller's own source in the sandbox (a child process with time and memory limits).

    ``TypstEngine.render`` compiles any source in this process: keep that for trusted ones.
    """
    if template.source:
        from faktura.pdf.custom import render_custom  # custom imports this module

        return render_custom(document, template.source, template.layout)
    return default_engine().render(document, template)

"""The stored PDFs of a selection of documents, one at a time, for the ZIP and the merged PDF.

A document whose PDF has not been rendered yet (its render task has not run,
or the file went missing from storage) is rendered first through the
invoicing service, as sending an email does; a draft has no PDF and is left
out. Whatever is left out is kept in ``skipped`` with the reason, for the
job's page and a note inside the ZIP.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from faktura.apps.exports.pdfmerge import MergeInput
from faktura.apps.exports.zipstream import ZipMember
from faktura.apps.invoicing.selectors import DocumentFile, document_files
from faktura.apps.invoicing.services.rendering import document_render
from faktura.core.errors import FakturaError
from faktura.pdf.errors import RenderError

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

logger = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass
class Skipped:
    number: str
    reason: str


@dataclass
class DocumentPdfs:
    """Iterates ``(document, pdf bytes)``; ``progress(done)`` is called after each document."""

    organization: Organization
    document_ids: list[int]
    progress: Callable[[int], None] | None = None
    skipped: list[Skipped] = field(default_factory=list)
    done: int = 0

    def __iter__(self) -> Iterator[tuple[DocumentFile, bytes]]:
        for document in document_files(organization=self.organization, document_ids=self.document_ids):
            data = self._read(document)
            if data is not None:
                yield document, data
            self.done += 1
            if self.progress is not None:
                self.progress(self.done)

    def _read(self, document: DocumentFile) -> bytes | None:
        label = document.number or f"#{document.id}"
        if document.status == "draft":
            self.skipped.append(Skipped(label, _("a draft has no PDF")))
            return None
        name = document.pdf_name
        try:
            if not (name and document.pdf_sha256 and default_storage.exists(name)):
                name = document_render(document_id=document.id).pdf.name or ""
            with default_storage.open(name, "rb") as stored:
                data: bytes = stored.read()
        except (FakturaError, RenderError) as error:
            self.skipped.append(Skipped(label, _("the PDF could not be made: %(reason)s") % {"reason": error}))
            return None
        except OSError:
            logger.exception("export: cannot read the PDF of document %s", document.id)
            self.skipped.append(Skipped(label, _("the stored PDF cannot be read")))
            return None
        return data

    def unreadable(self, item: MergeInput, reason: str) -> None:
        """For ``merged_pdf``: a stored file that is not a PDF it can copy."""
        self.skipped.append(Skipped(item.title, _("the PDF cannot be merged: %(reason)s") % {"reason": reason}))


def pdf_name(number: str, taken: set[str]) -> str:
    """``FA2026-001.pdf``; the same name twice gets ``-2``, ``-3``...

    >>> taken = set()
    >>> pdf_name("FA/2026/1", taken), pdf_name("FA/2026/1", taken)
    ('FA_2026_1.pdf', 'FA_2026_1-2.pdf')
    """
    stem = _UNSAFE.sub("_", number).strip("._") or "document"
    name, counter = f"{stem}.pdf", 1
    while name.lower() in taken:
        counter += 1
        name = f"{stem}-{counter}.pdf"
    taken.add(name.lower())
    return name


def zip_members(pdfs: DocumentPdfs) -> Iterator[ZipMember]:
    """Each PDF named by its number; a note listing what was left out, if anything was."""
    taken: set[str] = set()
    for document, data in pdfs:
        modified = timezone.localtime(document.issued_at) if document.issued_at else None
        yield ZipMember(pdf_name(document.number or str(document.id), taken), data, modified)
    if pdfs.skipped:
        yield ZipMember(pdf_name("NOT-INCLUDED", taken).replace(".pdf", ".txt"), skipped_note(pdfs.skipped))


def merge_inputs(pdfs: Iterable[tuple[DocumentFile, bytes]]) -> Iterator[MergeInput]:
    for document, data in pdfs:
        yield MergeInput(document.number or f"#{document.id}", data)


def skipped_note(skipped: list[Skipped]) -> bytes:
    lines = [_("These documents are not in this download:"), ""]
    lines += [f"{item.number}: {item.reason}" for item in skipped]
    return ("\r\n".join(lines) + "\r\n").encode()

"""One export, in any of the four formats, as a stream of bytes: the request and the worker share it.

The request streams a small selection straight into the response; the worker
writes a large one to a temporary file and then to storage. Both read the
documents in chunks and keep one document's PDF (or one table row) in memory
at a time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from django.utils import timezone

from faktura.apps.exports.files import DocumentPdfs, Skipped, merge_inputs, zip_members
from faktura.apps.exports.pdfmerge import merged_pdf
from faktura.apps.exports.tabular import columns, csv_stream, document_rows, xlsx_write
from faktura.apps.exports.zipstream import zip_stream
from faktura.apps.invoicing.selectors import documents_for_export, seller_today

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

CHUNK = 256 * 1024
FORMATS = ("zip", "pdf", "csv", "xlsx")
CONTENT_TYPES = {
    "zip": "application/zip",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
T = TypeVar("T")


@dataclass
class ExportBuild:
    organization: Organization
    export_format: str
    document_ids: list[int]
    vat_breakdown: bool = False
    progress: Callable[[int], None] | None = None
    skipped: list[Skipped] = field(default_factory=list)

    def filename(self) -> str:
        """``documents-20261204-2157.zip``, in the seller's time zone."""
        stamp = timezone.localtime(timezone=ZoneInfo(self.organization.time_zone)).strftime("%Y%m%d-%H%M")
        return f"documents-{stamp}.{self.export_format}"

    def chunks(self) -> Iterator[bytes]:
        if self.export_format in ("zip", "pdf"):
            pdfs = DocumentPdfs(self.organization, self.document_ids, progress=self.progress, skipped=self.skipped)
            if self.export_format == "zip":
                yield from zip_stream(zip_members(pdfs))
            else:
                yield from merged_pdf(merge_inputs(pdfs), title=self.filename(), unreadable=pdfs.unreadable)
            return
        header = columns(vat_breakdown=self.vat_breakdown)
        found = documents_for_export(
            organization=self.organization, document_ids=self.document_ids, vat_breakdown=self.vat_breakdown
        )
        rows = document_rows(
            self._counted(found), today=seller_today(self.organization), vat_breakdown=self.vat_breakdown
        )
        if self.export_format == "csv":
            yield from _coalesced(csv_stream(header, rows))
            return
        with tempfile.TemporaryFile() as workbook:
            xlsx_write(workbook, header, rows)
            workbook.seek(0)
            while chunk := workbook.read(CHUNK):
                yield chunk

    def _counted(self, items: Iterable[T]) -> Iterator[T]:
        for done, item in enumerate(items, start=1):
            yield item
            if self.progress is not None:
                self.progress(done)


def _coalesced(parts: Iterable[bytes]) -> Iterator[bytes]:
    """CSV comes a row at a time; the response and the file get it in larger pieces."""
    buffer = bytearray()
    for part in parts:
        buffer += part
        if len(buffer) >= CHUNK:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)

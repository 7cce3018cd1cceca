"""Many PDFs as one, written as a stream: memory does not grow with the number of documents.

Each input is read alone (:mod:`pdfsource`), its pages and what they reference
are written out at once under new object numbers, and only small bookkeeping
stays behind: one 8-byte offset per written object, and per document its
title and first page (for the bookmarks). The page tree has two levels, the
root over one node per document, so a page's parent is known when the page is
written. The catalog, the root, the bookmarks and the cross-reference table
come last, as PDF allows.

Bookmarks: one per document, titled with its number, opening its first page.

>>> from faktura.apps.exports.pdfsource import _tiny_pdf
>>> merged = b"".join(merged_pdf([MergeInput("A-1", _tiny_pdf()), MergeInput("A-2", _tiny_pdf())]))
>>> import io, pypdf
>>> len(pypdf.PdfReader(io.BytesIO(merged)).pages)
2
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from faktura.apps.exports.pdfsource import PdfSource, Unsupported, normalized

CHUNK = 256 * 1024


@dataclass(frozen=True)
class MergeInput:
    title: str
    data: bytes


class UnreadablePdf(Exception):
    """A stored file neither the copier nor pypdf can read."""


def merged_pdf(
    inputs: Iterable[MergeInput], *, title: str = "", unreadable: Callable[[MergeInput, str], None] | None = None
) -> Iterator[bytes]:
    """The merged file in chunks of about ``CHUNK`` bytes; ``inputs`` is consumed one at a time.

    An input that cannot be read is found out before any of its bytes are
    written: it is handed to ``unreadable`` with the reason and left out, or,
    without that callback, :class:`UnreadablePdf` is raised.
    """
    writer = _Writer()
    yield from writer.start()
    for item in inputs:
        try:
            chunks = list(writer.add(item))
        except UnreadablePdf as error:
            if unreadable is None:
                raise
            unreadable(item, str(error))
            continue
        yield from chunks
    yield from writer.finish(title)


def source_of(data: bytes) -> PdfSource:
    """The copier's view of a PDF, through pypdf when the file is not in the simple form."""
    try:
        return PdfSource.parse(data)
    except Unsupported:
        pass
    try:
        return PdfSource.parse(normalized(data))
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise UnreadablePdf(str(error) or type(error).__name__) from error


class _Writer:
    CATALOG, ROOT = 1, 2

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.position = 0
        self.offsets = array("Q", [0, 0, 0])  # object 0 is the free head; 1 catalog, 2 page tree root
        self.documents: list[int] = []  # each document's page tree node
        self.bookmarks: list[tuple[str, int]] = []
        self.page_count = 0

    def _allocate(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _write(self, data: bytes) -> Iterator[bytes]:
        self.buffer += data
        self.position += len(data)
        if len(self.buffer) >= CHUNK:
            yield bytes(self.buffer)
            self.buffer.clear()

    def _object(self, number: int, body: bytes) -> Iterator[bytes]:
        self.offsets[number] = self.position
        yield from self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def start(self) -> Iterator[bytes]:
        yield from self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def add(self, item: MergeInput) -> Iterator[bytes]:
        source = source_of(item.data)
        node = self._allocate()
        numbers: dict[int, int] = dict.fromkeys(source.tree_ids, node)
        pages = []
        for page in source.page_ids:
            numbers[page] = self._allocate()
            pages.append(numbers[page])

        def allocate(old: int) -> int:
            numbers[old] = self._allocate()
            return numbers[old]

        # Copy everything first: a damaged object raises before the document's first byte is written.
        written: list[tuple[int, bytes]] = []
        queue = list(source.page_ids)
        try:
            while queue:
                old = queue.pop()
                copied = source.copy(old, numbers.get, allocate)
                written.append((numbers[old], copied.body))
                queue.extend(copied.referenced)
        except Unsupported as error:
            del self.offsets[node:]
            raise UnreadablePdf(str(error)) from error
        for number, body in written:
            yield from self._object(number, body)
        kids = b" ".join(b"%d 0 R" % page for page in pages)
        yield from self._object(node, b"<</Type/Pages/Parent 2 0 R/Kids[%s]/Count %d>>" % (kids, len(pages)))
        self.documents.append(node)
        self.bookmarks.append((item.title, pages[0]))
        self.page_count += len(pages)

    def finish(self, title: str) -> Iterator[bytes]:
        outlines = self._allocate() if self.bookmarks else 0
        kids = b" ".join(b"%d 0 R" % node for node in self.documents)
        yield from self._object(self.ROOT, b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, self.page_count))
        if outlines:
            yield from self._outlines(outlines)
            catalog = b"<</Type/Catalog/Pages 2 0 R/Outlines %d 0 R/PageMode/UseOutlines>>" % outlines
        else:
            catalog = b"<</Type/Catalog/Pages 2 0 R>>"
        yield from self._object(self.CATALOG, catalog)
        info = self._allocate()
        yield from self._object(info, b"<</Producer %s/Title %s>>" % (text_string("Faktura"), text_string(title)))
        table = self.position
        size = len(self.offsets)
        yield from self._write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for start in range(1, size, 4096):
            rows = self.offsets[start : start + 4096]
            yield from self._write(b"".join(b"%010d 00000 n \n" % offset for offset in rows))
        yield from self._write(
            b"trailer\n<</Size %d/Root 1 0 R/Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, info, table)
        )
        if self.buffer:
            yield bytes(self.buffer)
            self.buffer.clear()

    def _outlines(self, root: int) -> Iterator[bytes]:
        first = len(self.offsets)
        for _ in self.bookmarks:
            self._allocate()
        last = len(self.offsets) - 1
        yield from self._object(
            root, b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (first, last, last - first + 1)
        )
        for index, (name, page) in enumerate(self.bookmarks):
            number = first + index
            links = b"".join(
                [
                    b"/Prev %d 0 R" % (number - 1) if number > first else b"",
                    b"/Next %d 0 R" % (number + 1) if number < last else b"",
                ]
            )
            body = b"<</Title %s/Parent %d 0 R%s/Dest[%d 0 R/Fit]>>" % (text_string(name), root, links, page)
            yield from self._object(number, body)


def text_string(text: str) -> bytes:
    """A PDF text string: plain ASCII as a literal, anything else as UTF-16BE with its byte order mark.

    >>> text_string("FA-1 (a)"), text_string("Č")
    (b'(FA-1 \\\\(a\\\\))', b'<FEFF010C>')
    """
    if text.isascii() and text.isprintable():
        return b"(" + text.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"

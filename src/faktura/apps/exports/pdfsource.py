"""The objects of one input PDF, read straight from its bytes, for copying into a merged file.

A merged PDF only needs each page and what it references (content streams,
fonts, images, colour profiles), with new object numbers. Parsing every object
into Python values to write it out again costs far more than reading the file,
so for the PDFs Faktura writes (a classic cross-reference table, no object
streams, no encryption, no incremental updates) this module reads the table,
finds each object's bytes by its offset and copies them as they are, only
rewriting the ``N G R`` references in the part before ``stream`` (stream data
is copied byte for byte; strings and comments are skipped, so a ``(1 0 R)``
inside a string is left alone).

Any other PDF (uploaded by a seller in manual mode, say) is first rewritten by
pypdf into that simple form (:func:`normalized`), one document at a time.

>>> pdf = _tiny_pdf()
>>> source = PdfSource.parse(pdf)
>>> source.page_ids, sorted(source.tree_ids)
([3], [2])
>>> parts = source.copy(3, {2: 20, 3: 30}.get, lambda old: 40 + old)
>>> parts.body
b'<</Type/Page/Parent 20 0 R/MediaBox[0 0 10 10]/Contents 44 0 R>>'
>>> parts.referenced
[4]
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_DELIMITED = rb"\s\[\]<>(){}"
# What the copier stops at: a reference (not part of a name or a number), the start of a string or a comment,
# a hex string (so that ``<`` of a dictionary is never taken for one), the stream keyword, the object's end.
_SCAN = re.compile(
    rb"(?<![^" + _DELIMITED + rb"])(\d+)\s+(\d+)\s+R(?![^" + _DELIMITED + rb"/%])"
    rb"|(\()|(%)|<[0-9A-Fa-f\s]*>|(?<![A-Za-z/])(stream)(?:\r\n|\n|\r)|(endobj)"
)
_STRING_PART = re.compile(rb"\\.|[()]", re.S)
_OBJ_HEADER = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_XREF_SECTION = re.compile(rb"\s*(\d+)\s+(\d+)[ \t]*(?:\r\n|\n|\r)")
_XREF_BLOCK = re.compile(rb"(?:\d{10} \d{5} [nf](?: \n| \r|\r\n))*")
_XREF_ENTRY = re.compile(rb"(\d{10})[ \t](\d{5})[ \t]([nf])[ \t\r\n]{1,2}")
_TOKEN = re.compile(
    rb"\s+|%[^\r\n]*|(<<|>>|\[|\]|\{|\})|(/[^" + _DELIMITED + rb"/%]*)"
    rb"|([+-]?(?:\d+\.?\d*|\.\d+))(?![^" + _DELIMITED + rb"/%])|(<[0-9A-Fa-f\s]*>)|(\()|([A-Za-z]+)"
)
_LENGTH = re.compile(rb"/Length(?![A-Za-z0-9])\s*(\d+)(\s+\d+\s+R)?")
_INHERITED = (b"/Resources", b"/MediaBox", b"/CropBox", b"/Rotate")


class Unsupported(Exception):
    """This PDF is not in the simple form the copier reads; :func:`normalized` makes it so."""


@dataclass(frozen=True)
class Ref:
    number: int


@dataclass
class Copied:
    """One object ready to write: its bytes between ``N 0 obj`` and ``endobj``, and the old numbers it needs."""

    body: bytes
    referenced: list[int] = field(default_factory=list)


@dataclass
class PdfSource:
    data: bytes
    offsets: dict[int, int]
    page_ids: list[int]
    tree_ids: set[int]

    @classmethod
    def parse(cls, data: bytes) -> PdfSource:
        offsets, trailer = _xref(data)
        source = cls(data, offsets, [], set())
        root = trailer.get(b"/Root")
        if not isinstance(root, Ref):
            raise Unsupported("no catalog")
        catalog = source.value(root.number)
        pages = catalog.get(b"/Pages") if isinstance(catalog, dict) else None
        if not isinstance(pages, Ref):
            raise Unsupported("no page tree")
        source._walk(pages.number, depth=0)
        if not source.page_ids:
            raise Unsupported("no pages")
        return source

    def _walk(self, number: int, depth: int) -> None:
        node = self.value(number)
        if not isinstance(node, dict) or depth > 32 or number in self.tree_ids:
            raise Unsupported("a broken page tree")
        if node.get(b"/Type") == b"/Page" or b"/Kids" not in node:
            self.page_ids.append(number)
            return
        if any(key in node for key in _INHERITED):
            raise Unsupported("pages inherit attributes from their tree")
        self.tree_ids.add(number)
        kids = node.get(b"/Kids")
        if not isinstance(kids, list):
            raise Unsupported("page tree without kids")
        for kid in kids:
            if not isinstance(kid, Ref):
                raise Unsupported("a page that is not an object")
            self._walk(kid.number, depth + 1)

    def _start(self, number: int) -> int:
        offset = self.offsets.get(number)
        if offset is None:
            raise Unsupported(f"object {number} is not in the table")
        header = _OBJ_HEADER.match(self.data, offset)
        if header is None or int(header.group(1)) != number:
            raise Unsupported(f"object {number} is not where the table says")
        return header.end()

    def value(self, number: int) -> Any:
        """A (non-stream) object parsed, for the catalog and the page tree."""
        return _Parser(self.data, self._start(number)).value()

    def copy(self, number: int, mapped: Callable[[int], int | None], allocate: Callable[[int], int]) -> Copied:
        """The object's bytes with every reference renumbered: ``mapped`` knows a number, else ``allocate``."""
        data, position = self.data, self._start(number)
        pieces: list[bytes] = []
        referenced: list[int] = []
        while True:
            found = _SCAN.search(data, position)
            if found is None:
                raise Unsupported(f"object {number} has no end")
            if found.group(1) is not None:
                pieces.append(data[position : found.start()])
                old = int(found.group(1))
                new = mapped(old)
                if new is None:
                    if old not in self.offsets:
                        pieces.append(b"null")  # a reference to a missing object means null (ISO 32000-1 7.3.10)
                        position = found.end()
                        continue
                    new = allocate(old)
                    referenced.append(old)
                pieces.append(b"%d 0 R" % new)
                position = found.end()
            elif found.group(3) is not None:
                end = _string_end(data, found.end())
                pieces.append(data[position:end])
                position = end
            elif found.group(4) is not None:
                end = data.find(b"\n", found.end())
                end = len(data) if end < 0 else end
                pieces.append(data[position:end])
                position = end
            elif found.group(5) is not None:
                head = data[position : found.start()]
                pieces.append(head)
                dictionary = b"".join(pieces)
                length = self._length(dictionary)
                start = found.end()
                end = start + length
                tail = re.compile(rb"\s*endstream").match(data, end)
                if tail is None:
                    raise Unsupported(f"object {number}: the stream's length is wrong")
                return Copied(dictionary + b"stream\n" + data[start:end] + b"\nendstream", referenced)
            elif found.group(6) is not None:
                pieces.append(data[position : found.start()])
                return Copied(b"".join(pieces).strip(), referenced)
            else:  # a hex string: copied as it is
                pieces.append(data[position : found.end()])
                position = found.end()

    def _length(self, dictionary: bytes) -> int:
        direct = _LENGTH.findall(dictionary)
        if len(direct) == 1 and direct[0][1] == b"":  # the common case, without parsing the dictionary
            return int(direct[0][0])
        parsed = _Parser(dictionary, 0).value()
        length = parsed.get(b"/Length") if isinstance(parsed, dict) else None
        if isinstance(length, Ref):
            raise Unsupported("a stream length kept in another object")
        if not isinstance(length, int) or length < 0:
            raise Unsupported("a stream without a length")
        return length


def normalized(data: bytes) -> bytes:
    """Any PDF pypdf can read, rewritten with a plain table and pages that inherit nothing."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _string_end(data: bytes, position: int) -> int:
    depth = 1
    for part in _STRING_PART.finditer(data, position):
        if part.group() == b"(":
            depth += 1
        elif part.group() == b")":
            depth -= 1
            if depth == 0:
                return part.end()
    raise Unsupported("a string without its end")


def _xref(data: bytes) -> tuple[dict[int, int], dict[bytes, Any]]:
    at = data.rfind(b"startxref", max(0, len(data) - 2048))
    found = re.compile(rb"startxref\s+(\d+)").match(data, at) if at >= 0 else None
    if found is None:
        raise Unsupported("no startxref")
    position = int(found.group(1))
    if not data.startswith(b"xref", position):
        raise Unsupported("a cross-reference stream")
    position += 4
    offsets: dict[int, int] = {}
    while True:
        section = _XREF_SECTION.match(data, position)
        if section is None:
            break
        first, count = int(section.group(1)), int(section.group(2))
        position = section.end()
        block = data[position : position + 20 * count]
        if _XREF_BLOCK.fullmatch(block):  # twenty bytes an entry, as the standard has it: sliced, not matched
            for index in range(count):
                if block[20 * index + 17] == 110:  # "n"
                    offsets[first + index] = int(block[20 * index : 20 * index + 10])
            position += 20 * count
            continue
        for number in range(first, first + count):
            entry = _XREF_ENTRY.match(data, position)
            if entry is None:
                raise Unsupported("a damaged cross-reference table")
            if entry.group(3) == b"n":
                offsets[number] = int(entry.group(1))
            position = entry.end()
    trailer_at = re.compile(rb"\s*trailer").match(data, position)
    if trailer_at is None:
        raise Unsupported("no trailer")
    trailer = _Parser(data, trailer_at.end()).value()
    if not isinstance(trailer, dict) or {b"/Prev", b"/Encrypt", b"/XRefStm"} & trailer.keys():
        raise Unsupported("an updated, encrypted or hybrid file")
    return offsets, trailer


class _Parser:
    """Just enough of PDF's object syntax for catalogs, page trees, trailers and stream dictionaries."""

    def __init__(self, data: bytes, position: int) -> None:
        self.data, self.position = data, position
        self.pending: list[Any] = []

    def _token(self) -> tuple[str, Any]:
        while True:
            found = _TOKEN.match(self.data, self.position)
            if found is None:
                raise Unsupported("unreadable object syntax")
            self.position = found.end()
            if found.group(1) is not None:
                return "delimiter", found.group(1)
            if found.group(2) is not None:
                return "value", found.group(2)
            if found.group(3) is not None:
                text = found.group(3)
                return "value", float(text) if b"." in text else int(text)
            if found.group(4) is not None:
                return "value", found.group(4)
            if found.group(5) is not None:
                end = _string_end(self.data, self.position)
                text, self.position = self.data[self.position - 1 : end], end
                return "value", text
            if found.group(6) is not None:
                word = found.group(6)
                constants = {b"true": True, b"false": False, b"null": None}
                if word in constants:
                    return "value", constants[word]
                return "keyword", word

    def value(self) -> Any:
        kind, token = self._token()
        if kind == "delimiter" and token == b"<<":
            result: dict[bytes, Any] = {}
            while True:
                kind, key = self._token()
                if kind == "delimiter" and key == b">>":
                    return result
                if not (kind == "value" and isinstance(key, bytes) and key.startswith(b"/")):
                    raise Unsupported("a dictionary key that is not a name")
                result[key] = self.value()
        if kind == "delimiter" and token == b"[":
            items: list[Any] = []
            while True:
                saved = self.position
                kind, item = self._token()
                if kind == "delimiter" and item == b"]":
                    return items
                self.position = saved
                items.append(self.value())
        if kind == "value" and isinstance(token, int):
            saved = self.position
            try:
                second_kind, second = self._token()
                third_kind, third = self._token()
            except Unsupported:
                self.position = saved
                return token
            if second_kind == "value" and isinstance(second, int) and (third_kind, third) == ("keyword", b"R"):
                return Ref(token)
            self.position = saved
            return token
        if kind == "value":
            return token
        raise Unsupported(f"unexpected {token!r}")


def _tiny_pdf() -> bytes:
    """A one-page PDF written by hand, for the doctest."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>",
        b"<</Length 8>>stream\n0 0 m S\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(out)

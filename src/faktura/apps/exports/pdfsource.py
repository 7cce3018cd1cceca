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
_XREF_ENTRY = re.compile(rb"(\d{10})[ \t](\d{5})[ \t]([nf])[ \t\r\n]{1,2}")
_TOKEN = re.compile(
    rb"\s+|%[^\r\n]*|(<<|>>|\[|\]|\{|\})|(/[^" + _DELIMITED + rb"/%]*)"
    rb"|([+-]?(?:\d+\.?\d*|\.\d+))(?![^" + _DELIMITED + rb"/%])|(<[0-9A-Fa-f\s]*>)|(\()|([A-Za-z]+)"
)
_LENGTH = re.compile(rb"/Length(?![A-Za-z0-9])\s*(\d+)(\s+\d+\s+R)?")
_WHITE = frozenset(b" \t\r\n\f\x00")
_AFTER_REF = frozenset(b" \t\r\n\f\x00[]<>(){}/%")
_REF_BEFORE = re.compile(rb"(?<![\d.+-])(\d+)\s+(\d+)\s+R$")
_SIMPLE_STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.S)
_PAGES_KEY = re.compile(rb"/Pages\s*(\d+)\s+\d+\s+R")
_TYPE_KEY = re.compile(rb"/Type\s*(/[A-Za-z]+)")
_KIDS_KEY = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_REFS = re.compile(rb"(\d+)\s+\d+\s+R")
_STREAM_EOL = re.compile(rb"\r\n|\n|\r")
_ENDSTREAM = re.compile(rb"\s*endstream")
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
    table: _Table
    page_ids: list[int]
    tree_ids: set[int]

    @classmethod
    def parse(cls, data: bytes) -> PdfSource:
        table, trailer = _xref(data)
        source = cls(data, table, [], set())
        root = trailer.get(b"/Root")
        if not isinstance(root, Ref):
            raise Unsupported("no catalog")
        catalog = source._node(root.number)
        pages = catalog.get(b"/Pages") if isinstance(catalog, dict) else None
        if not isinstance(pages, Ref):
            raise Unsupported("no page tree")
        source._walk(pages.number, depth=0)
        if not source.page_ids:
            raise Unsupported("no pages")
        return source

    def _walk(self, number: int, depth: int) -> None:
        node = self._node(number)
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
        offset = self.table.get(number, self.data)
        if offset is None:
            raise Unsupported(f"object {number} is not in the table")
        header = _OBJ_HEADER.match(self.data, offset)
        if header is None or int(header.group(1)) != number:
            raise Unsupported(f"object {number} is not where the table says")
        return header.end()

    def _node(self, number: int) -> Any:
        """A catalog or page tree node: the keys that matter read by pattern when the object is plain."""
        start = self._start(number)
        end = self.data.find(b"endobj", start)
        head = self.data[start:end] if end >= 0 else b"("
        if b"(" in head or b"%" in head or b"stream" in head or not head.lstrip().startswith(b"<<"):
            return self.value(number)
        node: dict[bytes, Any] = {key: True for key in _INHERITED if key in head}
        if pages := _PAGES_KEY.search(head):
            node[b"/Pages"] = Ref(int(pages.group(1)))
        if kind := _TYPE_KEY.search(head):
            node[b"/Type"] = kind.group(1)
        if kids := _KIDS_KEY.search(head):
            node[b"/Kids"] = [Ref(int(kid)) for kid in _REFS.findall(kids.group(1))]
        return node

    def value(self, number: int) -> Any:
        """A (non-stream) object parsed, for the catalog and the page tree."""
        return _Parser(self.data, self._start(number)).value()

    def copy(self, number: int, mapped: Callable[[int], int | None], allocate: Callable[[int], int]) -> Copied:
        """The object's bytes with every reference renumbered: ``mapped`` knows a number, else ``allocate``."""
        start = self._start(number)
        return self._copy_plain(number, start, mapped, allocate) or self._copy_scanned(number, start, mapped, allocate)

    def _copy_plain(
        self, number: int, start: int, mapped: Callable[[int], int | None], allocate: Callable[[int], int]
    ) -> Copied | None:
        """The common case, at the speed of ``bytes.find``: no string and no comment before the stream or the end.

        A reference is the only place an ``R`` follows white space outside a
        string (names are written ``/Name``, keywords stand alone), so each such
        ``R`` is checked backwards for its two numbers. None: use the scanner.
        """
        data = self.data
        end = data.find(b"endobj", start)
        at_stream = data.find(b"stream", start, end if end >= 0 else len(data))
        head_end = at_stream if at_stream >= 0 else end
        if head_end < 0:
            return None
        head = data[start:head_end]
        strings: list[tuple[int, int]] = []
        if b"(" in head:  # simple strings (no nested parentheses) are skipped; anything else goes to the scanner
            strings = [found.span() for found in _SIMPLE_STRING.finditer(head)]
            outside = _SIMPLE_STRING.sub(b"", head)
            if b"(" in outside or b")" in outside or b"%" in outside:
                return None
        elif b"%" in head:
            return None
        pieces: list[bytes] = []
        referenced: list[int] = []
        position = 0
        r = head.find(b"R")
        while r >= 0:
            if strings and any(a < r < b for a, b in strings):
                r = head.find(b"R", r + 1)
                continue
            if r > 0 and head[r - 1] in _WHITE and (r + 1 == len(head) or head[r + 1] in _AFTER_REF):
                found = _REF_BEFORE.search(head, max(0, r - 48), r + 1)
                if found is not None:
                    old = int(found.group(1))
                    new = mapped(old)
                    if new is None:
                        if self.table.get(old, data) is None:
                            new = -1
                        else:
                            new = allocate(old)
                            referenced.append(old)
                    pieces.append(head[position : found.start()])
                    pieces.append(b"null" if new < 0 else b"%d 0 R" % new)
                    position = r + 1
            r = head.find(b"R", r + 1)
        pieces.append(head[position:])
        dictionary = b"".join(pieces)
        if at_stream < 0:
            return Copied(dictionary.strip(), referenced)
        eol = _STREAM_EOL.match(data, at_stream + 6)
        if eol is None or not dictionary.rstrip().endswith(b">>"):
            return None
        length = self._length(dictionary)
        body_start = eol.end()
        tail = _ENDSTREAM.match(data, body_start + length)
        if tail is None:
            raise Unsupported(f"object {number}: the stream's length is wrong")
        return Copied(dictionary + b"stream\n" + data[body_start : body_start + length] + b"\nendstream", referenced)

    def _copy_scanned(
        self, number: int, position: int, mapped: Callable[[int], int | None], allocate: Callable[[int], int]
    ) -> Copied:
        """Any object: strings and comments skipped token by token (slower)."""
        data = self.data
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
                    if self.table.get(old, data) is None:
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
                tail = _ENDSTREAM.match(data, end)
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


class _Table:
    """The cross-reference table, read when an object is looked up rather than all at once.

    Entries are twenty bytes each, as the standard has them, so the offset of
    object ``n`` is a slice away; a section written otherwise is read entry by
    entry up front.
    """

    def __init__(self) -> None:
        self.sections: list[tuple[int, int, int]] = []  # first number, count, where its entries start
        self.irregular: dict[int, int] = {}

    def get(self, number: int, data: bytes) -> int | None:
        for first, count, start in self.sections:
            if first <= number < first + count:
                at = start + 20 * (number - first)
                if data[at + 17 : at + 18] != b"n":
                    return None
                try:
                    return int(data[at : at + 10])
                except ValueError:
                    raise Unsupported("a damaged cross-reference table") from None
        return self.irregular.get(number)


def _xref(data: bytes) -> tuple[_Table, dict[bytes, Any]]:
    at = data.rfind(b"startxref", max(0, len(data) - 2048))
    found = re.compile(rb"startxref\s+(\d+)").match(data, at) if at >= 0 else None
    if found is None:
        raise Unsupported("no startxref")
    position = int(found.group(1))
    if not data.startswith(b"xref", position):
        raise Unsupported("a cross-reference stream")
    position += 4
    table = _Table()
    while True:
        section = _XREF_SECTION.match(data, position)
        if section is None:
            break
        first, count = int(section.group(1)), int(section.group(2))
        position = section.end()
        if _XREF_ENTRY.match(data, position) and data[position + 20 * count - 1 : position + 20 * count] in (
            b"\n",
            b"\r",
        ):
            table.sections.append((first, count, position))
            position += 20 * count
            continue
        for number in range(first, first + count):
            entry = _XREF_ENTRY.match(data, position)
            if entry is None:
                raise Unsupported("a damaged cross-reference table")
            if entry.group(3) == b"n":
                table.irregular[number] = int(entry.group(1))
            position = entry.end()
    trailer_at = re.compile(rb"\s*trailer").match(data, position)
    if trailer_at is None:
        raise Unsupported("no trailer")
    trailer = _Parser(data, trailer_at.end()).value()
    if not isinstance(trailer, dict) or {b"/Prev", b"/Encrypt", b"/XRefStm"} & trailer.keys():
        raise Unsupported("an updated, encrypted or hybrid file")
    return table, trailer


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

"""The streaming PDF merger: inputs it copies directly, inputs pypdf rewrites first, inputs it leaves out."""

from __future__ import annotations

import io

import pypdf
import pytest

from faktura.apps.exports.pdfmerge import MergeInput, UnreadablePdf, merged_pdf
from faktura.apps.exports.pdfsource import PdfSource, Unsupported, _tiny_pdf


def pdf_with(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, table)
    return bytes(out)


def pages_of(data: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_reference_written_inside_a_string_is_left_alone() -> None:
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R/Note(see 4 0 R \\) here)>>"
    data = pdf_with([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>", page, _STREAM])

    copied = PdfSource.parse(data).copy(3, {2: 20, 3: 30}.get, lambda old: 40 + old)

    assert copied.body == b"<</Type/Page/Parent 20 0 R/MediaBox[0 0 10 10]/Contents 44 0 R/Note(see 4 0 R \\) here)>>"


def test_pages_that_inherit_from_their_tree_are_rewritten_by_pypdf_first() -> None:
    data = pdf_with(
        [
            b"<</Type/Catalog/Pages 2 0 R>>",
            b"<</Type/Pages/Kids[3 0 R]/Count 1/MediaBox[0 0 200 100]>>",
            b"<</Type/Page/Parent 2 0 R/Contents 4 0 R>>",
            _STREAM,
        ]
    )
    with pytest.raises(Unsupported):
        PdfSource.parse(data)

    merged = b"".join(merged_pdf([MergeInput("A", data), MergeInput("B", _tiny_pdf())]))

    first, second = pages_of(merged)
    assert [float(v) for v in first.mediabox] == [0, 0, 200, 100]
    assert [float(v) for v in second.mediabox] == [0, 0, 10, 10]


def test_an_updated_file_is_rewritten_by_pypdf_first() -> None:
    data = pdf_with(
        [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>", _PAGE, _STREAM],
        trailer_extra=b"/Prev 9",
    )

    assert len(pages_of(b"".join(merged_pdf([MergeInput("A", data)])))) == 1


def test_a_file_that_is_no_pdf_is_left_out_and_reported() -> None:
    left_out: list[tuple[str, str]] = []

    merged = b"".join(
        merged_pdf(
            [MergeInput("A", _tiny_pdf()), MergeInput("broken", b"not a pdf"), MergeInput("C", _tiny_pdf())],
            unreadable=lambda item, reason: left_out.append((item.title, reason)),
        )
    )

    assert len(pages_of(merged)) == 2
    assert [title for title, _ in left_out] == ["broken"]
    with pytest.raises(UnreadablePdf):
        b"".join(merged_pdf([MergeInput("broken", b"not a pdf")]))


_PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>"
_STREAM = b"<</Length 8>>stream\n0 0 m S\n\nendstream"

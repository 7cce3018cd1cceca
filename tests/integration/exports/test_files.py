"""ZIP and merged PDF of a seller's documents: the stored bytes, every page, rendering what is missing."""

from __future__ import annotations

import io
import zipfile

import pypdf
import pytest

from faktura.apps.exports.build import ExportBuild
from tests import factories as make
from tests.integration.exports.helpers import issued, stored

pytestmark = pytest.mark.django_db


def build(org: object, export_format: str, ids: list[int]) -> tuple[bytes, ExportBuild]:
    export = ExportBuild(org, export_format, ids)  # type: ignore[arg-type]
    return b"".join(export.chunks()), export


def test_the_zip_holds_each_stored_pdf_byte_for_byte_named_by_its_number() -> None:
    org = make.seller()
    make.series(org)
    documents = [issued(org) for _ in range(3)]

    data, export = build(org, "zip", [d.pk for d in documents])

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(f"{d.number}.pdf" for d in documents)
    for document in documents:
        assert archive.read(f"{document.number}.pdf") == stored(document)
    assert export.skipped == []


def test_the_merged_pdf_has_every_page_of_every_document_and_each_ones_text() -> None:
    org = make.seller()
    make.series(org)
    documents = [issued(org) for _ in range(3)]
    pages = sum(len(pypdf.PdfReader(io.BytesIO(stored(d))).pages) for d in documents)

    data, _ = build(org, "pdf", [d.pk for d in documents])

    merged = pypdf.PdfReader(io.BytesIO(data))
    assert len(merged.pages) == pages
    text = "\n".join(page.extract_text() for page in merged.pages)
    for document in documents:
        assert document.number in text
    assert [item.title for item in merged.outline] == [d.number for d in documents]  # type: ignore[union-attr]


def test_a_document_whose_pdf_is_not_rendered_yet_is_rendered_for_the_download() -> None:
    org = make.seller()
    make.series(org)
    document = issued(org, render=False)
    assert document.pdf_sha256 == ""

    data, export = build(org, "zip", [document.pk])

    assert zipfile.ZipFile(io.BytesIO(data)).read(f"{document.number}.pdf") == stored(document)
    assert export.skipped == []


def test_a_draft_is_left_out_and_the_zip_says_so() -> None:
    org = make.seller()
    make.series(org)
    document = issued(org)
    draft = make.draft(org)

    data, export = build(org, "zip", [document.pk, draft.pk])

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == [f"{document.number}.pdf", "NOT-INCLUDED.txt"]
    assert b"a draft has no PDF" in archive.read("NOT-INCLUDED.txt")
    assert [s.reason for s in export.skipped] == ["a draft has no PDF"]


def test_another_sellers_document_is_never_in_the_download() -> None:
    org, other = make.seller(), make.seller()
    make.series(org), make.series(other)
    mine, theirs = issued(org), issued(other)

    data, _ = build(org, "zip", [mine.pk, theirs.pk])

    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == [f"{mine.number}.pdf"]

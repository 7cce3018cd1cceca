"""Bulk downloads in a real browser: a large selection becomes a job, the page follows it, the file downloads.

Screenshots ``export-progress`` and ``export-ready`` are the job page as the
sellers' guide describes it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests import factories as make
from tests.integration.exports.helpers import issued, run_exports

pytestmark = pytest.mark.django_db(transaction=True)


def test_everything_matching_as_one_merged_pdf_through_a_job_with_a_progress_bar(
    live_server: Any, page: Any, screenshot: Callable[..., Path], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 1  # so that three documents make a job
    org = make.seller()
    make.series(org)
    documents = [issued(org) for _ in range(3)]
    make.person(org, "accountant", email="contabil@shop.test")
    page.goto(f"{live_server.url}/app/sign-in")
    page.get_by_label("Email").fill("contabil@shop.test")
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/app/documents/")
    page.get_by_label("Select every document that matches the filter, on all pages").check()
    page.get_by_role("button", name="Download merged PDF").click()

    page.wait_for_url(f"{live_server.url}/app/documents/exports/*/")
    assert page.get_by_text("Waiting for a worker").is_visible()
    assert page.get_by_role("progressbar").is_visible()
    screenshot(page, "export-progress")

    assert run_exports() == 1
    ready = page.get_by_role("link", name="Download")  # htmx polls the page and swaps in the link
    ready.wait_for()
    screenshot(page, "export-ready")
    with page.expect_download() as download:
        ready.click()
    merged = pypdf.PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(merged.pages) == 3
    text = "\n".join(p.extract_text() for p in merged.pages)
    assert all(document.number in text for document in documents)

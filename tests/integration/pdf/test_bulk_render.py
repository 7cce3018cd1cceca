"""``faktura documents render``: a backlog of issued documents rendered on a pool of warm processes."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue
from faktura.apps.invoicing.services.rendering import document_render, documents_render_bulk
from tests import factories as make

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


def backlog(org: object, count: int) -> list[Document]:
    make.series(org)
    return [
        document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org).pk)  # type: ignore[arg-type]
        for _ in range(count)
    ]


def test_the_backlog_is_rendered_on_the_pool_and_stored_as_the_worker_would(media: Path, capsys) -> None:
    org = make.seller()
    documents = backlog(org, 5)
    other = make.seller(legal_name="Alt Magazin SRL")
    backlog(other, 1)

    call_command("documents_render", "--seller", str(org.pk), "--processes", "2")

    assert "OK: 5 rendered, 0 already stored, 0 failed" in capsys.readouterr().out
    for document in documents:
        document.refresh_from_db()
        pdf = (media / document.pdf.name).read_bytes()
        assert document.number in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        # the pool's bytes are the bytes the worker's own render gives (same name, same hash)
        assert document_render(document_id=document.pk, force=True).pdf_sha256 == document.pdf_sha256
    assert not Document.objects.filter(organization=other).exclude(pdf_sha256="").exists()

    again = documents_render_bulk(organization_id=org.pk, processes=1)
    assert (again.rendered, again.already_stored, again.failed) == (0, 5, [])


def test_renders_past_their_time_limit_fail_with_a_reason_and_are_rendered_by_the_next_run(capsys) -> None:
    org = make.seller()
    documents = backlog(org, 2)

    with pytest.raises(CommandError, match="0 rendered, 0 already stored, 2 failed"):
        call_command("documents_render", "--seller", str(org.pk), "--processes", "1", "--timeout", "0.001")

    out = capsys.readouterr().out
    for document in documents:
        assert f"FAILED document {document.pk}:" in out
        document.refresh_from_db()
        assert document.pdf_sha256 == ""
    assert documents_render_bulk(organization_id=org.pk, processes=1).rendered == 2

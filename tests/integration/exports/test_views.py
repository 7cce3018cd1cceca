"""The seller app's bulk download: streamed when small, a job with a progress page when large; roles and tenants."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pypdf
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from faktura.apps.audit.models import AuditEvent
from faktura.apps.exports.models import ExportJob
from faktura.apps.exports.services import export_job_expire
from faktura.apps.payments.services import payment_record
from tests import factories as make
from tests.integration.exports.helpers import issued, run_exports, signed_in, stored, task_states

pytestmark = pytest.mark.django_db
START = "/app/documents/exports/start"


def shop(role: str = "owner") -> tuple[object, Client, list[object]]:
    org = make.seller()
    make.series(org)
    documents = [issued(org) for _ in range(2)]
    return org, signed_in(make.person(org, role)), documents


def test_a_small_selection_streams_the_zip_in_the_response_and_is_audited() -> None:
    _org, client, documents = shop()

    response = client.post(START, {"action": "zip", "ids": [d.pk for d in documents]})  # type: ignore[attr-defined]

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="documents-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert {archive.read(f"{d.number}.pdf") for d in documents} == {stored(d) for d in documents}  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="documents.exported")
    assert event.data["format"] == "zip"
    assert event.data["count"] == 2
    assert ExportJob.objects.count() == 0


def test_a_large_selection_becomes_a_job_a_worker_builds_and_the_page_offers_the_file(
    settings: pytest.FixtureRequest,
) -> None:
    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 1  # type: ignore[attr-defined]
    _org, client, documents = shop()

    response = client.post(START, {"action": "pdf", "ids": [d.pk for d in documents]})  # type: ignore[attr-defined]

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/app/documents/exports/{job.pk}/"
    assert (job.state, job.total) == ("queued", 2)
    waiting = client.get(f"/app/documents/exports/{job.pk}/", headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in waiting.content
    assert b"Waiting for a worker" in waiting.content

    assert run_exports() == 1

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 2, 2)
    assert task_states() == ["SUCCESSFUL"]
    page = client.get(f"/app/documents/exports/{job.pk}/")
    assert page.status_code == 200
    assert f"/app/documents/exports/{job.pk}/download".encode() in page.content
    assert b"every 1s" not in page.content
    download = client.get(f"/app/documents/exports/{job.pk}/download")
    assert download.status_code == 200
    merged = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    assert len(merged.pages) == 2
    assert AuditEvent.objects.get(action="documents.exported").object_id == str(job.pk)


def test_the_file_of_an_expired_job_is_deleted_and_its_download_is_gone(settings: pytest.FixtureRequest) -> None:
    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 0  # type: ignore[attr-defined]
    settings.FAKTURA_EXPORT_RETENTION_HOURS = 0  # type: ignore[attr-defined]
    _org, client, documents = shop()
    client.post(START, {"action": "csv", "ids": [d.pk for d in documents]})  # type: ignore[attr-defined]
    run_exports()
    job = ExportJob.objects.get()
    name = job.file.name

    export_job_expire(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == "expired"
    assert not job.file
    from django.core.files.storage import default_storage

    assert not default_storage.exists(name)
    assert client.get(f"/app/documents/exports/{job.pk}/download").status_code == 410


def test_running_the_same_job_twice_builds_it_once(settings: pytest.FixtureRequest) -> None:
    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 0  # type: ignore[attr-defined]
    _org, client, documents = shop()
    client.post(START, {"action": "zip", "ids": [d.pk for d in documents]})  # type: ignore[attr-defined]
    job = ExportJob.objects.get()
    from faktura.apps.exports.services import export_job_run

    first = export_job_run(job_id=job.pk)
    second = export_job_run(job_id=job.pk)

    assert first.file.name == second.file.name
    assert second.state == "done"


def test_a_viewer_may_not_export() -> None:
    _org, client, documents = shop(role="viewer")

    response = client.post(START, {"action": "zip", "ids": [documents[0].pk]})  # type: ignore[attr-defined]

    assert response.status_code == 403
    assert client.get("/app/documents/exports/").status_code == 403


def test_an_accountant_may_export() -> None:
    _org, client, documents = shop(role="accountant")

    response = client.post(START, {"action": "csv", "ids": [documents[0].pk]})  # type: ignore[attr-defined]

    assert response.status_code == 200


def test_another_sellers_document_or_job_is_not_found(settings: pytest.FixtureRequest) -> None:
    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 0  # type: ignore[attr-defined]
    _org, client, _documents = shop()
    _other, stranger, theirs = shop()
    stranger.post(START, {"action": "csv", "ids": [d.pk for d in theirs]})  # type: ignore[attr-defined]
    job = ExportJob.objects.get()

    assert client.post(START, {"action": "zip", "ids": [theirs[0].pk]}).status_code == 404  # type: ignore[attr-defined]
    assert client.get(f"/app/documents/exports/{job.pk}/").status_code == 404
    assert client.get(f"/app/documents/exports/{job.pk}/download").status_code == 404
    assert stranger.get(f"/app/documents/exports/{job.pk}/").status_code == 200


@pytest.mark.parametrize(
    "data",
    [{"action": "exe", "ids": ["1"]}, {"action": "zip", "ids": ["abc"]}, {"action": "zip"}, {"ids": ["1"]}],
    ids=["unknown-action", "not-an-id", "nothing-ticked", "no-action"],
)
def test_bad_input_is_said_in_a_message_never_a_500(data: dict[str, object]) -> None:
    _org, client, _documents = shop()

    response = client.post(START, data, follow=False)

    assert response.status_code == 302
    page = client.get("/app/documents/exports/")
    assert page.status_code == 200


def test_the_exports_page_lists_the_sellers_jobs(settings: pytest.FixtureRequest) -> None:
    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 0  # type: ignore[attr-defined]
    _org, client, documents = shop()
    client.post(START, {"action": "xlsx", "ids": [d.pk for d in documents]})  # type: ignore[attr-defined]

    page = client.get("/app/documents/exports/")

    assert page.status_code == 200
    assert b"Excel (XLSX)" in page.content
    assert client.get(START).status_code == 405


def test_everything_matching_the_lists_filter_is_exported_with_the_filter_kept_on_the_job(
    settings: pytest.FixtureRequest,
) -> None:
    org, client, documents = shop()
    paid = documents[0]
    payment_record(
        actor=make.TEST_ACTOR,
        organization=org,  # type: ignore[arg-type]
        document_id=paid.pk,  # type: ignore[attr-defined]
        amount=paid.payable,  # type: ignore[attr-defined]
        currency="RON",
        received_on=dt.date.today(),
    )
    form = {"action": "csv", "all_matching": "1", "payment_state": "paid", "ids": [documents[1].pk]}  # type: ignore[attr-defined]

    response = client.post(START, form)

    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 2
    assert lines[1].startswith(f"{paid.number},")  # type: ignore[attr-defined]

    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 0  # type: ignore[attr-defined]
    client.post(START, form)
    job = ExportJob.objects.get()
    assert job.document_ids == [paid.pk]  # type: ignore[attr-defined]
    assert job.filters == {"payment_state": "paid"}


def test_a_bad_request_goes_back_to_the_document_list_it_came_from() -> None:
    _org, client, _documents = shop()

    response = client.post(START, {"action": "nope", "back": "?payment_state=paid"})

    assert response.status_code == 302
    assert response["Location"] == "/app/documents/?payment_state=paid"
    page = client.get(response["Location"])
    assert "Choose documents and what to make of them." in page.content.decode()


def test_the_expire_command_deletes_only_the_files_past_their_time(settings: pytest.FixtureRequest) -> None:
    settings.FAKTURA_EXPORT_DIRECT_LIMIT = 0  # type: ignore[attr-defined]
    _org, client, documents = shop()
    for export_format in ("csv", "zip"):
        client.post(START, {"action": export_format, "ids": [d.pk for d in documents]})  # type: ignore[attr-defined]
    run_exports()
    due, kept = ExportJob.objects.order_by("pk")
    ExportJob.objects.filter(pk=due.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()

    call_command("exports_expire", stdout=out)

    assert out.getvalue().strip() == "1 export file(s) deleted"
    due.refresh_from_db()
    kept.refresh_from_db()
    assert (due.state, kept.state) == ("expired", "done")

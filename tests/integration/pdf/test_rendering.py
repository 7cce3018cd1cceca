"""Rendering after commit: issuing queues one task in its transaction; the worker stores the PDF and its hash."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from faktura.apps.accounts.services import bank_account_add
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue
from faktura.apps.invoicing.services.rendering import document_render, document_render_enqueue
from faktura.apps.layouts.models import DocumentRender
from faktura.apps.layouts.services import LayoutSettings, layout_save
from faktura.core.errors import Conflict
from faktura.pdf.labels import catalog
from tests import factories as make

pytestmark = pytest.mark.django_db

TASK = "faktura.apps.invoicing.tasks.document_render_pdf"


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


def render_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at"))


def run_render_tasks() -> int:
    """Run the queued render tasks as ``faktura worker`` would."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pdf-tests",
        excluded_queue_names=[],
    )
    ran = 0
    for task in DBTaskResult.objects.filter(task_path=TASK, status=TaskResultStatus.READY):
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


def issued(**options: object) -> Document:
    org = make.seller()
    make.series(org)
    draft = make.draft(org, **options)
    return document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)


def test_issuing_queues_one_render_task_for_the_document_and_renders_nothing_inline() -> None:
    document = issued()

    [task] = render_tasks()
    assert task.args_kwargs["args"] == [document.pk]
    document.refresh_from_db()
    assert document.pdf_sha256 == ""


def test_a_rolled_back_issue_queues_no_render_task() -> None:
    org = make.seller()
    make.series(org)
    draft = make.draft(org)
    inside: list[int] = []

    def issue_then_fail() -> None:
        with transaction.atomic():
            document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)
            inside.append(len(render_tasks()))
            raise RuntimeError("the caller fails after the issue")

    with pytest.raises(RuntimeError):
        issue_then_fail()

    assert inside == [1]
    assert render_tasks() == []


def test_the_task_stores_the_pdf_through_storage_and_records_its_hash(media: Path) -> None:
    document = issued()

    assert run_render_tasks() == 1

    document.refresh_from_db()
    stored = default_storage.open(document.pdf.name, "rb").read()
    assert hashlib.sha256(stored).hexdigest() == document.pdf_sha256
    assert (media / document.pdf.name).is_file()
    assert document.pdf.name == f"documents/{document.organization_id}/{document.issue_date.year}/" + (
        f"{document.number}-{document.pdf_sha256[:16]}.pdf"
    )
    text = pypdf.PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    assert document.number in text
    assert "Ana Popescu" in text
    assert DBTaskResult.objects.get(task_path=TASK).status == TaskResultStatus.SUCCESSFUL
    record = DocumentRender.objects.get(document_id=document.pk)
    assert (record.status, record.sha256, record.attempts) == ("rendered", document.pdf_sha256, 1)


def test_running_the_task_twice_keeps_one_file_and_a_forced_re_render_gives_the_same_bytes(media: Path) -> None:
    document = issued()
    run_render_tasks()
    document.refresh_from_db()
    first = (media / document.pdf.name).read_bytes()

    again = document_render(document_id=document.pk)
    forced = document_render(document_id=document.pk, force=True)

    assert again.pdf.name == forced.pdf.name == document.pdf.name
    assert (media / forced.pdf.name).read_bytes() == first
    assert len(list(media.rglob("*.pdf"))) == 1


def test_a_layout_change_after_the_first_render_does_not_change_a_re_render() -> None:
    document = issued()
    run_render_tasks()
    document.refresh_from_db()
    layout_save(
        actor=make.TEST_ACTOR,
        organization=document.organization,
        settings=LayoutSettings(accent_colour="#be123c", footer="New footer"),
    )

    forced = document_render(document_id=document.pk, force=True)

    assert forced.pdf_sha256 == document.pdf_sha256


def test_the_sellers_layout_is_used_for_the_first_render() -> None:
    org = make.seller()
    make.series(org)
    footer = LayoutSettings(footer="Registered in Cluj, capital 200 RON")
    layout_save(actor=make.TEST_ACTOR, organization=org, settings=footer)
    draft = make.draft(org)
    document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)

    rendered = document_render(document_id=document.pk)

    text = pypdf.PdfReader(default_storage.open(rendered.pdf.name, "rb")).pages[0].extract_text()
    assert "Registered in Cluj, capital 200 RON" in text


def test_a_draft_has_no_pdf() -> None:
    org = make.seller()
    draft = make.draft(org)

    with pytest.raises(Conflict):
        document_render(document_id=draft.pk)


def test_queueing_the_render_costs_the_issue_one_insert(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    document = issued()
    DBTaskResult.objects.all().delete()

    with django_assert_num_queries(1) as captured:  # the test runs inside a transaction, as issuing does
        document_render_enqueue(document)

    assert captured.captured_queries[0]["sql"].startswith("INSERT")


def test_a_document_of_a_seller_with_a_custom_template_is_rendered_with_it_in_the_sandbox() -> None:
    org = make.seller()
    make.series(org)
    source = '#import "lib.typ": *\n#let d = json(bytes(sys.inputs.data))\n#render(d)\n#text[Custom for #d.buyer.name]'
    layout_save(actor=make.TEST_ACTOR, organization=org, settings=LayoutSettings(template_source=source))
    draft = make.draft(org)
    document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)

    rendered = document_render(document_id=document.pk)

    reader = pypdf.PdfReader(default_storage.open(rendered.pdf.name, "rb"))
    assert "Custom for Ana Popescu" in " ".join(page.extract_text() for page in reader.pages)
    assert "<pdfaid:part>3</pdfaid:part>" in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_a_bilingual_layout_prints_the_sellers_and_the_buyers_language() -> None:
    org = make.seller()
    make.series(org)
    layout_save(actor=make.TEST_ACTOR, organization=org, settings=LayoutSettings(bilingual=True))
    buyer = replace(make.RO_BUYER, name="Hans Gruber GmbH", country="DE", language="de")
    document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org, buyer=buyer).pk)

    rendered = document_render(document_id=document.pk)

    text = pypdf.PdfReader(default_storage.open(rendered.pdf.name, "rb")).pages[0].extract_text()
    assert "Factură" in text
    assert "Rechnung" in text
    assert DocumentRender.objects.get(document_id=document.pk).settings["second_language"] == "ro"  # written in German


def test_a_failing_render_is_recorded_with_the_compilers_reason_and_the_task_fails() -> None:
    document = issued()
    DocumentRender.objects.create(
        organization=document.organization,
        document_id=document.pk,
        settings={
            "accent": "#000000", "font": "inter", "footer": "", "logo": "", "second_language": "",
            "bank_account_id": None, "template_source": "#let d = json(bytes(sys.inputs.data))\n#d.missing_key",
        },
    )  # fmt: skip

    run_render_tasks()

    record = DocumentRender.objects.get(document_id=document.pk)
    assert record.status == "failed"
    assert "missing_key" in record.error
    assert DBTaskResult.objects.get(task_path=TASK).status == TaskResultStatus.FAILED
    document.refresh_from_db()
    assert document.pdf_sha256 == ""


def test_an_unpaid_euro_invoice_is_stored_with_its_payment_qr_code() -> None:
    org = make.seller()
    make.series(org)
    bank_account_add(
        actor=make.TEST_ACTOR, organization=org, iban="RO49AAAA1B31007593840000", bic="BTRLRO22", currency="EUR"
    )
    buyer = replace(make.RO_BUYER, country="AT", language="en")
    draft = make.draft(org, buyer=buyer, currency="EUR", exchange_rate=Decimal("4.9752"))
    document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)

    rendered = document_render(document_id=document.pk)

    text = pypdf.PdfReader(default_storage.open(rendered.pdf.name, "rb")).pages[0].extract_text()
    assert "RO49 AAAA 1B31 0075 9384 0000" in text
    assert catalog(rendered.language)["scan_to_pay"] in text
    assert DocumentRender.objects.get(document_id=document.pk).settings["paid"] is False

"""Writes of the exports app: asking for an export, the worker's run, and the file's expiry.

A small selection is streamed in the request (``export_record`` writes its
audit event first); a large one becomes an ``ExportJob`` and a task queued in
the same transaction (``export_start``). The task runs ``export_job_run``:
it claims the job (a second run of the same task finds it claimed and does
nothing), builds the file into a temporary file, keeps it through Django's
storage API under an unguessable name, and queues ``export_job_expire`` for
``FAKTURA_EXPORT_RETENTION_HOURS`` later, which deletes the file.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import tempfile
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django_tasks_db.backend import DatabaseBackend

from faktura.apps.audit.services import audit_record
from faktura.apps.exports.build import FORMATS, ExportBuild
from faktura.apps.exports.models import ExportJob, ExportState
from faktura.core.actors import Actor
from faktura.core.errors import InvalidValue, NotFound

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

logger = logging.getLogger(__name__)
PROGRESS_EVERY = dt.timedelta(seconds=1)


def retention() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "FAKTURA_EXPORT_RETENTION_HOURS", 24)))


def _check(export_format: str, document_ids: list[int]) -> None:
    if export_format not in FORMATS:
        raise InvalidValue(f"unknown export format {export_format!r}; use one of {', '.join(FORMATS)}", field="action")
    if not document_ids:
        raise InvalidValue("no documents are selected", field="ids")


def export_record(
    *,
    organization: Organization,
    actor: Actor,
    export_format: str,
    document_ids: list[int],
    vat_breakdown: bool = False,
) -> None:
    """The audit event of an export streamed in the request (the job's is written by ``export_start``)."""
    _check(export_format, document_ids)
    with transaction.atomic():
        audit_record(
            organization=organization,
            actor=actor,
            action="documents.exported",
            object_type="export",
            object_id="direct",
            data={"format": export_format, "count": len(document_ids), "vat_breakdown": vat_breakdown},
        )


def export_start(
    *,
    organization: Organization,
    actor: Actor,
    export_format: str,
    document_ids: list[int],
    filters: dict[str, Any] | None = None,
    vat_breakdown: bool = False,
    language: str = "en",
    user_id: int | None = None,
) -> ExportJob:
    """Store the job and queue its task in one transaction; the worker does the rest."""
    _check(export_format, document_ids)
    ids = sorted(set(document_ids))
    with transaction.atomic():
        job = ExportJob.objects.create(
            organization=organization,
            requested_by_id=user_id,
            actor=actor.ref[:200],
            export_format=export_format,
            vat_breakdown=vat_breakdown,
            language=language,
            filters=filters or {},
            document_ids=ids,
            total=len(ids),
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="documents.exported",
            object_type="export",
            object_id=job.pk,
            data={"format": export_format, "count": len(ids), "vat_breakdown": vat_breakdown, "filters": job.filters},
        )
        _enqueue("export_run", job.pk)
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's file; a job already claimed, finished or expired is left as it is."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.select_related("organization").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"export job {job_id} does not exist", field="job_id")
    if not claimed:
        return job
    last = [timezone.now()]

    def progress(done: int) -> None:
        now = timezone.now()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            ExportJob.objects.filter(pk=job_id).update(done=done)

    build = ExportBuild(
        job.organization, job.export_format, list(job.document_ids), job.vat_breakdown, progress=progress
    )
    try:
        with translation.override(job.language), tempfile.TemporaryFile() as file:
            size = 0
            for chunk in build.chunks():
                file.write(chunk)
                size += len(chunk)
            file.seek(0)
            filename = build.filename()
            name = f"exports/{job.organization_id}/{job.pk}-{secrets.token_urlsafe(16)}.{job.export_format}"
            name = default_storage.save(name, File(file, name=filename))
    except Exception as error:
        logger.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportState.FAILED, error=str(error)[:2000] or type(error).__name__, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    finished = timezone.now()
    with transaction.atomic():
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportState.DONE,
            done=job.total,
            file=name,
            filename=filename,
            size=size,
            skipped=[{"number": item.number, "reason": item.reason} for item in build.skipped],
            finished_at=finished,
            expires_at=finished + retention(),
        )
        _enqueue("export_expire", job_id, run_after=finished + retention())
    job.refresh_from_db()
    return job


def export_job_expire(*, job_id: int) -> None:
    """Delete the job's file once it has expired; an early or second call does nothing."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.state != ExportState.DONE or not job.expires_at or job.expires_at > timezone.now():
        return
    if job.file:
        default_storage.delete(str(job.file.name))
    ExportJob.objects.filter(pk=job_id, state=ExportState.DONE).update(state=ExportState.EXPIRED, file="")


def export_jobs_expire_due() -> int:
    """Expire every job past its time (for operators: ``faktura exports expire``, in case tasks were lost)."""
    due = list(
        ExportJob.objects.filter(state=ExportState.DONE, expires_at__lte=timezone.now()).values_list("pk", flat=True)
    )
    for job_id in due:
        export_job_expire(job_id=job_id)
    return len(due)


def _enqueue(name: str, job_id: int, *, run_after: dt.datetime | None = None) -> None:
    from faktura.apps.exports import tasks  # the task module imports the services

    task = getattr(tasks, name)
    backend = task.get_backend()
    if run_after is not None:
        if not backend.supports_defer:
            logger.info("the task backend cannot defer: %s of export job %s is not queued", name, job_id)
            return
        task = task.using(run_after=run_after)
    enqueue = partial(task.enqueue, job_id)
    if isinstance(backend, DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)

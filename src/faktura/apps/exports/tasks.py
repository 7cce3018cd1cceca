"""Background tasks of the exports app: thin, idempotent, each loads by id and calls a service."""

from __future__ import annotations

from django_tasks import task

from faktura.apps.exports.services import export_job_expire, export_job_run


@task()
def export_run(job_id: int) -> str:
    """Build an export job's file; a second run finds the job claimed and does nothing. Returns its state."""
    return export_job_run(job_id=job_id).state


@task()
def export_expire(job_id: int) -> None:
    """Delete an export's file once its time is up."""
    export_job_expire(job_id=job_id)

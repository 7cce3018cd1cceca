"""Reads of export jobs, always within one seller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from faktura.apps.exports.models import ExportJob

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def export_job_get(*, organization: Organization, job_id: int) -> ExportJob | None:
    return ExportJob.objects.for_organization(organization).filter(pk=job_id).first()


def export_jobs_recent(*, organization: Organization, limit: int = 10) -> list[ExportJob]:
    return list(ExportJob.objects.for_organization(organization).defer("document_ids").order_by("-pk")[:limit])

"""A bulk download or export too large to stream in the request: run by a worker, kept for a while.

The job keeps what was asked (the format, the document ids resolved when it
was asked, and the list filter they came from, for the record), how far the
worker is (``done`` of ``total``), and the finished file in Django's storage
until ``expires_at``; then the file is deleted and the row says so.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from faktura.platform.models import TenantModel


class ExportFormat(models.TextChoices):
    ZIP = "zip", _("ZIP of PDFs")
    PDF = "pdf", _("One merged PDF")
    CSV = "csv", "CSV"
    XLSX = "xlsx", _("Excel (XLSX)")


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportJob(TenantModel):
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=200, help_text="Who asked, as the audit trail names them.")
    export_format = models.CharField(max_length=8, choices=ExportFormat.choices)
    vat_breakdown = models.BooleanField(default=False, help_text="CSV/XLSX: one row per VAT rate.")
    language = models.CharField(max_length=8, default="en")
    filters = models.JSONField(default=dict, blank=True, help_text="The list filter the selection came from.")
    document_ids = models.JSONField(default=list)
    state = models.CharField(max_length=8, choices=ExportState.choices, default=ExportState.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True, max_length=300)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True, help_text="Documents left out, with the reason.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created_at"], name="exports_job_org_created")]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.export_format}, {self.state})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.state == ExportState.DONE else 0)

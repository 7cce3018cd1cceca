"""Background tasks of the invoicing app: thin, idempotent, each loads by id and calls a service."""

from __future__ import annotations

from django_tasks import task

from faktura.apps.invoicing.services.rendering import document_render


@task()
def document_render_pdf(document_id: int) -> str:
    """Render and store the PDF of an issued document; running it twice stores it once. Returns its SHA-256."""
    return document_render(document_id=document_id).pdf_sha256

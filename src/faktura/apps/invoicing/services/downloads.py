"""The download mark (F7.3): which documents the seller has already taken away.

A seller imports documents into their bookkeeping by downloading them; the
list shows which ones they already have. The mark is the time of the first
download: later downloads keep it (the question is "have I got it?", not "when
last?"), so a bulk download of a page that holds old and new documents marks
only the new ones. Setting it is allowed on an issued document (the database
guard lets the download mark change), and is audited once per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_batch, audit_record
from faktura.apps.invoicing.models import Document
from faktura.core.actors import Actor
from faktura.core.documents import DocumentStatus

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def document_mark_downloaded(*, actor: Actor, organization: Organization, document_ids: Sequence[int]) -> int:
    """Mark the seller's documents among ``document_ids`` as downloaded now; returns how many were new.

    Ids of drafts, of other sellers' documents or of documents already marked
    are left alone (a draft has no PDF to take away).
    """
    if not document_ids:
        return 0
    now = timezone.now()
    # One transaction, one audit batch: a bulk download of thousands marks them in a few statements.
    with transaction.atomic(), audit_batch():
        fresh = list(
            Document.objects.for_organization(organization)
            .filter(pk__in=list(document_ids), downloaded_at__isnull=True)
            .exclude(status=DocumentStatus.DRAFT.value)
            .values_list("pk", "number")
        )
        if not fresh:
            return 0
        Document.objects.for_organization(organization).filter(pk__in=[pk for pk, _ in fresh]).update(downloaded_at=now)
        for pk, number in fresh:
            audit_record(
                organization=organization,
                actor=actor,
                action="document.downloaded",
                object_type="document",
                object_id=pk,
                data={"number": number},
            )
    return len(fresh)

"""After issue: cancelling, and deleting under the rules of F2.4."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.utils import timezone

from faktura.apps.audit.services import audit_append_locked, audit_record
from faktura.apps.invoicing import numbering
from faktura.apps.invoicing.models import Document, DocumentDeletion, SeriesCounter
from faktura.apps.invoicing.services.outbound import document_event_emit
from faktura.core.actors import Actor
from faktura.core.documents import DocumentStatus
from faktura.core.errors import Conflict, NotFound
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


class NotLatestNumber(Conflict):
    """Deleting this number would leave a gap in its series."""

    code = "document_not_latest"


def document_cancel(*, actor: Actor, organization: Organization, document_id: int, reason: str = "") -> Document:
    """Mark an issued document cancelled; it keeps its number, and the trail says why."""

    def cancel() -> Document:
        document = _locked(organization, document_id)
        if document.status != DocumentStatus.ISSUED:
            raise Conflict(f"only an issued document can be cancelled; this one is {document.status}")
        document.status = DocumentStatus.CANCELLED
        document.cancelled_at = timezone.now()
        document.cancel_reason = reason[:300]
        document.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        audit_record(
            organization=organization,
            actor=actor,
            action="document.cancelled",
            object_type="document",
            object_id=document.pk,
            data={"number": document.number, "reason": document.cancel_reason},
        )
        document_event_emit(document, "document.cancelled", reason=document.cancel_reason)
        return document

    return atomic_with_retry(cancel)


def document_delete(
    *,
    actor: Actor,
    organization: Organization,
    document_id: int,
    reason: str = "",
    delete_in_connected_system: bool = False,
) -> None:
    """Delete a draft, or an issued document that holds the latest number of its series.

    Any other issued document is refused: removing it would leave a gap in the
    numbering, so the answer offers a cancellation or a credit note instead.
    ``delete_in_connected_system`` (F2.4, for a document that came from the
    seller's external system) is the seller's wish that the copy there goes too:
    it travels in the ``document.deleted`` webhook event and the audit trail, for
    the connected system (or, later, its connector) to act on.
    """
    atomic_with_retry(lambda: _delete(actor, organization, document_id, reason, delete_in_connected_system))


def _delete(actor: Actor, organization: Organization, document_id: int, reason: str, remote: bool = False) -> None:
    document = _locked(organization, document_id)
    if document.status == DocumentStatus.DRAFT:
        document.delete()
        audit_record(
            organization=organization,
            actor=actor,
            action="document.draft_deleted",
            object_type="document",
            object_id=document_id,
            data={"type": document.document_type},
        )
        return
    if document.credit_notes.exists():
        raise Conflict(
            f"{document.number} has credit notes that refer to it; it cannot be deleted", field="document_id"
        )
    if document.series_id is None:
        # An uploaded document carries the seller's own number: there is no counter of ours to step back.
        _remove(document, actor, reason, remote)
        audit_record(
            organization=organization,
            actor=actor,
            action="document.deleted",
            object_type="document",
            object_id=document_id,
            data={"number": document.number, "reason": reason[:300], **_remote_wish(remote)},
        )
        return
    counter_row = SeriesCounter.objects.get(
        series_id=document.series_id, period=document.period, is_test=document.is_test
    )
    head = numbering.step_back(counter_id=counter_row.pk, counter=document.counter or 0)
    if head is None:
        raise NotLatestNumber(
            f"{document.number} is not the latest number of its series, so deleting it would leave a gap; "
            "cancel it or issue a credit note instead",
            field="document_id",
        )
    _remove(document, actor, reason, remote)
    event = audit_append_locked(
        chain=f"counter:{counter_row.pk}",
        head_seq=head[0],
        head_hash=head[1],
        organization=organization,
        actor=actor,
        action="document.deleted",
        object_type="document",
        object_id=document_id,
        data={"number": document.number, "counter": document.counter, "reason": reason[:300], **_remote_wish(remote)},
    )
    numbering.store_chain_head(counter_id=counter_row.pk, seq=event.seq, head=event.hash)


def _remote_wish(remote: bool) -> dict[str, bool]:
    """Said only when asked, so the events of ordinary deletions stay as they were."""
    return {"delete_in_connected_system": True} if remote else {}


def _remove(document: Document, actor: Actor, reason: str, remote: bool = False) -> None:
    """Write the tombstone that lets the database guard allow the DELETE, then delete.

    The webhook event is queued first, while the document still has its id; a
    refused DELETE rolls it back with everything else.
    """
    document_event_emit(document, "document.deleted", reason=reason[:300], **_remote_wish(remote))
    DocumentDeletion.objects.create(
        organization_id=document.organization_id,
        document_id=document.pk,
        document_type=document.document_type,
        series_id=document.series_id,
        number=document.number or "",
        snapshot=_snapshot(document),
        reason=reason[:300],
        deleted_by=actor.ref,
        deleted_at=timezone.now(),
    )
    try:
        document.delete()
    except ProtectedError:
        raise Conflict(f"{document.number} is referenced by other documents", field="document_id") from None


def _locked(organization: Organization, document_id: int) -> Document:
    try:
        return Document.objects.select_for_update().get(pk=document_id, organization=organization)
    except Document.DoesNotExist:
        raise NotFound(f"document {document_id} does not exist", field="document_id") from None


def _snapshot(document: Document) -> dict[str, object]:
    """Everything the deleted document said, kept in its tombstone for the auditor."""
    data = model_to_dict(document, exclude=["pdf"])
    data["lines"] = [model_to_dict(line) for line in document.lines.all()]
    data["vat_breakdown"] = [model_to_dict(row) for row in document.vat_breakdown.all()]
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))

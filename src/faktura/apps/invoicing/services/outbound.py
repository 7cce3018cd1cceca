"""What a seller's webhook endpoints hear about a document, told in the transaction of the change."""

from __future__ import annotations

from typing import Any

from faktura.apps.integrations.services import webhook_event_emit
from faktura.apps.invoicing.models import Document


def document_event_emit(document: Document, event_type: str, **extra: Any) -> None:
    """Queue ``event_type`` for ``document``'s seller: ids, number, amounts as strings, never floats."""
    webhook_event_emit(
        organization_id=document.organization_id,
        event_type=event_type,
        object_type="document",
        object_id=document.pk,
        data={
            "id": document.pk,
            "type": document.document_type,
            "number": document.number,
            "status": document.status,
            "is_test": document.is_test,
            "order_id": document.order_id,
            "currency": document.currency,
            "payable": str(document.payable),
            "payment_state": document.payment_state,
            "issue_date": document.issue_date.isoformat() if document.issue_date else None,
            **extra,
        },
    )

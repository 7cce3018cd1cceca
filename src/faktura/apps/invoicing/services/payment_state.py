"""Keeping an issued document's payment state in step with the payments recorded for it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services.outbound import document_event_emit
from faktura.core.documents import DocumentStatus
from faktura.core.errors import Conflict, NotFound
from faktura.core.payment_state import PaymentState, payment_state

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def document_lock_for_payment(*, organization: Organization, document_id: int) -> Document:
    """The issued document, locked so that two payments recorded at once add up."""
    try:
        document = Document.objects.select_for_update().get(pk=document_id, organization=organization)
    except Document.DoesNotExist:
        raise NotFound(f"document {document_id} does not exist", field="document_id") from None
    if document.status != DocumentStatus.ISSUED:
        raise Conflict(f"payments can be recorded only for issued documents; this one is {document.status}")
    return document


_SETTLED = (PaymentState.PAID, PaymentState.OVERPAID)


def document_set_payment_state(*, document: Document, paid: Decimal) -> Document:
    """Store the sum paid and the state it implies; the caller holds the document's lock.

    The moment a document becomes paid (or overpaid) the seller's endpoints
    hear ``document.paid``, in this same transaction; a document paid in one
    go and then overpaid hears it once.
    """
    before = PaymentState(document.payment_state)
    document.amount_paid = paid
    after = payment_state(payable=document.payable, paid=paid)
    document.payment_state = after.value
    document.save(update_fields=["amount_paid", "payment_state", "updated_at"])
    if after in _SETTLED and before not in _SETTLED:
        document_event_emit(document, "document.paid", amount_paid=str(paid))
    return document

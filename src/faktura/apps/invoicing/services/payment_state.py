"""Keeping an issued document's payment state in step with the payments recorded for it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services.outbound import document_event_emit
from faktura.core.documents import DocumentStatus
from faktura.core.errors import Conflict, NotFound
from faktura.core.payment_state import PaymentState, payment_state
from faktura.platform import fastsql
from faktura.platform.fastread import PreparedRead

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def document_lock_for_payment(*, organization: Organization, document_id: int) -> Document:
    """The issued document, locked so that two payments recorded at once add up."""
    document = _LOCKED.first(organization_id=organization.pk, document_id=document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")
    if document.status != DocumentStatus.ISSUED:
        raise Conflict(f"payments can be recorded only for issued documents; this one is {document.status}")
    return document


# Every payment locks its document: compiled once per process (platform.fastread), not per payment.
_LOCKED = PreparedRead(
    lambda organization_id, document_id: Document.objects.select_for_update().filter(
        organization_id=organization_id, pk=document_id
    ),
    organization_id=int,
    document_id=int,
)

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
    document.updated_at = timezone.now()
    # One cached UPDATE (platform.fastsql): this runs for every payment, the rules' "marked paid" included.
    fastsql.update_by_pk(
        Document,
        document.pk,
        {"amount_paid": paid, "payment_state": after.value, "updated_at": document.updated_at},
    )
    if after in _SETTLED and before not in _SETTLED:
        document_event_emit(document, "document.paid", amount_paid=str(paid))
    return document

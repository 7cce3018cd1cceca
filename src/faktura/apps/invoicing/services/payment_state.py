"""Keeping an issued document's payment state in step with the payments recorded for it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from faktura.apps.invoicing.models import Document
from faktura.core.documents import DocumentStatus
from faktura.core.errors import Conflict, NotFound
from faktura.core.payment_state import payment_state

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


def document_set_payment_state(*, document: Document, paid: Decimal) -> Document:
    """Store the sum paid and the state it implies; the caller holds the document's lock."""
    document.amount_paid = paid
    document.payment_state = payment_state(payable=document.payable, paid=paid).value
    document.save(update_fields=["amount_paid", "payment_state", "updated_at"])
    return document

"""Reads of payments; every read names its organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from faktura.apps.payments.models import Payment

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def payments_for_document(*, organization: Organization, document_id: int) -> QuerySet[Payment]:
    """The payments recorded for one document, oldest first."""
    return Payment.objects.for_organization(organization).filter(document_id=document_id).order_by("received_on", "pk")

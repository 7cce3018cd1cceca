"""Reads of the message log and the email templates; every read names its organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from faktura.apps.delivery.models import EmailTemplate, OutgoingMessage

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def messages_of_document(*, organization: Organization, document_id: int) -> list[OutgoingMessage]:
    """The emails about one document, newest first, with their attempts."""
    return list(
        OutgoingMessage.objects.for_organization(organization)
        .filter(document_id=document_id)
        .prefetch_related("attempt_log")
        .order_by("-pk")
    )


def message_get(*, organization: Organization, message_id: int) -> OutgoingMessage | None:
    return (
        OutgoingMessage.objects.for_organization(organization)
        .prefetch_related("attempt_log")
        .filter(pk=message_id)
        .first()
    )


def message_for_link(*, organization_id: int, message_id: int, document_id: int) -> OutgoingMessage | None:
    """The message a signed link came in, if it still belongs to that seller and document."""
    return OutgoingMessage.objects.filter(
        pk=message_id, organization_id=organization_id, document_id=document_id
    ).first()


def email_templates(*, organization: Organization) -> QuerySet[EmailTemplate]:
    return EmailTemplate.objects.for_organization(organization).order_by("kind", "language")

"""Reads of the message log and the email templates; every read names its organization."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from faktura.apps.accounts.selectors import organization_get
from faktura.apps.delivery.links import LinkInvalid, link_read
from faktura.apps.delivery.models import EmailTemplate, OutgoingMessage
from faktura.apps.invoicing import selectors as invoicing
from faktura.core.documents import DocumentStatus
from faktura.core.errors import FakturaError

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.invoicing.models import Document


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


class LinkRevoked(FakturaError):
    code = "link_revoked"
    http_status = 410


@dataclass(frozen=True)
class LinkedDocument:
    organization: Organization
    document: Document
    message: OutgoingMessage


def document_link_open(*, token: str) -> LinkedDocument:
    """The issued document a signed email link opens (``links.py``), for the link's holder.

    Errors are ``FakturaError``s with their ``http_status``: ``LinkInvalid``
    (404) for a forged, altered or foreign token, or one whose seller, document
    or message no longer match; ``LinkExpired`` (410) for an old one;
    ``LinkRevoked`` (410) for one the seller withdrew.
    """
    target = link_read(token)
    message = message_for_link(
        organization_id=target.organization_id, message_id=target.message_id, document_id=target.document_id
    )
    organization = organization_get(organization_id=target.organization_id)
    if message is None or organization is None:
        raise LinkInvalid("this link is not valid")
    if message.link_revoked_at is not None:
        raise LinkRevoked("the seller has withdrawn this link")
    document = invoicing.document_get(organization=organization, document_id=target.document_id)
    if document is None or document.status == DocumentStatus.DRAFT:
        raise LinkInvalid("this link is not valid")
    return LinkedDocument(organization=organization, document=document, message=message)

"""Asking for an email: when a document is issued (in the issuing transaction), or again by a person."""

from __future__ import annotations

import uuid
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import DNS_NAME
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.delivery import labels
from faktura.apps.delivery.models import MessageState, MessageTrigger, OutgoingMessage
from faktura.apps.delivery.services.queue import message_enqueue
from faktura.apps.invoicing import selectors as invoicing
from faktura.core.actors import Actor
from faktura.core.documents import DocumentStatus
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.invoicing.models import Document

NO_RECIPIENT = "no_recipient"


def new_message_id() -> str:
    """``<faktura.<32 hex>@<domain>>``: unique, fixed with the row, the same on every attempt."""
    domain = settings.FAKTURA_EMAIL_MESSAGE_ID_DOMAIN
    if not domain:
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(DNS_NAME)
    return f"<faktura.{uuid.uuid4().hex}@{domain}>"


def document_email_enqueue(
    *, actor: Actor, document: Document, trigger: str = MessageTrigger.ISSUE, recipient: str | None = None
) -> OutgoingMessage:
    """Log an email to the buyer of an issued ``document`` and queue its first attempt, in the caller's transaction.

    Issuing calls this inside its transaction when the rule says "send to the
    buyer": the message row and the task row commit with the document or not
    at all, and the unique ``(document, trigger=issue)`` keeps it to one email.
    Without an address the message is logged as failed, with the reason, and
    nothing is queued.
    """
    buyer: dict[str, Any] = document.buyer_details or {}
    address = (document.buyer_email or str(buyer.get("email") or "") if recipient is None else recipient).strip()
    message = OutgoingMessage(
        organization_id=document.organization_id,
        document_id=document.pk,
        order_id=document.order_id,
        trigger=trigger,
        requested_by=actor.ref[:200],
        recipient=address,
        language=labels.language_of(str(buyer.get("language") or ""), document.language),
        message_id=new_message_id(),
    )
    if not address:
        message.state, message.error_code, message.failed_at = MessageState.FAILED, NO_RECIPIENT, timezone.now()
        message.reason = "the buyer has no email address; send it again with an address"
    message.save(force_insert=True)
    if address:
        message_enqueue(message_id=message.pk, attempt=1)
    return message


def document_email_resend(
    *, actor: Actor, organization: Organization, document_id: int, recipient: str | None = None
) -> OutgoingMessage:
    """Send an issued document to its buyer (or to ``recipient``) again: a new message, with its own Message-ID."""
    document = invoicing.document_get(organization=organization, document_id=document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")
    if document.status == DocumentStatus.DRAFT:
        raise Conflict("a draft cannot be sent; issue it first", field="document_id")
    if recipient is not None:
        recipient = recipient.strip()
        try:
            validate_email(recipient)
        except ValidationError:
            raise InvalidValue(f"{recipient!r} is not an email address", field="to") from None
    elif not document.buyer_email:
        raise MissingValue("the document's buyer has no email address; give one", field="to")
    with transaction.atomic():
        message = document_email_enqueue(
            actor=actor, document=document, trigger=MessageTrigger.RESEND, recipient=recipient
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="document.email_requested",
            object_type="document",
            object_id=document.pk,
            data={"message": message.pk, "to": message.recipient, "message_id": message.message_id},
        )
    return message


def message_link_revoke(*, actor: Actor, organization: Organization, message_id: int) -> OutgoingMessage:
    """Make the document link in a message stop opening (it cannot be made to open again)."""
    with transaction.atomic():
        message = (
            OutgoingMessage.objects.for_organization(organization).select_for_update().filter(pk=message_id).first()
        )
        if message is None:
            raise NotFound(f"message {message_id} does not exist", field="message_id")
        if message.link_revoked_at is None:
            message.link_revoked_at = timezone.now()
            message.save(update_fields=["link_revoked_at", "updated_at"])
            audit_record(
                organization=organization,
                actor=actor,
                action="document.link_revoked",
                object_type="document",
                object_id=message.document_id,
                data={"message": message.pk},
            )
    return message

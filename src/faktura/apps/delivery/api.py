"""Emails to buyers over the REST API: the message log of a document, sending again, the seller's wording.

Thin views over the delivery services and selectors; every id is looked up
within the caller's seller, so another seller's document or message is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from faktura.apps.delivery import selectors, services
from faktura.apps.delivery.models import (
    AttemptOutcome,
    EmailTemplate,
    MessageKind,
    MessageState,
    MessageTrigger,
    OutgoingMessage,
)
from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.invoicing import selectors as invoicing
from faktura.core.errors import NotFound

router = Router(tags=["emails to buyers"])


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


class AttemptOut(Schema):
    number: int
    outcome: AttemptOutcome
    error: str
    worker: str
    started_at: dt.datetime
    finished_at: dt.datetime | None


class MessageOut(Schema):
    id: int
    document_id: int
    order_id: int | None
    trigger: MessageTrigger
    requested_by: str
    kind: MessageKind | None = Field(description="order_confirmation or document; set at the first attempt.")
    to: str
    language: str
    subject: str
    message_id: str = Field(description="The Message-ID header, the same on every attempt.")
    state: MessageState
    error_code: str = Field(description="Why it failed or is waiting: recipient_refused, smtp_unavailable...")
    reason: str
    attempts: int
    pdf_sha256: str = Field(description="SHA-256 of the PDF attached (the document version sent).")
    attachments: list[dict[str, Any]]
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    failed_at: dt.datetime | None
    link_revoked_at: dt.datetime | None
    attempt_log: list[AttemptOut]


class ResendIn(Schema):
    to: str | None = Field(None, description="Another address; the document's buyer's if left out.")


class TemplateIn(Schema):
    subject: str = Field(description="One line, with field macros such as {document.number}.")
    body: str = Field(description="Plain text with field macros; blank lines separate paragraphs.")


class TemplateOut(Schema):
    kind: MessageKind
    language: str
    subject: str
    body: str
    updated_at: dt.datetime


def _message_out(message: OutgoingMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "document_id": message.document_id,
        "order_id": message.order_id,
        "trigger": message.trigger,
        "requested_by": message.requested_by,
        "kind": message.kind or None,
        "to": message.recipient,
        "language": message.language,
        "subject": message.subject,
        "message_id": message.message_id,
        "state": message.state,
        "error_code": message.error_code,
        "reason": message.reason,
        "attempts": message.attempts,
        "pdf_sha256": message.pdf_sha256,
        "attachments": message.attachments,
        "created_at": message.created_at,
        "next_attempt_at": message.next_attempt_at,
        "sent_at": message.sent_at,
        "failed_at": message.failed_at,
        "link_revoked_at": message.link_revoked_at,
        "attempt_log": list(message.attempt_log.all()),
    }


def _template_out(template: EmailTemplate) -> dict[str, Any]:
    return {
        "kind": template.kind,
        "language": template.language,
        "subject": template.subject,
        "body": template.body,
        "updated_at": template.updated_at,
    }


MESSAGES = "/documents/{document_id}/messages"


@router.get(MESSAGES, response=list[MessageOut], summary="The emails about a document, newest first")
def messages_list(request: HttpRequest, document_id: int) -> Any:
    organization = _org(request)
    if invoicing.document_get(organization=organization, document_id=document_id) is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")
    return [_message_out(m) for m in selectors.messages_of_document(organization=organization, document_id=document_id)]


@router.post(MESSAGES, response={202: MessageOut}, summary="Send a document to its buyer (again)")
@idempotent
def message_resend(request: HttpRequest, document_id: int, payload: ResendIn) -> Any:
    message = services.document_email_resend(
        actor=_actor(request), organization=_org(request), document_id=document_id, recipient=payload.to
    )
    found = selectors.message_get(organization=_org(request), message_id=message.pk)
    return Status(202, _message_out(found or message))


@router.get("/messages/{message_id}", response=MessageOut, summary="One email to a buyer and its attempts")
def message_detail(request: HttpRequest, message_id: int) -> Any:
    message = selectors.message_get(organization=_org(request), message_id=message_id)
    if message is None:
        raise NotFound(f"message {message_id} does not exist", field="message_id")
    return _message_out(message)


@router.post("/messages/{message_id}/revoke-link", response=MessageOut, summary="Stop the document link in an email")
@idempotent
def message_revoke_link(request: HttpRequest, message_id: int) -> Any:
    services.message_link_revoke(actor=_actor(request), organization=_org(request), message_id=message_id)
    return _message_out(selectors.message_get(organization=_org(request), message_id=message_id))  # type: ignore[arg-type]


@router.get("/email-templates", response=list[TemplateOut], summary="The seller's own wording of emails to buyers")
def templates_list(request: HttpRequest) -> Any:
    return [_template_out(t) for t in selectors.email_templates(organization=_org(request))]


TEMPLATE = "/email-templates/{kind}/{language}"


@router.put(TEMPLATE, response=TemplateOut, summary="Set the wording of one kind of email in one language")
@idempotent
def template_put(request: HttpRequest, kind: MessageKind, language: str, payload: TemplateIn) -> Any:
    template = services.email_template_save(
        actor=_actor(request),
        organization=_org(request),
        kind=kind,
        language=language,
        subject=payload.subject,
        body=payload.body,
    )
    return _template_out(template)


@router.delete(TEMPLATE, response={204: None}, summary="Go back to the built-in wording")
def template_delete(request: HttpRequest, kind: MessageKind, language: str) -> Any:
    services.email_template_delete(actor=_actor(request), organization=_org(request), kind=kind, language=language)
    return Status(204, None)

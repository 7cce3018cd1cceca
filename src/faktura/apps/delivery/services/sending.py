"""One attempt at sending a message: claim, build, send, record. Never lost, never twice.

An attempt is three steps, and only the middle one talks to the mail server:

1. **claim**, in its own short transaction, with the message row locked: the
   attempt number must be the next one and the message ``queued`` (or, for a
   *rescue*, still ``sending`` under an expired lease: the worker that claimed
   it died). The row becomes ``sending`` with a lease, the attempt is logged
   under the unique (message, number), and a rescue task for the next number
   is queued to run when the lease ends. A task that runs twice finds its
   number taken and does nothing.
2. **send**, outside any transaction: render the PDF if it is not there yet
   (``document_render`` is idempotent), compose, hand it to Django's email
   backend (SMTP by default).
3. **record**, in a second transaction: ``sent``; or, for a temporary failure
   with tries left, ``queued`` again with the next attempt queued in that same
   transaction for later (back-off); or ``failed`` with the reason.

When a worker dies between 1 and 3, the rescue task claims the next number
and sends the same email, with the same ``Message-ID``. If the server had
already accepted it (a crash after the end of DATA, before step 3 committed),
the buyer's server gets it twice under one Message-ID, which receivers use to
drop the repeat: SMTP cannot promise more than at least once around that gap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.delivery.compose import Attachment, Branding, attachment_name, compose
from faktura.apps.delivery.content import kind_of, wording
from faktura.apps.delivery.failures import Failure, classify
from faktura.apps.delivery.links import link_token, link_url
from faktura.apps.delivery.models import AttemptOutcome, DeliveryAttempt, MessageState, OutgoingMessage
from faktura.apps.delivery.services.queue import message_enqueue
from faktura.apps.integrations.services import webhook_event_emit
from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.invoicing.services.rendering import document_render
from faktura.apps.layouts import selectors as layouts
from faktura.apps.layouts.services import logo_bytes
from faktura.core.actors import SYSTEM
from faktura.core.errors import Conflict

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives

    from faktura.apps.invoicing.models import Document

logger = logging.getLogger(__name__)

SKIPPED = "skipped"
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
DEFAULT_ACCENT = "#1F4E79"


def retry_delays() -> list[int]:
    """Seconds to wait before each retry; the message fails after the last one."""
    return [int(delay) for delay in settings.FAKTURA_EMAIL_RETRY_DELAYS]


def message_send_attempt(*, message_id: int, attempt: int, rescue: bool = False, worker: str = "") -> str:
    """Make attempt ``attempt`` of sending message ``message_id``; returns the state it left, or ``skipped``."""
    message = _claim(message_id=message_id, attempt=attempt, rescue=rescue, worker=worker)
    if message is None:
        return SKIPPED
    try:
        email = _build(message, attempt)
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([email])
    except Exception as error:  # every failure is recorded, then retried or reported
        failure = classify(error)
        logger.warning("message %s attempt %s failed: %s", message.pk, attempt, failure.reason)
        return _record_failure(message, attempt, failure)
    return _record_sent(message, attempt)


def _claim(*, message_id: int, attempt: int, rescue: bool, worker: str) -> OutgoingMessage | None:
    now = timezone.now()
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.attempts != attempt - 1:
            return None
        if rescue:
            if message.state != MessageState.SENDING or (message.lease_until and message.lease_until > now):
                return None
            DeliveryAttempt.objects.filter(message=message, number=attempt - 1).update(
                outcome=AttemptOutcome.INTERRUPTED,
                finished_at=now,
                error="the worker stopped while sending; sent again with the same Message-ID",
            )
        elif message.state != MessageState.QUEUED:
            return None
        if attempt > len(retry_delays()) + 1:
            _finish(message, MessageState.FAILED, now, code="gave_up", reason=f"gave up after {attempt - 1} attempts")
            return None
        message.state, message.attempts, message.next_attempt_at = MessageState.SENDING, attempt, None
        message.lease_until = now + dt.timedelta(seconds=settings.FAKTURA_EMAIL_SEND_LEASE)
        message.save(update_fields=["state", "attempts", "next_attempt_at", "lease_until", "updated_at"])
        DeliveryAttempt.objects.create(
            organization_id=message.organization_id,
            message=message,
            number=attempt,
            worker=worker[:100],
            started_at=now,
        )
        message_enqueue(message_id=message.pk, attempt=attempt + 1, rescue=True, run_after=message.lease_until)
    return message


def _build(message: OutgoingMessage, attempt: int) -> EmailMultiAlternatives:
    """The email as it goes out now; what it carries is written to the log before it is sent."""
    document = document_render(document_id=message.document_id)
    with default_storage.open(str(document.pdf.name), "rb") as handle:
        pdf = bytes(handle.read())
    if hashlib.sha256(pdf).hexdigest() != document.pdf_sha256:
        raise Conflict("the stored PDF does not match its recorded SHA-256", field="pdf")
    number = document.number or str(document.pk)
    attachments = [Attachment(attachment_name(number, "pdf"), pdf, "application/pdf"), *einvoice_attachments(document)]
    kind = kind_of(document=document, first_of_order=_first_of_order(document))
    words = wording(document=document, kind=kind, language=message.language)
    token = link_token(organization_id=message.organization_id, document_id=document.pk, message_id=message.pk)
    OutgoingMessage.objects.filter(pk=message.pk, attempts=attempt).update(
        kind=kind,
        subject=words.subject,
        pdf_sha256=document.pdf_sha256,
        attachments=[
            {
                "name": a.name,
                "content_type": a.content_type,
                "size": len(a.content),
                "sha256": hashlib.sha256(a.content).hexdigest(),
            }
            for a in attachments
        ],
    )
    return compose(
        recipient=message.recipient,
        message_id=message.message_id,
        language=message.language,
        wording=words,
        branding=_branding(document),
        link=link_url(token),
        attachments=attachments,
    )


def einvoice_attachments(document: Document) -> list[Attachment]:
    """The document's e-invoice XML (UBL / CII), once Faktura writes them: none yet."""
    return []


def _first_of_order(document: Document) -> bool:
    if not document.order_id:
        return False
    rows = invoicing.order_documents(organization=document.organization, order_id=document.order_id)
    return min((row.id for row in rows), default=document.pk) == document.pk


def _branding(document: Document) -> Branding:
    """The seller's name, reply address, and the accent colour and logo their PDF was made with."""
    organization = document.organization
    record = layouts.render_get(organization=organization, document_id=document.pk)
    settings_used = dict(record.settings) if record is not None and record.settings else {}
    if not settings_used:
        layout = layouts.layout_for(
            organization=organization, channel_id=document.channel_id, document_type=document.document_type
        )
        if layout is not None:
            settings_used = {"accent": layout.accent_colour, "logo": layout.logo.name if layout.logo else ""}
    accent = str(settings_used.get("accent") or "")
    seller = document.seller or {}
    try:
        logo = logo_bytes(str(settings_used.get("logo") or ""))
    except OSError:
        logo = b""
    return Branding(
        seller_name=str(seller.get("trade_name") or seller.get("legal_name") or organization.legal_name),
        reply_to=str(seller.get("email") or organization.email),
        accent=accent if _COLOUR.fullmatch(accent) else DEFAULT_ACCENT,
        logo=logo,
    )


def _record_sent(message: OutgoingMessage, attempt: int) -> str:
    now = timezone.now()
    with transaction.atomic():
        updated = OutgoingMessage.objects.filter(pk=message.pk, attempts=attempt, state=MessageState.SENDING).update(
            state=MessageState.SENT, sent_at=now, lease_until=None, error_code="", reason="", updated_at=now
        )
        DeliveryAttempt.objects.filter(message_id=message.pk, number=attempt).update(
            outcome=AttemptOutcome.SENT, finished_at=now
        )
        if updated:
            message.refresh_from_db()
            data = {
                "id": message.document_id,
                "message": message.pk,
                "message_id": message.message_id,
                "to": message.recipient,
                "kind": message.kind,
                "pdf_sha256": message.pdf_sha256,
                "sent_at": now.isoformat(),
            }
            webhook_event_emit(
                organization_id=message.organization_id,
                event_type="document.sent",
                object_type="document",
                object_id=message.document_id,
                data=data,
            )
            audit_record(
                organization=message.organization,
                actor=SYSTEM,
                action="document.sent",
                object_type="document",
                object_id=message.document_id,
                data=data,
            )
    logger.info("message %s sent to %s (attempt %s)", message.pk, message.recipient, attempt)
    return MessageState.SENT


def _record_failure(message: OutgoingMessage, attempt: int, failure: Failure) -> str:
    now = timezone.now()
    delays = retry_delays()
    retry = not failure.permanent and attempt <= len(delays)
    with transaction.atomic():
        current = OutgoingMessage.objects.select_for_update().filter(pk=message.pk).first()
        DeliveryAttempt.objects.filter(message_id=message.pk, number=attempt).update(
            outcome=AttemptOutcome.RETRY if retry else AttemptOutcome.FAILED, finished_at=now, error=failure.reason
        )
        if current is None or current.attempts != attempt or current.state != MessageState.SENDING:
            return SKIPPED  # a rescue took the message over meanwhile
        if retry:
            current.state, current.lease_until = MessageState.QUEUED, None
            current.next_attempt_at = now + dt.timedelta(seconds=delays[attempt - 1])
            current.error_code, current.reason = failure.code, failure.reason
            current.save(
                update_fields=["state", "lease_until", "next_attempt_at", "error_code", "reason", "updated_at"]
            )
            message_enqueue(message_id=current.pk, attempt=attempt + 1, run_after=current.next_attempt_at)
            return MessageState.QUEUED
        reason = failure.reason if failure.permanent else f"gave up after {attempt} attempts: {failure.reason}"
        _finish(current, MessageState.FAILED, now, code=failure.code if failure.permanent else "gave_up", reason=reason)
    return MessageState.FAILED


def _finish(message: OutgoingMessage, state: str, now: dt.datetime, *, code: str, reason: str) -> None:
    message.state, message.failed_at, message.lease_until = state, now, None
    message.error_code, message.reason = code, reason
    message.save(update_fields=["state", "failed_at", "lease_until", "error_code", "reason", "updated_at"])
    audit_record(
        organization=message.organization,
        actor=SYSTEM,
        action="document.email_failed",
        object_type="document",
        object_id=message.document_id,
        data={"message": message.pk, "to": message.recipient, "code": code, "reason": reason},
    )

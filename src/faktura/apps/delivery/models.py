"""The outgoing message log, each attempt at sending, and sellers' email templates.

One ``OutgoingMessage`` row is one email a buyer is meant to receive, written
in the transaction that asked for it (the issue of its document, or a
person's resend). Its ``message_id`` is fixed when the row is written, so
every attempt at sending it carries the same ``Message-ID`` header and a
receiver can tell a repeat from a new email. Issuing writes at most one row
per document (``trigger = issue``, unique), so one issue never becomes two emails.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from faktura.platform.models import TenantModel


class MessageState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class MessageTrigger(models.TextChoices):
    ISSUE = "issue", "Sent when the document was issued"
    RESEND = "resend", "Sent again by a person"


class MessageKind(models.TextChoices):
    ORDER_CONFIRMATION = "order_confirmation", "Order confirmation with the document"
    DOCUMENT = "document", "The document alone"


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    RETRY = "retry", "Failed for now; tried again later"
    FAILED = "failed", "Failed for good"
    INTERRUPTED = "interrupted", "The worker stopped before it knew"


class OutgoingMessage(TenantModel):
    """One email to a buyer about one document, and where it stands."""

    document_id = models.BigIntegerField()
    order_id = models.BigIntegerField(null=True, blank=True)
    trigger = models.CharField(max_length=16, choices=MessageTrigger.choices)
    requested_by = models.CharField(max_length=200, help_text="The actor that asked for the email.")
    kind = models.CharField(max_length=24, choices=MessageKind.choices, blank=True)
    recipient = models.EmailField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=255, unique=True, help_text="The Message-ID header of every attempt.")
    state = models.CharField(max_length=16, choices=MessageState.choices, default=MessageState.QUEUED)
    error_code = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True, help_text="Why the last attempt failed, or why the email was not sent.")
    attempts = models.PositiveIntegerField(default=0)
    pdf_sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the PDF attached.")
    attachments = models.JSONField(default=list, blank=True, help_text="[{name, content_type, size, sha256}]")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="While sending: after this the attempt counts as interrupted."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    link_revoked_at = models.DateTimeField(null=True, blank=True, help_text="The document link in it no longer opens.")

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("document_id",), condition=Q(trigger="issue"), name="delivery_one_issue_email_per_document"
            ),
        )
        indexes = (models.Index(fields=("organization", "document_id"), name="delivery_message_org_document"),)

    def __str__(self) -> str:
        return f"{self.message_id} to {self.recipient or '?'}: {self.state}"


class DeliveryAttempt(TenantModel):
    """One try at handing a message to the mail server; its number is claimed before talking SMTP."""

    message = models.ForeignKey(OutgoingMessage, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    worker = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=16, choices=AttemptOutcome.choices, default=AttemptOutcome.SENDING)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("number",)
        constraints = (models.UniqueConstraint(fields=("message", "number"), name="delivery_attempt_unique_number"),)

    def __str__(self) -> str:
        return f"{self.message_id}#{self.number}: {self.outcome}"


class EmailTemplate(TenantModel):
    """A seller's wording of one kind of email in one language: subject and body, with field macros."""

    kind = models.CharField(max_length=24, choices=MessageKind.choices)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("organization", "kind", "language"), name="delivery_template_unique"),
        )

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"

"""Layout settings per seller, channel and document type, and how each document was rendered.

A ``DocumentLayout`` row with no channel applies to every channel, one with
an empty document type to every type; the most specific row wins (see
``selectors.layout_for``). ``DocumentRender`` freezes the settings a
document was first rendered with, so a re-render gives the same bytes even
after the seller changes the layout.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from faktura.core.documents import DocumentType
from faktura.pdf.template import DEFAULT_ACCENT, FONTS
from faktura.platform.models import TenantModel, choices_of

FONT_CHOICES = [(key, family) for key, family in FONTS.items()]


class DocumentLayout(TenantModel):
    channel = models.ForeignKey("sales.SalesChannel", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    document_type = models.CharField(
        max_length=16, blank=True, choices=choices_of(DocumentType), help_text="Empty: every document type."
    )
    accent_colour = models.CharField(max_length=7, default=DEFAULT_ACCENT)
    font = models.CharField(max_length=16, choices=FONT_CHOICES, default="inter")
    logo = models.FileField(upload_to="logos/", blank=True, help_text="PNG or JPEG; stored under its SHA-256.")
    footer = models.TextField(blank=True, max_length=500)
    bank_account = models.ForeignKey(
        "accounts.BankAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account printed on documents; empty: every account in the document's currency.",
    )
    language = models.CharField(max_length=8, blank=True, help_text="Empty: the seller's default language.")
    bilingual = models.BooleanField(default=False, help_text="Print labels in the buyer's language too.")
    template_source = models.TextField(blank=True, help_text="A custom Typst template; empty: the built-in one.")
    templates = models.JSONField(
        default=dict, blank=True, help_text="Field templates with macros: field name -> template (F5.2)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("organization", "channel", "document_type"),
                condition=Q(channel__isnull=False),
                name="layout_unique_channel_type",
            ),
            models.UniqueConstraint(
                fields=("organization", "document_type"),
                condition=Q(channel__isnull=True),
                name="layout_unique_type_all_channels",
            ),
        )

    def __str__(self) -> str:
        return f"layout {self.channel_id or '*'}/{self.document_type or '*'}"


class DocumentRender(TenantModel):
    """The PDF of one issued document: settings used, state, and the file's hash."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RENDERED = "rendered"
        FAILED = "failed"

    document_id = models.BigIntegerField(unique=True)
    settings = models.JSONField(default=dict, help_text="The layout as frozen at the first render.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"render of document {self.document_id}: {self.status}"

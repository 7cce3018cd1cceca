"""Writes of layout settings, previews, and the frozen settings of each rendered document.

``layout_save`` checks everything before storing: the colour and font, the
language, that the bank account and channel are the seller's own, the logo
(PNG/JPEG the compiler can decode, stored under its SHA-256 so a document
rendered with it can always find it again) and a custom template, compiled
against a sample document in a separate process with time and memory limits
(``faktura.pdf.sandbox``). Every save writes its audit row in the same
transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from faktura.apps.accounts.selectors import bank_accounts
from faktura.apps.audit.services import audit_record
from faktura.apps.layouts import selectors
from faktura.apps.layouts.field_templates import (
    APPLIED_FIELDS,
    document_fields_from_templates,
    templates_checked,
    templates_for,
)
from faktura.apps.layouts.models import DocumentLayout, DocumentRender
from faktura.apps.sales.selectors import channel_get
from faktura.core import countries
from faktura.core.actors import Actor
from faktura.core.documents import DocumentType
from faktura.core.errors import InvalidValue, NotFound
from faktura.pdf import custom
from faktura.pdf.engine import default_engine
from faktura.pdf.images import check_logo
from faktura.pdf.sample import sample_document
from faktura.pdf.template import DEFAULT_ACCENT, Layout, Template

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

MAX_FOOTER = 500


@dataclass(frozen=True)
class LayoutSettings:
    """What a seller sets for one channel and document type (or all of them)."""

    accent_colour: str = DEFAULT_ACCENT
    font: str = "inter"
    footer: str = ""
    bank_account_id: int | None = None
    language: str = ""
    bilingual: bool = False
    template_source: str = ""
    templates: Mapping[str, str] = field(default_factory=dict)


__all__ = [
    "APPLIED_FIELDS",
    "LayoutSettings",
    "document_fields_from_templates",
    "layout_delete",
    "layout_logo_save",
    "layout_preview",
    "layout_save",
    "logo_bytes",
    "render_record",
    "render_settings",
    "settings_of",
    "templates_checked",
    "templates_for",
]


def layout_save(
    *,
    actor: Actor,
    organization: Organization,
    settings: LayoutSettings,
    channel_id: int | None = None,
    document_type: str = "",
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> DocumentLayout:
    """Create or replace the layout of (channel, document type); empty means all of them."""
    values = _validated(organization, settings, channel_id=channel_id, document_type=document_type)
    logo_name = _store_logo(organization, logo) if logo is not None else None
    with transaction.atomic():
        layout = (
            DocumentLayout.objects.for_organization(organization)
            .select_for_update()
            .filter(channel_id=channel_id, document_type=document_type)
            .first()
        ) or DocumentLayout(organization=organization, channel_id=channel_id, document_type=document_type)
        for name, value in values.items():
            setattr(layout, name, value)
        if logo_name is not None:
            layout.logo.name = logo_name
        elif remove_logo:
            layout.logo.name = ""
        layout.save()
        audit_record(
            organization=organization,
            actor=actor,
            action="layout.saved",
            object_type="layout",
            object_id=layout.pk,
            data={
                **{k: v for k, v in values.items() if k != "template_source"},
                "channel_id": channel_id,
                "document_type": document_type,
                "logo": layout.logo.name,
                "template_sha256": _sha(settings.template_source) if settings.template_source else "",
            },
        )
    return layout


def layout_logo_save(*, actor: Actor, organization: Organization, layout_id: int, logo: bytes) -> DocumentLayout:
    """Set the logo of an existing layout, keeping its other settings."""
    layout = selectors.layout_get(organization=organization, layout_id=layout_id)
    if layout is None:
        raise NotFound(f"layout {layout_id} does not exist", field="layout_id")
    return layout_save(
        actor=actor,
        organization=organization,
        settings=settings_of(layout),
        channel_id=layout.channel_id,
        document_type=layout.document_type,
        logo=logo,
    )


def settings_of(layout: DocumentLayout) -> LayoutSettings:
    """The settings a stored layout holds."""
    return LayoutSettings(
        accent_colour=layout.accent_colour,
        font=layout.font,
        footer=layout.footer,
        bank_account_id=layout.bank_account_id,
        language=layout.language,
        bilingual=layout.bilingual,
        template_source=layout.template_source,
        templates=dict(layout.templates or {}),
    )


def layout_delete(*, actor: Actor, organization: Organization, layout_id: int) -> None:
    with transaction.atomic():
        layout = selectors.layout_get(organization=organization, layout_id=layout_id)
        if layout is None:
            raise NotFound(f"layout {layout_id} does not exist", field="layout_id")
        layout.delete()
        audit_record(
            organization=organization, actor=actor, action="layout.deleted", object_type="layout", object_id=layout_id
        )


def layout_preview(
    *,
    organization: Organization,
    settings: LayoutSettings,
    document_type: str = "invoice",
    logo: bytes | None = None,
    image: bool = False,
) -> bytes:
    """A sample document rendered with ``settings`` before they are saved (F5.3 preview).

    ``image``: the first page as a PNG instead of the PDF, for the settings page's live preview.
    """
    values = _validated(organization, settings, channel_id=None, document_type=document_type)
    if logo is not None:
        check_logo(logo)
    language = values["language"] or organization.language
    second = "de" if values["bilingual"] and language != "de" else ("en" if values["bilingual"] else "")
    layout = Layout(
        accent=values["accent_colour"],
        font=values["font"],
        logo=logo or b"",
        footer=values["footer"],
        second_language=second,
    )
    document = sample_document(document_type, language)
    if settings.template_source:
        if image:
            return custom.preview_custom(document, settings.template_source, layout)
        return custom.render_custom(document, settings.template_source, layout)
    if image:
        return default_engine().render_png(document, Template.builtin(document_type, layout))
    return default_engine().render(document, Template.builtin(document_type, layout))


def _validated(
    organization: Organization, settings: LayoutSettings, *, channel_id: int | None, document_type: str
) -> dict[str, Any]:
    try:
        Layout(accent=settings.accent_colour, font=settings.font)
    except InvalidValue as error:
        raise InvalidValue(error.message, field="accent_colour" if error.field == "accent" else error.field) from None
    if document_type:
        try:
            DocumentType(document_type)
        except ValueError:
            raise InvalidValue(f"unknown document type {document_type!r}", field="document_type") from None
    if channel_id is not None and channel_get(organization=organization, channel_id=channel_id) is None:
        raise NotFound(f"channel {channel_id} does not exist", field="channel_id")
    if settings.bank_account_id is not None and not (
        bank_accounts(organization=organization).filter(pk=settings.bank_account_id).exists()
    ):
        raise NotFound(f"bank account {settings.bank_account_id} does not exist", field="bank_account_id")
    if len(settings.footer) > MAX_FOOTER:
        raise InvalidValue(f"at most {MAX_FOOTER} characters", field="footer")
    language = countries.language(settings.language) if settings.language else ""
    if settings.template_source:
        custom.check_custom(settings.template_source, document_type or "invoice", language or organization.language)
    templates = templates_checked(settings.templates)
    values = asdict(settings)
    values["templates"] = templates
    values["accent_colour"] = settings.accent_colour.lower()
    values["language"] = language
    return values


def _store_logo(organization: Organization, content: bytes) -> str:
    """Content-addressed: the same image is stored once, and a name always means the same bytes."""
    kind = check_logo(content)
    name = f"logos/{organization.pk}/{hashlib.sha256(content).hexdigest()}.{kind}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return name


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- Rendering: the settings a document is rendered with, frozen at its first render ---


def render_settings(
    *,
    organization: Organization,
    document_id: int,
    channel_id: int | None,
    document_type: str,
    buyer_language: str,
    language: str,
    seller_country: str,
    buyer_country: str,
    paid: bool = False,
    amount_paid: str = "0",
) -> dict[str, Any]:
    """The layout for this document, as frozen at its first render (so re-renders are identical).

    The payment state is frozen with it: a document issued unpaid keeps its
    payment QR code in the stored file even after it is paid.
    """
    record = selectors.render_get(organization=organization, document_id=document_id)
    if record is not None and record.settings:
        return dict(record.settings)
    layout = selectors.layout_for(organization=organization, channel_id=channel_id, document_type=document_type)
    second = ""
    if layout is not None and layout.bilingual:
        # The seller's language and the buyer's (English for a foreign buyer who has none):
        # whichever of them the document is not written in.
        buyers = buyer_language or ("en" if buyer_country != seller_country else "")
        second = next((lang for lang in (buyers, organization.language) if lang and lang != language), "")
    settings = {
        "accent": layout.accent_colour if layout else DEFAULT_ACCENT,
        "font": layout.font if layout else "inter",
        "footer": layout.footer if layout else "",
        "logo": layout.logo.name if layout and layout.logo else "",
        "second_language": second,
        "bank_account_id": layout.bank_account_id if layout else None,
        "template_source": layout.template_source if layout else "",
        "paid": paid,
        "amount_paid": amount_paid,
    }
    try:
        with transaction.atomic():
            DocumentRender.objects.update_or_create(
                organization=organization, document_id=document_id, defaults={"settings": settings}
            )
    except IntegrityError:  # another worker froze them first: theirs hold
        record = selectors.render_get(organization=organization, document_id=document_id)
        assert record is not None
        return dict(record.settings)
    return settings


def render_record(*, organization: Organization, document_id: int, sha256: str = "", error: str = "") -> DocumentRender:
    """Record the outcome of one render attempt."""
    record, _ = DocumentRender.objects.get_or_create(organization=organization, document_id=document_id)
    record.attempts += 1
    if error:
        record.status, record.error = DocumentRender.Status.FAILED, error
    else:
        record.status, record.error, record.sha256 = DocumentRender.Status.RENDERED, "", sha256
        record.rendered_at = timezone.now()
    record.save(update_fields=["attempts", "status", "error", "sha256", "rendered_at"])
    return record


def logo_bytes(name: str) -> bytes:
    if not name:
        return b""
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())

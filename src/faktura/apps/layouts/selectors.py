"""Reads of layout settings and render records; every read names its organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from faktura.apps.layouts.models import DocumentLayout, DocumentRender

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def layouts(*, organization: Organization) -> QuerySet[DocumentLayout]:
    return DocumentLayout.objects.for_organization(organization).order_by("channel_id", "document_type", "id")


def layout_get(*, organization: Organization, layout_id: int) -> DocumentLayout | None:
    return DocumentLayout.objects.for_organization(organization).filter(pk=layout_id).first()


def layout_for(*, organization: Organization, channel_id: int | None, document_type: str) -> DocumentLayout | None:
    """The most specific layout: channel and type, then channel, then type, then the seller's default."""
    candidates = DocumentLayout.objects.for_organization(organization).filter(
        Q(channel_id=channel_id) | Q(channel__isnull=True) if channel_id else Q(channel__isnull=True),
        Q(document_type=document_type) | Q(document_type=""),
    )

    def rank(layout: DocumentLayout) -> tuple[bool, bool]:
        return (layout.channel_id is not None, layout.document_type != "")

    return max(candidates, key=rank, default=None)


def render_get(*, organization: Organization, document_id: int) -> DocumentRender | None:
    return DocumentRender.objects.for_organization(organization).filter(document_id=document_id).first()


def language_default(*, organization: Organization, channel_id: int | None, document_type: str) -> str:
    """The language new documents of this channel and type are written in: the layout's, else the seller's."""
    layout = layout_for(organization=organization, channel_id=channel_id, document_type=document_type)
    return (layout.language if layout else "") or organization.language

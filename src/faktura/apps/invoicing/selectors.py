"""Reads of invoicing data for other apps and for views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from faktura.apps.invoicing.models import Document, Series, SeriesCounter
from faktura.core.audit_chain import counter_chain

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import SalesChannel


def counter_chain_heads(*, organization_id: int | None = None) -> dict[str, tuple[int, str]]:
    """The audit chain head ``(chain_seq, chain_head)`` of every counter, by chain key.

    Keys are ``counter:<SeriesCounter.pk>``; ``organization_id`` keeps one seller's.
    """
    counters = SeriesCounter.objects.all()
    if organization_id is not None:
        counters = counters.filter(series__organization_id=organization_id)
    rows = counters.values_list("pk", "chain_seq", "chain_head")
    return {counter_chain(pk): (seq, head) for pk, seq, head in rows}


def series_for(*, organization: Organization, channel: SalesChannel | None, document_type: str) -> Series | None:
    """The active series for a channel and document type, else the seller-wide one.

    One query for both candidates (this runs on every issue).
    """
    candidates = Series.objects.filter(organization=organization, document_type=document_type, is_active=True)
    if channel is None:
        return candidates.filter(channel__isnull=True).first()
    found = {series.channel_id: series for series in candidates.filter(Q(channel=channel) | Q(channel__isnull=True))}
    return found.get(channel.pk) or found.get(None)


def document_get(*, organization: Organization, document_id: int) -> Document | None:
    return Document.objects.for_organization(organization).filter(pk=document_id).first()

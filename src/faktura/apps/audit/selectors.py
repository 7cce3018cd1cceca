"""Reading the audit trail, always for one organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from faktura.apps.audit.models import AuditEvent

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def events_for(
    *, organization: Organization, object_type: str | None = None, object_id: str | int | None = None
) -> QuerySet[AuditEvent]:
    """The organization's events, newest first, optionally about one object.

    Spans every chain of the organization: its own and those of its numbering
    counters (issued documents).
    """
    if organization is None:
        raise ValueError("a tenant read needs an organization")
    events = AuditEvent.objects.filter(organization=organization)
    if object_type is not None:
        events = events.filter(object_type=object_type)
    if object_id is not None:
        events = events.filter(object_id=str(object_id))
    return events.order_by("-occurred_at", "-id")

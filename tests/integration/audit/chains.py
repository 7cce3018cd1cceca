"""Helpers for audit tests: counter chains as the issuing service keeps them, and raw tampering."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from faktura.apps.accounts.models import Organization
from faktura.apps.audit.models import AuditChain, AuditEvent
from faktura.apps.audit.services import audit_append_locked
from faktura.apps.invoicing.models import SeriesCounter
from faktura.core.actors import SYSTEM
from faktura.core.audit_chain import EventRecord, counter_chain
from tests import factories as make

EVENTS = AuditEvent._meta.db_table
HEADS = AuditChain._meta.db_table
COUNTERS = SeriesCounter._meta.db_table


def counter(organization: Organization, period: str = "2026") -> SeriesCounter:
    return SeriesCounter.objects.create(organization=organization, series=make.series(organization), period=period)


def append_to_counter(row: SeriesCounter, action: str = "document.issued", **fields: Any) -> AuditEvent:
    """What the issuing service does: lock the counter, append, store the new head."""
    with transaction.atomic():
        locked = SeriesCounter.objects.select_for_update().get(pk=row.pk)
        event = audit_append_locked(
            chain=counter_chain(locked.pk),
            head_seq=locked.chain_seq,
            head_hash=locked.chain_head,
            organization=locked.series.organization,
            actor=fields.pop("actor", SYSTEM),
            action=action,
            object_type=fields.pop("object_type", "document"),
            object_id=fields.pop("object_id", 1),
            data=fields.pop("data", None),
            **fields,
        )
        SeriesCounter.objects.filter(pk=locked.pk).update(chain_seq=event.seq, chain_head=event.hash)
    return event


def record_of(event: AuditEvent) -> EventRecord:
    """The row as the verifier reads it back from the database."""
    row = AuditEvent.objects.get(pk=event.pk)
    return EventRecord(
        id=row.pk,
        chain=row.chain,
        seq=row.seq,
        prev_hash=row.prev_hash,
        hash=row.hash,
        occurred_at=row.occurred_at,
        actor=row.actor,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        data=row.data,
    )


def sql(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    """Tamper as an intruder would: straight SQL, past every service."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def json_placeholder() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"

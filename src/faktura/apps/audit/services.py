"""Writing the audit trail: one event per service write, in the same transaction.

Two doors, one per kind of chain (see ``faktura.core.audit_chain``):

``audit_record``
    Everything but an issued document. The event goes on its organization's
    chain (``org:<id>``), or the ``instance`` chain when there is no
    organization (operator actions); the chain's ``AuditChain`` row is locked
    with ``SELECT ... FOR UPDATE`` until the caller's transaction ends.

``audit_append_locked``
    An issued document, chained on the numbering counter whose row the issuing
    service has already locked to allocate the number: no second lock, and the
    chain order is the numbering order. The caller stores ``event.seq`` and
    ``event.hash`` back into its row as the new head.

A transaction that both issues and records other events should lock the
counter first, so that every transaction takes the two locks in one order.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from faktura.apps.audit.models import AuditChain, AuditEvent
from faktura.core.actors import Actor
from faktura.core.audit_chain import INSTANCE_CHAIN, next_event, org_chain
from faktura.platform.fastsql import insert_returning_id

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def _max_length(name: str) -> int:
    limit: int | None = getattr(AuditEvent._meta.get_field(name), "max_length", None)
    assert limit is not None, f"AuditEvent.{name} has no max_length"
    return limit


_ACTOR_LENGTH = _max_length("actor")


def audit_record(
    *,
    organization: Organization | None,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the organization's chain (or ``instance``), locking its head.

    Call it inside the transaction of the change it records: it joins that
    transaction (as a savepoint), so the event and the change commit or roll
    back together. Outside one it opens its own.
    """
    key = org_chain(organization.pk) if organization is not None else INSTANCE_CHAIN
    with transaction.atomic():
        head = _locked_head(key, organization)
        event = _insert(
            chain=key,
            head_seq=head.seq,
            head_hash=head.head_hash,
            organization=organization,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            data=data,
            occurred_at=timezone.now(),
        )
        AuditChain.objects.filter(pk=head.pk).update(seq=event.seq, head_hash=event.hash)
    return event


def audit_append_locked(
    *,
    chain: str,
    head_seq: int,
    head_hash: str,
    organization: Organization | None,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    data: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """Append the event after ``(head_seq, head_hash)`` to a chain whose head the caller holds.

    For a service that has already locked (``select_for_update``) the row that
    stores this chain's head, e.g. ``SeriesCounter`` for ``counter:<id>``. This
    function takes no lock and does not update the head: the caller must, in
    the same transaction, store ``event.seq`` and ``event.hash`` into its row
    (``chain_seq``/``chain_head``), or the verifier reports the chain broken.
    Raises ``TransactionManagementError`` outside a transaction.
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("audit_append_locked needs the transaction that locks the head row")
    return _insert(
        chain=chain,
        head_seq=head_seq,
        head_hash=head_hash,
        organization=organization,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data,
        occurred_at=occurred_at or timezone.now(),
    )


def _locked_head(key: str, organization: Organization | None) -> AuditChain:
    try:
        return AuditChain.objects.select_for_update().get(key=key)
    except AuditChain.DoesNotExist:
        # First event of the chain: a concurrent creator makes get_or_create
        # fall back to reading the committed row; then lock it like any other.
        AuditChain.objects.get_or_create(key=key, defaults={"organization": organization})
        return AuditChain.objects.select_for_update().get(key=key)


def _insert(
    *,
    chain: str,
    head_seq: int,
    head_hash: str,
    organization: Organization | None,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    data: dict[str, Any] | None,
    occurred_at: datetime,
) -> AuditEvent:
    record = next_event(
        chain=chain,
        head_seq=head_seq,
        head_hash=head_hash,
        occurred_at=occurred_at,
        actor=actor.ref[:_ACTOR_LENGTH],
        action=_fits("action", action),
        object_type=_fits("object_type", object_type),
        object_id=_fits("object_id", str(object_id)),
        data=data,
    )
    values = {
        "organization": organization.pk if organization is not None else None,
        "chain": record.chain,
        "seq": record.seq,
        "occurred_at": record.occurred_at,
        "actor": record.actor,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "data": dict(record.data),
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }
    # One cached INSERT statement: this runs under the numbering counter's lock.
    event_id = insert_returning_id(AuditEvent, values)
    return AuditEvent(id=event_id, **{**values, "organization": organization})


def _fits(name: str, value: str) -> str:
    """Refuse what a column would truncate or reject, the same way on both databases."""
    limit = _max_length(name)
    if not value or len(value) > limit:
        raise ValueError(f"audit {name} must be 1 to {limit} characters, got {value!r}")
    return value

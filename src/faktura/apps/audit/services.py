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

``audit_batch``
    A block of a transaction whose ``audit_record`` events are kept in memory
    and written together when the block ends, still inside the transaction:
    each chain's head is locked once, its events go in one ``INSERT`` and the
    head is stored once. The organization's chain head, which every write of
    the seller queues on, is then locked only for the last statements before
    the commit instead of for the whole transaction (and after any numbering
    counter, the order the paragraph above asks). An event recorded inside a
    savepoint that rolls back is dropped with it; the chain stays gapless.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from faktura.apps.audit.models import AuditChain, AuditEvent
from faktura.core.actors import Actor
from faktura.core.audit_chain import INSTANCE_CHAIN, next_event, normalize_data, org_chain
from faktura.platform.fastsql import insert_many_returning_ids, insert_returning_id, update_by_pk

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

    Call it inside the transaction of the change it records: the event and the
    change commit or roll back together. Outside one it opens its own. Inside an
    ``audit_batch`` the event is checked now and written when the batch ends:
    the returned ``AuditEvent`` gets its id, ``seq`` and hashes then.
    """
    pending = _Pending(
        chain=org_chain(organization.pk) if organization is not None else INSTANCE_CHAIN,
        organization=organization,
        occurred_at=timezone.now(),
        actor=actor.ref[:_ACTOR_LENGTH],
        action=_fits("action", action),
        object_type=_fits("object_type", object_type),
        object_id=_fits("object_id", str(object_id)),
        data=normalize_data(data),
    )
    batch: _Batch | None = getattr(_local, "batch", None)
    if batch is not None and connection.in_atomic_block:
        batch.add(pending)
        return pending.event
    with transaction.atomic(savepoint=False):  # no savepoint: a failure here fails the caller's change too
        _write_chain(pending.chain, [pending])
    return pending.event


@contextmanager
def audit_batch() -> Iterator[None]:
    """Write the ``audit_record`` events of the block together, at its end, in the caller's transaction.

    Open it inside the transaction (``TransactionManagementError`` otherwise),
    around the whole command: the chain heads are locked when the block ends,
    so let the block end just before the commit. A nested batch joins the
    outer one. When the block raises, nothing is written (the transaction is
    rolling back anyway).
    """
    if getattr(_local, "batch", None) is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise TransactionManagementError("audit_batch needs the transaction its events belong to")
    batch = _Batch()
    _local.batch = batch
    try:
        yield
        _local.batch = None
        batch.flush()
    finally:
        _local.batch = None


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


_local = threading.local()


@dataclass
class _Pending:
    """An event checked and waiting for its place in its chain."""

    chain: str
    organization: Organization | None
    occurred_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    data: dict[str, Any]
    event: AuditEvent = field(init=False)

    def __post_init__(self) -> None:
        self.event = AuditEvent(
            organization=self.organization,
            chain=self.chain,
            occurred_at=self.occurred_at,
            actor=self.actor,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            data=self.data,
        )


class _Marker:
    """Registered with ``on_commit`` next to a batched event: Django forgets it when
    the savepoint around the event rolls back, and so must the batch."""

    __slots__ = ()

    def __call__(self) -> None:
        return None


@dataclass
class _Batch:
    pending: list[tuple[_Pending, _Marker]] = field(default_factory=list)

    def add(self, pending: _Pending) -> None:
        marker = _Marker()
        transaction.on_commit(marker)
        self.pending.append((pending, marker))

    def flush(self) -> None:
        alive = {id(entry[1]) for entry in connection.run_on_commit}
        chains: dict[str, list[_Pending]] = {}
        for pending, marker in self.pending:
            if id(marker) in alive:
                chains.setdefault(pending.chain, []).append(pending)
        for key in sorted(chains):  # one order of locks for every transaction
            _write_chain(key, chains[key])


def _write_chain(key: str, events: list[_Pending]) -> None:
    """Lock the chain's head, append ``events`` after it in one INSERT, store the new head."""
    head_id, seq, head_hash = _locked_head(key, events[0].organization)
    rows = []
    for pending in events:
        record = next_event(
            chain=key,
            head_seq=seq,
            head_hash=head_hash,
            occurred_at=pending.occurred_at,
            actor=pending.actor,
            action=pending.action,
            object_type=pending.object_type,
            object_id=pending.object_id,
            data=pending.data,
        )
        seq, head_hash = record.seq, record.hash
        event = pending.event
        event.seq, event.prev_hash, event.hash = record.seq, record.prev_hash, record.hash
        event.data = dict(record.data)
        rows.append(_row(event))
    for event_id, pending in zip(insert_many_returning_ids(AuditEvent, rows), events, strict=True):
        pending.event.id = event_id
        pending.event._state.adding = False
    update_by_pk(AuditChain, head_id, {"seq": seq, "head_hash": head_hash})


def _locked_head(key: str, organization: Organization | None) -> tuple[int, int, str]:
    """The chain head's id, seq and hash, its row locked until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(_head_sql(connection.vendor), [key])
        row = cursor.fetchone()
        if row is None:
            # First event of the chain: a concurrent creator makes get_or_create
            # fall back to reading the committed row; then lock it like any other.
            AuditChain.objects.get_or_create(key=key, defaults={"organization": organization})
            cursor.execute(_head_sql(connection.vendor), [key])
            row = cursor.fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), str(row[2])


@lru_cache(maxsize=4)
def _head_sql(vendor: str) -> str:
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("id", "seq", "head_hash"))
    return f"SELECT {columns} FROM {quote(AuditChain._meta.db_table)} WHERE {quote('key')} = %s{lock}"  # noqa: S608


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "organization": event.organization_id,
        "chain": event.chain,
        "seq": event.seq,
        "occurred_at": event.occurred_at,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


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

"""Checking every audit chain against its head, for ``faktura audit verify`` (F12.3).

The chains are every ``chain`` found among the events plus every head:
``AuditChain`` rows (organizations, ``instance``) and the numbering counters
(``invoicing.selectors.counter_chain_heads``), so a chain whose events were all
deleted is still caught through its head. Each chain is walked in ``seq`` order
by ``faktura.core.audit_chain.verify_chain``, which names its first broken link.

On top of the hashes, the ``organization`` column of an ``org:<id>`` chain's
events must be ``<id>`` (or empty once the organization is deleted), and the
``instance`` chain's must be empty: the column is not hashed (it is set to
NULL when an organization is deleted) but decides whose trail an event shows in.

Everything is read in one snapshot, so events committed while the check runs
cannot look like events beyond the head: PostgreSQL runs it in a
REPEATABLE READ, READ ONLY transaction; SQLite (WAL) in a deferred read
transaction, which blocks no writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from faktura.apps.audit.models import AuditChain, AuditEvent
from faktura.apps.invoicing.selectors import counter_chain_heads
from faktura.core.audit_chain import (
    INSTANCE_CHAIN,
    BrokenLink,
    EventRecord,
    Problem,
    org_chain,
    verify_chain,
)

_FIELDS = (
    "id",
    "chain",
    "seq",
    "prev_hash",
    "hash",
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "data",
)


@dataclass
class VerificationReport:
    chains: int = 0
    events: int = 0
    broken: list[BrokenLink] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def verify_all(*, organization_id: int | None = None) -> VerificationReport:
    """Verify every chain (or one organization's: its own and its counters')."""
    report = VerificationReport()
    with _read_snapshot():
        heads = _heads(organization_id)
        with_events = _chains_with_events(organization_id)
        for key in sorted(heads.keys() | with_events, key=_chain_order):
            head_seq, head_hash = heads.get(key, (None, None))
            walk = _Walk(key)
            link = verify_chain(
                walk.records() if key in with_events else (),
                chain=key,
                head_seq=head_seq,
                head_hash=head_hash,
            )
            link = walk.earliest(link)
            report.chains += 1
            report.events += walk.count
            if link is not None:
                report.broken.append(link)
    return report


def _heads(organization_id: int | None) -> dict[str, tuple[int, str]]:
    chains = AuditChain.objects.all()
    if organization_id is not None:
        chains = chains.filter(key=org_chain(organization_id))
    heads = {key: (seq, head) for key, seq, head in chains.values_list("key", "seq", "head_hash")}
    heads.update(counter_chain_heads(organization_id=organization_id))
    return heads


def _chains_with_events(organization_id: int | None) -> set[str]:
    events = AuditEvent.objects.all()
    if organization_id is not None:
        events = events.filter(organization_id=organization_id)
    return set(events.order_by().values_list("chain", flat=True).distinct())


class _Walk:
    """Streams one chain's rows as records, noting the first foreign organization."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.count = 0
        self.misplaced: BrokenLink | None = None
        kind, _, ident = key.partition(":")
        self.owner: int | None = int(ident) if kind == "org" and ident.isdigit() else None
        self.checks_owner = kind == "org" or key == INSTANCE_CHAIN

    def records(self) -> Iterator[EventRecord]:
        rows = AuditEvent.objects.filter(chain=self.key).order_by("seq")
        for *values, organization_id in rows.values_list(*_FIELDS, "organization_id").iterator(2000):
            record = EventRecord(**dict(zip(_FIELDS, values, strict=True)))
            self.count += 1
            if self.misplaced is None and self.checks_owner and organization_id not in (self.owner, None):
                detail = f"{record.describe()} is filed under organization {organization_id}"
                self.misplaced = BrokenLink(self.key, record.seq, Problem.ORGANIZATION_MISMATCH, detail, record)
            yield record

    def earliest(self, link: BrokenLink | None) -> BrokenLink | None:
        if self.misplaced is not None and (link is None or self.misplaced.seq < link.seq):
            return self.misplaced
        return link


def _chain_order(key: str) -> tuple[str, int, str]:
    kind, _, ident = key.partition(":")
    return (kind, int(ident) if ident.isdigit() else -1, ident)


@contextmanager
def _read_snapshot() -> Iterator[None]:
    if connection.in_atomic_block:  # the caller's transaction already is the snapshot
        yield
        return
    if connection.vendor == "sqlite":
        # Django's atomic() would BEGIN IMMEDIATE and hold the write lock.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield

"""Writes of idempotency keys: reserve, take over, complete, release, prune.

These rows are plumbing for the API, not business records: they write no
audit events. The operation they guard writes its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from faktura.apps.integrations.models import IdempotencyKey


def idempotency_key_reserve(*, organization: Any, key: str, method: str, path: str, fingerprint: str) -> None:
    """Make sure a row for ``key`` exists, committed as ``in_progress`` unless one is already there.

    ``INSERT … ON CONFLICT DO NOTHING`` (``INSERT OR IGNORE`` on SQLite): the
    unique (organization, key) constraint makes concurrent requests meet on one
    row, which they then take turns to lock.
    """
    IdempotencyKey.objects.bulk_create(
        [IdempotencyKey(organization=organization, key=key, method=method, path=path, request_fingerprint=fingerprint)],
        ignore_conflicts=True,
    )


def idempotency_key_take_over(*, record: IdempotencyKey, method: str, path: str, fingerprint: str) -> None:
    """A locked ``in_progress`` row was left by a request that never completed: it is now this request's."""
    record.method, record.path, record.request_fingerprint = method, path, fingerprint
    record.created_at = timezone.now()
    record.save(update_fields=["method", "path", "request_fingerprint", "created_at"])


def idempotency_key_restart(*, record: IdempotencyKey, method: str, path: str, fingerprint: str) -> None:
    """A locked ``completed`` row past its retention: forgotten, as if pruned, and now this request's."""
    record.state = IdempotencyKey.State.IN_PROGRESS
    record.response_status, record.response_body, record.response_content_type = None, None, ""
    record.completed_at = None
    record.save(update_fields=["state", "response_status", "response_body", "response_content_type", "completed_at"])
    idempotency_key_take_over(record=record, method=method, path=path, fingerprint=fingerprint)


def idempotency_key_complete(*, record: IdempotencyKey, status: int, body: bytes, content_type: str) -> None:
    """Store the response; called in the operation's transaction, so both commit or neither."""
    record.state = IdempotencyKey.State.COMPLETED
    record.response_status = status
    record.response_body = body
    record.response_content_type = content_type
    record.completed_at = timezone.now()
    record.save(update_fields=["state", "response_status", "response_body", "response_content_type", "completed_at"])


def idempotency_key_release(*, record: IdempotencyKey) -> None:
    """Forget a key whose request left no effects, so a retry with it runs afresh."""
    IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyKey.State.IN_PROGRESS).delete()


def idempotency_keys_prune(*, older_than: dt.datetime) -> int:
    """Delete every key first used before ``older_than``, of every seller; how many went.

    Completed keys past retention, and reservations abandoned that long ago
    (a running request refreshes nothing older than a few seconds).
    """
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=older_than).delete()
    return deleted

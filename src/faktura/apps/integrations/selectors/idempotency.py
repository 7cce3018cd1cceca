"""Reads of idempotency keys: the row lock that makes one request with a key run at a time."""

from __future__ import annotations

from typing import Any

from django.db import OperationalError, connection

from faktura.apps.integrations.errors import IdempotencyKeyInProgress
from faktura.apps.integrations.models import IdempotencyKey


def idempotency_key_lock(*, organization: Any, key: str, wait_seconds: float) -> IdempotencyKey | None:
    """The row for ``key``, locked until the caller's transaction ends; ``None`` if it is gone.

    Must run inside a transaction. On PostgreSQL the wait for a request that
    holds the lock is bounded by ``wait_seconds`` (then ``IdempotencyKeyInProgress``);
    the limit is lifted again at once, so the operation's own locks wait as
    usual. SQLite has no row locks: its writers are serialized by BEGIN
    IMMEDIATE, so whoever reads the row here already holds the database's
    write lock, and the wait is SQLite's busy timeout.
    """
    rows = IdempotencyKey.objects.for_organization(organization).filter(key=key)
    if connection.vendor != "postgresql":
        return rows.first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        previous = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{max(1, int(wait_seconds * 1000))}ms"])
        try:
            record = rows.select_for_update().first()
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
                raise IdempotencyKeyInProgress from error
            raise
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    return record

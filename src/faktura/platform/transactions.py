"""Run a write in its own transaction, retrying the conflicts a database may raise.

Row-lock waits are normal and invisible; what can surface is a deadlock or a
serialization failure on PostgreSQL, or SQLite's "database is locked" after its
busy timeout. Each is safe to retry because the whole transaction rolled back.
A bounded number of attempts keeps a real outage from looping forever; the
person or program that asked never sees a conflict they could not cause.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

T = TypeVar("T")

ATTEMPTS = 8
_PG_RETRYABLE = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def is_retryable(error: BaseException) -> bool:
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in _PG_RETRYABLE:
        return True
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


def atomic_with_retry(operation: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run ``operation`` in a transaction; retry it when the database says to.

    Inside an outer transaction there is nothing to retry on our own (the
    outer one must roll back), so the operation just joins it.
    """
    if connection.in_atomic_block:
        with transaction.atomic():
            return operation()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return operation()
        except OperationalError as error:
            if attempt == attempts or not is_retryable(error):
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))  # noqa: S311 - jitter, not crypto
    raise AssertionError("unreachable")

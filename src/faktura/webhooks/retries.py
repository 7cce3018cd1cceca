"""Outbound webhooks: which answers count as delivered, which are retried, and when.

An attempt is **delivered** on any 2xx answer. It is **retried** when the failure may pass:
no answer at all (connection refused or reset, DNS failure, timeout, TLS error), 408
Request Timeout, 425 Too Early, 429 Too Many Requests, or any 5xx. Every other answer
(a 3xx, since redirects are not followed, or any other 4xx) means the endpoint refuses
the delivery, so it **fails** at once: retrying the same request would get the same answer,
and the seller sees it in the delivery log and can redeliver after fixing the receiver.

Retries wait ``SCHEDULE`` after the failed attempt (1 minute, 5, 30, 2 hours, 12 hours):
six attempts in all over about 15 hours, then the delivery has failed. A redelivery asked
for by hand is one attempt, outside the schedule.

>>> [verdict(status).value for status in (200, 204, 302, 404, 408, 429, 500, 503, None)]
['delivered', 'delivered', 'failed', 'failed', 'retry', 'retry', 'retry', 'retry', 'retry']
>>> [str(retry_delay(attempt)) for attempt in range(1, 7)]
['0:01:00', '0:05:00', '0:30:00', '2:00:00', '12:00:00', 'None']
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

__all__ = ["MAX_ATTEMPTS", "RETRIED_STATUSES", "SCHEDULE", "Verdict", "retry_delay", "verdict"]

SCHEDULE: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
"""The wait before attempt 2, 3, ...: exponential-ish back-off, about 15 hours in all."""

MAX_ATTEMPTS = len(SCHEDULE) + 1

RETRIED_STATUSES = frozenset({408, 425, 429})
"""4xx answers that say "later", not "no"."""


class Verdict(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"


def verdict(status: int | None) -> Verdict:
    """What an attempt that got HTTP ``status`` (``None``: no answer) means."""
    if status is None:
        return Verdict.RETRY
    if 200 <= status < 300:
        return Verdict.DELIVERED
    if status >= 500 or status in RETRIED_STATUSES:
        return Verdict.RETRY
    return Verdict.FAILED


def retry_delay(attempt: int) -> timedelta | None:
    """How long after failed attempt number ``attempt`` (from 1) the next one runs; ``None``: no more."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    return SCHEDULE[attempt - 1] if attempt <= len(SCHEDULE) else None

"""Allocating document numbers in the database: gapless and never twice (F3.4).

The pure rules (pattern, period, start number) live in ``faktura.core.numbering``;
this module is the proven database half (STYLE.md habit 8):

* one counter row per (series, period, test flag) holds the last number used;
* ``allocate`` increments it with a single ``UPDATE … RETURNING``, which takes
  the row lock and reads the latest committed value in one statement, inside
  the transaction that also writes the issued document — so a rollback or a
  crash before commit returns the number, and two issuers queue on the row;
* the unique constraints on ``Document`` (organization, number) and (series,
  period, test, counter) are the backstop if anything ever got this wrong.

On PostgreSQL the default READ COMMITTED isolation lets a transaction that took
its snapshot earlier still get the next number after waiting for the lock. On
SQLite every write transaction starts with ``BEGIN IMMEDIATE`` (settings), so
writers queue on the database lock instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from faktura.apps.invoicing.models import Series, SeriesCounter
from faktura.core.numbering import Pattern, ResetPolicy, period_key, start_for_period

_TABLE = SeriesCounter._meta.db_table


@dataclass(frozen=True)
class Allocation:
    """A number taken from a counter row that the current transaction now holds locked."""

    counter_id: int
    counter: int
    number: str
    period: str
    chain_seq: int
    chain_head: str


def test_number(number: str) -> str:
    """Numbers issued in test mode (F3.5) can never be mistaken for, or block, real ones."""
    return f"TEST-{number}"


def allocate(*, series: Series, on: dt.date, is_test: bool = False) -> Allocation:
    """Take the next number of ``series`` for a document issued ``on`` (a local date).

    Must run inside the transaction that stores the issued document.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the transaction that issues the document")
    pattern = Pattern.parse(series.pattern)
    period = period_key(ResetPolicy(series.reset_policy), on)
    row = _increment(series.pk, period, is_test)
    if row is None:
        first = start_for_period(
            ResetPolicy(series.reset_policy), on, start=series.start_number, since=series.starts_on
        )
        _create_counter(series, period, is_test, first=first)
        row = _increment(series.pk, period, is_test)
        assert row is not None, "counter row vanished inside our transaction"
    counter_id, value, chain_seq, chain_head = row
    number = pattern.format(value, on)
    return Allocation(
        counter_id=counter_id,
        counter=value,
        number=test_number(number) if is_test else number,
        period=period,
        chain_seq=chain_seq,
        chain_head=chain_head,
    )


def store_chain_head(*, counter_id: int, seq: int, head: str) -> None:
    """Store the audit chain head on a counter row this transaction already holds locked."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET chain_seq = %s, chain_head = %s WHERE id = %s",  # noqa: S608
            [seq, head, counter_id],
        )


def step_back(*, counter_id: int, counter: int) -> tuple[int, str] | None:
    """Return the latest number to its counter (F2.4) and read the chain head.

    ``None`` when ``counter`` is not the latest number. The row lock is taken
    by the UPDATE itself, so a concurrent issue either ran before (and then
    ``counter`` is no longer the latest) or waits for this transaction.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET value = value - 1 WHERE id = %s AND value = %s "  # noqa: S608
            "RETURNING chain_seq, chain_head",
            [counter_id, counter],
        )
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _increment(series_id: int, period: str, is_test: bool) -> tuple[int, int, int, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET value = value + 1 "  # noqa: S608
            "WHERE series_id = %s AND period = %s AND is_test = %s "
            "RETURNING id, value, chain_seq, chain_head",
            [series_id, period, is_test],
        )
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), int(row[1]), int(row[2]), str(row[3]))


def _create_counter(series: Series, period: str, is_test: bool, *, first: int) -> None:
    """First number of a period: the row starts just below its first counter.

    Two transactions may race to create it; the loser's INSERT fails on the
    unique constraint inside a savepoint and it simply uses the winner's row.
    """
    try:
        with transaction.atomic():
            SeriesCounter.objects.create(series=series, period=period, is_test=is_test, value=first - 1)
    except IntegrityError:
        pass

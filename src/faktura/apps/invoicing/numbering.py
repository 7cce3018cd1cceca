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

**Changing the rules of a series that has numbers** (``series_update``):

* a new pattern keeps the counter rows, so the count goes on where it was;
* a new start number applies in the current period: the counter jumps to just
  below it (``jump_to_start``), never back;
* a new reset policy keys the counter by other periods, so ``change_policy``
  hands over: the counter of the new policy's current period continues after the
  highest counter used in any period that shares the number's date fields (a
  yearly series becoming never-resetting in November goes on from November's
  number; in January the count keeps growing), every other row is *retired* (an
  issuer that read the old policy finds its row retired, reads the rules again
  and takes the new row), and numbers dated before the day of the change are
  refused, since the old periods may already hold the numbers they would get.

An issuer that finds no live row for its period (the first number of a period,
or rules changed under it) reads the series again under a lock that
``series_update`` also takes, so it always counts under the rules in force.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from faktura.apps.invoicing.models import Document, Series, SeriesCounter
from faktura.core.errors import InvalidValue
from faktura.core.numbering import Pattern, ResetPolicy, period_key, start_for_period
from faktura.core.numbering.series import NEVER_KEY

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


@dataclass(frozen=True)
class Rules:
    """The settings of a series that decide its numbers."""

    pattern: Pattern
    policy: ResetPolicy
    start_number: int
    starts_on: dt.date
    policy_since: dt.date | None

    @classmethod
    def of(cls, series: Series) -> Rules:
        return cls(
            pattern=_pattern(series.pattern),
            policy=ResetPolicy(series.reset_policy),
            start_number=series.start_number,
            starts_on=series.starts_on,
            policy_since=series.reset_policy_since,
        )

    def first_counter(self, on: dt.date) -> int:
        return start_for_period(self.policy, on, start=self.start_number, since=self.starts_on)

    def check_date(self, on: dt.date) -> None:
        if self.policy_since is not None and on < self.policy_since:
            raise InvalidValue(
                f"the series counts {self.policy.value} since {self.policy_since.isoformat()}, when its reset "
                "policy changed; a number dated earlier could repeat one of the old periods, "
                f"so issue it dated {self.policy_since.isoformat()} or later",
                field="issue_date",
            )


def test_number(number: str) -> str:
    """Numbers issued in test mode (F3.5) can never be mistaken for, or block, real ones."""
    return f"TEST-{number}"


def allocate(*, series: Series, on: dt.date, is_test: bool = False) -> Allocation:
    """Take the next number of ``series`` for a document issued ``on`` (a local date).

    Must run inside the transaction that stores the issued document.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the transaction that issues the document")
    rules = Rules.of(series)
    rules.check_date(on)
    period = period_key(rules.policy, on)
    row = _increment(series.pk, period, is_test)
    if row is None:
        # The first number of a period, or the rules changed since ``series`` was read.
        rules = _locked_rules(series.pk)
        rules.check_date(on)
        period = period_key(rules.policy, on)
        row = _increment(series.pk, period, is_test)
        if row is None:
            _create_counter(series, period, is_test, first=rules.first_counter(on))
            row = _increment(series.pk, period, is_test)
        if row is None:
            raise RuntimeError(f"counter {period} of series {series.pk} is retired but its policy is in force")
    counter_id, value, chain_seq, chain_head = row
    number = rules.pattern.format(value, on)
    return Allocation(
        counter_id=counter_id,
        counter=value,
        number=test_number(number) if is_test else number,
        period=period,
        chain_seq=chain_seq,
        chain_head=chain_head,
    )


def peek(*, series: Series, on: dt.date, is_test: bool = False) -> str:
    """The number the next issue dated ``on`` would take, without taking it."""
    rules = Rules.of(series)
    rules.check_date(on)
    last = (
        SeriesCounter.objects.filter(series=series, period=period_key(rules.policy, on), is_test=is_test)
        .values_list("value", flat=True)
        .first()
    )
    counter = rules.first_counter(on) if last is None else last + 1
    number = rules.pattern.format(counter, on)
    return test_number(number) if is_test else number


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
    ``counter`` is no longer the latest) or waits for this transaction. A
    retired counter never steps back: the counting went on in another row.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET value = value - 1 WHERE id = %s AND value = %s AND NOT retired "  # noqa: S608
            "RETURNING chain_seq, chain_head",
            [counter_id, counter],
        )
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


@dataclass(frozen=True)
class LastUsed:
    """The highest counter taken in a period, and the number it was issued as."""

    counter: int
    number: str


def last_used(*, series: Series, period: str, pattern: Pattern, on: dt.date) -> LastUsed | None:
    """The last real number of ``series`` in ``period``; locks the counter row (call in a transaction)."""
    value = (
        SeriesCounter.objects.select_for_update()
        .filter(series=series, period=period, is_test=False)
        .values_list("value", flat=True)
        .first()
    )
    if not value:
        return None
    issued = (
        Document.objects.filter(series=series, is_test=False, period=period, counter=value)
        .values_list("number", flat=True)
        .first()
    )  # none when the counter was set by a start number or carried over by a policy change
    return LastUsed(counter=value, number=issued or pattern.format(value, on))


def jump_to_start(*, series: Series, period: str, start: int) -> None:
    """Make ``start`` the next real counter of ``period``; the caller checked it is above the last one."""
    SeriesCounter.objects.filter(series=series, period=period, is_test=False).update(value=start - 1)


def change_policy(*, series: Series, policy: ResetPolicy, pattern: Pattern, today: dt.date) -> bool:
    """Hand the counting over to ``policy`` from ``today`` on (see the module docstring).

    Locks every counter row of the series. Returns whether numbers exist, in which
    case issue dates before ``today`` must be refused from now on. Refuses when
    counters exist for periods after today (documents were issued dated in the future).
    """
    rows = list(SeriesCounter.objects.select_for_update().filter(series=series).order_by("pk"))
    future = [row.period for row in rows if _first_day(row.period) > today]
    if future:
        raise InvalidValue(
            f"the series already counts in {', '.join(sorted(set(future)))}, after today; "
            "its reset policy cannot change until then",
            field="reset_policy",
        )
    current = period_key(policy, today)
    for is_test in (False, True):
        own = [row for row in rows if row.is_test == is_test]
        seed = max((row.value for row in own if _shares_date_fields(row.period, pattern, today)), default=0)
        target = next((row for row in own if row.period == current), None)
        if target is None and seed > 0:
            SeriesCounter.objects.create(
                organization_id=series.organization_id, series=series, period=current, is_test=is_test, value=seed
            )
        elif target is not None:
            SeriesCounter.objects.filter(pk=target.pk).update(value=max(seed, target.value), retired=False)
    SeriesCounter.objects.filter(series=series).exclude(period=current).update(retired=True)
    return any(row.value > 0 or row.chain_seq > 0 for row in rows)


def _first_day(period: str) -> dt.date:
    if period == NEVER_KEY:
        return dt.date.min
    year, _, month = period.partition("-")
    return dt.date(int(year), int(month or 1), 1)


@functools.lru_cache(maxsize=1024)
def _pattern(text: str) -> Pattern:
    """Patterns are immutable values; a process parses each stored one once."""
    return Pattern.parse(text)


def _shares_date_fields(period: str, pattern: Pattern, on: dt.date) -> bool:
    """Could a number counted in ``period`` show the same year and month as one issued ``on``?"""
    if period == NEVER_KEY:
        return True
    year, _, month = period.partition("-")
    if pattern.has_year and int(year) != on.year:
        return False
    return not (pattern.has_month and month and int(month) != on.month)


def _locked_rules(series_id: int) -> Rules:
    """The rules in force, read under the lock that ``series_update`` takes to change them."""
    series = (
        Series.objects.select_for_update(no_key=connection.features.has_select_for_no_key_update)
        .only("pattern", "reset_policy", "start_number", "starts_on", "reset_policy_since")
        .get(pk=series_id)
    )
    return Rules.of(series)


def _increment(series_id: int, period: str, is_test: bool) -> tuple[int, int, int, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET value = value + 1 "  # noqa: S608
            "WHERE series_id = %s AND period = %s AND is_test = %s AND NOT retired "
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
            SeriesCounter.objects.create(
                organization_id=series.organization_id,
                series=series,
                period=period,
                is_test=is_test,
                value=first - 1,
            )
    except IntegrityError:
        pass

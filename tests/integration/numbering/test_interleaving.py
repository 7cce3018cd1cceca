"""Three connections interleaved by hand: a transaction that read before another committed
still gets the next number, without an error.

Each actor is a thread with its own Django connection (Django keeps one per
thread), so the database sees separate sessions, as it would separate workers.

On PostgreSQL, T1 begins and reads the counter under READ COMMITTED (Django's
default), T2 issues and commits, T3 issues and keeps its transaction open, and
T1 issues: its UPDATE waits for T3's row lock, then reads the latest committed
value, so T1 gets the number after T3's.

On SQLite a transaction that may write begins with BEGIN IMMEDIATE (settings),
which takes the database's write lock at once: while T1's transaction is open
nobody else can commit, so "T2 commits between T1's read and T1's issue" cannot
happen; T2 waits and then gets the number after T1's. The last test shows the
failure that IMMEDIATE rules out: a deferred read snapshot cannot write after
another connection committed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from faktura.apps.invoicing.models import SeriesCounter
from faktura.apps.invoicing.services import document_issue
from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 20  # seconds: a generous bound for any one step, never reached when things work


class Actor(threading.Thread):
    """Runs ``body`` with its own database connection and keeps its result or error."""

    def __init__(self, body: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.body = body
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.body()
        except BaseException as error:
            self.error = error
        finally:
            connection.close()

    def outcome(self) -> Any:
        self.join(WAIT)
        assert not self.is_alive(), "the thread is stuck"
        if self.error is not None:
            raise self.error
        return self.result


def issue(org, document_id: int) -> str:
    return document_issue(actor=make.TEST_ACTOR, organization=org, document_id=document_id).number


def counter_value(series) -> int:
    return SeriesCounter.objects.filter(series=series).values_list("value", flat=True).get()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_a_transaction_that_read_before_others_committed_gets_the_next_number() -> None:
    org = make.seller()
    series = make.series(org)
    year = issue(org, make.draft(org).pk)[2:6]
    d1, d2, d3 = (make.draft(org).pk for _ in range(3))
    t1_read, t2_done, t3_holds, t3_may_commit = (threading.Event() for _ in range(4))

    def t1() -> tuple[int, str]:
        with transaction.atomic():
            seen = counter_value(series)  # T1's read: the counter says 1
            t1_read.set()
            assert t2_done.wait(WAIT)
            assert t3_holds.wait(WAIT)
            return seen, issue(org, d1)  # waits for T3's lock, then counts on

    def t2() -> str:
        assert t1_read.wait(WAIT)
        number = issue(org, d2)
        t2_done.set()
        return number

    def t3() -> str:
        assert t2_done.wait(WAIT)
        with transaction.atomic():
            number = issue(org, d3)
            t3_holds.set()
            assert t3_may_commit.wait(WAIT)
        return number

    actors = [Actor(t1), Actor(t2), Actor(t3)]
    for actor in actors:
        actor.start()
    assert t3_holds.wait(WAIT)
    actors[0].join(0.5)
    assert actors[0].is_alive(), "T1 must wait for the row lock T3 holds"
    t3_may_commit.set()
    (seen, first), second, third = (actor.outcome() for actor in actors)

    assert seen == 1
    assert (second, third, first) == (f"FA{year}002", f"FA{year}003", f"FA{year}004")
    assert counter_value(series) == 4


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_a_transaction_that_read_first_holds_the_write_lock_and_the_other_waits() -> None:
    org = make.seller()
    series = make.series(org)
    year = issue(org, make.draft(org).pk)[2:6]
    d1, d2 = make.draft(org).pk, make.draft(org).pk
    t1_read, t2_starts, t1_may_issue = (threading.Event() for _ in range(3))

    def t1() -> tuple[int, str]:
        with transaction.atomic():  # BEGIN IMMEDIATE: the write lock, from here on
            seen = counter_value(series)
            t1_read.set()
            assert t1_may_issue.wait(WAIT)
            return seen, issue(org, d1)

    def t2() -> str:
        assert t1_read.wait(WAIT)
        t2_starts.set()
        return issue(org, d2)  # BEGIN IMMEDIATE waits (busy timeout) until T1 commits

    first, second = Actor(t1), Actor(t2)
    first.start()
    second.start()
    assert t2_starts.wait(WAIT)
    second.join(0.5)
    assert second.is_alive(), "T2 must wait while T1's transaction is open"
    t1_may_issue.set()
    (seen, number_1), number_2 = first.outcome(), second.outcome()

    assert seen == 1
    assert (number_1, number_2) == (f"FA{year}002", f"FA{year}003")


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_a_deferred_snapshot_could_not_write_after_another_commit_which_is_why_writes_begin_immediate() -> None:
    org = make.seller()
    series = make.series(org)
    issue(org, make.draft(org).pk)
    draft = make.draft(org).pk
    path = connection.settings_dict["NAME"]
    reader = sqlite3.connect(path, timeout=1, isolation_level=None)
    try:
        reader.execute("BEGIN DEFERRED")
        (seen,) = reader.execute(f"SELECT value FROM {SeriesCounter._meta.db_table}").fetchone()
        other = Actor(lambda: issue(org, draft))  # another connection issues and commits
        other.start()
        other.outcome()

        with pytest.raises(sqlite3.OperationalError, match="locked"):  # SQLITE_BUSY_SNAPSHOT
            reader.execute(f"UPDATE {SeriesCounter._meta.db_table} SET value = value + 1")
        reader.execute("ROLLBACK")
    finally:
        reader.close()
    assert seen == 1
    assert counter_value(series) == 2

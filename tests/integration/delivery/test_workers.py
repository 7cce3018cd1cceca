"""Through real ``faktura worker`` processes: many workers never run a task twice; a worker killed mid-send.

Workers claim a task with ``SELECT … FOR UPDATE SKIP LOCKED`` inside a
transaction that marks it running (django-tasks-db; on SQLite the claim is an
EXCLUSIVE transaction), so two workers never take the same task. An email whose
worker dies in the middle of SMTP is taken over by the rescue task its claim
queued, after the lease, and sent with the same Message-ID.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from faktura.apps.delivery.models import AttemptOutcome, DeliveryAttempt, MessageState, OutgoingMessage
from tests.integration.cli.conftest import FAKTURA, database_url
from tests.integration.cli.processes import wait_until
from tests.integration.delivery import helpers
from tests.integration.delivery.mailserver import mail_server
from tests.integration.delivery.probe import TABLE, probe_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
PROBE = "tests.integration.delivery.probe.probe_run"


def worker_env(settings: Any, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url(),
        "FAKTURA_DATA_DIR": str(tmp_path / "data"),
        "FAKTURA_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "FAKTURA_BASE_URL": settings.FAKTURA_BASE_URL,
        "FAKTURA_EMAIL_HOST": "127.0.0.1",
        "FAKTURA_EMAIL_PORT": str(settings.EMAIL_PORT),
        "FAKTURA_EMAIL_FROM": settings.DEFAULT_FROM_EMAIL,
        "FAKTURA_LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def worker(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [str(FAKTURA), "worker", "--interval=0.1", "--no-startup-delay", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def state_of(message_id: int) -> str:
    return str(OutgoingMessage.objects.get(pk=message_id).state)


@pytest.mark.parametrize("server_kept_it", [False, True], ids=["server-dropped-it", "server-kept-it"])
def test_a_worker_killed_in_the_middle_of_sending_leaves_the_buyer_one_email(
    settings: Any, tmp_path: Path, server_kept_it: bool
) -> None:
    document = helpers.issued()
    message = helpers.message_of(document)
    env = worker_env(settings, tmp_path, FAKTURA_EMAIL_SEND_LEASE="3", FAKTURA_EMAIL_TIMEOUT="120")
    with mail_server(settings.EMAIL_PORT, stall=threading.Event(), deliver_stalled=server_kept_it) as smtp:
        with worker(env) as first:
            assert smtp.stalled.wait(120), "the first worker never reached DATA"
            assert state_of(message.pk) == MessageState.SENDING
            first.kill()  # kill -9 while the server holds the end of DATA unanswered
            first.wait()
        assert smtp.stall is not None
        smtp.stall.set()  # the server finishes: it kept the message, or dropped it with the connection
        with worker(env):
            wait_until(lambda: state_of(message.pk) == MessageState.SENT, timeout=120, what="the rescue to send it")

    message.refresh_from_db()
    ids = [mail.header("Message-ID") for mail in smtp.received]
    pdf = helpers.stored_pdf(document)
    if server_kept_it:  # SMTP's gap: accepted, but the worker died before it could record it
        assert ids == [message.message_id, message.message_id]  # the receiver drops the repeat by its Message-ID
    else:
        assert ids == [message.message_id]
    assert all(mail.attachments() == {f"{document.number}.pdf": pdf} for mail in smtp.received)
    outcomes = list(DeliveryAttempt.objects.filter(message=message).values_list("number", "outcome"))
    assert outcomes == [(1, AttemptOutcome.INTERRUPTED), (2, AttemptOutcome.SENT)]
    assert message.attempts == 2


def test_two_workers_take_many_tasks_and_run_each_exactly_once(settings: Any, tmp_path: Path) -> None:
    tasks = 1000 if connection.vendor == "postgresql" else 300
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (number integer PRIMARY KEY, pid integer NOT NULL)")
    try:
        with transaction.atomic():
            for number in range(tasks):
                probe_run.enqueue(number)
        env = worker_env(settings, tmp_path)
        started = time.monotonic()
        with worker(env, "--batch") as one, worker(env, "--batch") as two:
            assert one.wait(timeout=600) == 0
            assert two.wait(timeout=600) == 0
        elapsed = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pid, COUNT(*) FROM {TABLE} GROUP BY pid")
            by_worker = dict(cursor.fetchall())
            cursor.execute(f"SELECT COUNT(*), COUNT(DISTINCT number) FROM {TABLE}")
            runs, distinct = cursor.fetchone()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    results = DBTaskResult.objects.filter(task_path=PROBE)
    print(f"\n{tasks} tasks on {connection.vendor}: {sorted(by_worker.values())} per worker, {elapsed:.1f} s")
    assert (runs, distinct) == (tasks, tasks)
    assert results.filter(status=TaskResultStatus.SUCCESSFUL).count() == tasks
    assert not results.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    assert all(len(ids) == 1 for ids in results.values_list("worker_ids", flat=True))
    assert len(by_worker) == 2  # both took part
    assert set(by_worker) == {one.pid, two.pid}

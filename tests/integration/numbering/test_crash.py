"""Issuing processes killed with SIGKILL at random moments leave no gap and no duplicate.

Each run forks two issuing processes that take drafts from a shared pool, one
after the other, and kills each at its own random moment: before it connects,
while it waits for the counter row, between its statements, during its commit.
In one run out of three a process instead kills itself at the worst moment on
purpose: inside its transaction, right after it took a number. A killed process
never commits, so the database (PostgreSQL's server, SQLite's WAL) forgets its
half-done transaction and its number goes to the next issuer.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

import pytest
from django.db import connections, transaction
from django.utils import timezone

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue
from tests import factories as make
from tests.integration.numbering.helpers import assert_gapless, bulk_drafts, issue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RUNS = 60
PROCESSES_PER_RUN = 2
POOL = 2000
LONGEST_LIFE = 0.4  # seconds


def test_processes_killed_at_random_moments_leave_every_series_gapless() -> None:
    org = make.seller()
    channels = [make.channel(org), make.channel(org)]
    series = [make.series(org, f"K{chr(65 + i)}{{RRRR}}{{CCCC}}", channel=ch) for i, ch in enumerate(channels)]
    pools = [bulk_drafts(org, POOL // 2, channel=ch) for ch in channels]
    pool = [pools[i % 2][i // 2] for i in range(POOL)]
    context = multiprocessing.get_context("fork")
    next_draft = context.Value("i", 0)
    at = timezone.now()
    rng = random.Random(20261123)

    def issuer(self_kill: bool) -> None:
        while True:
            with next_draft.get_lock():
                index = next_draft.value
                next_draft.value += 1
            if index >= len(pool):
                time.sleep(LONGEST_LIFE * 100)  # the pool ran dry on a fast machine: wait for the kill
                continue
            with transaction.atomic():
                document_issue(actor=make.TEST_ACTOR, organization=org, document_id=pool[index], at=at)
                if self_kill:
                    os.kill(os.getpid(), signal.SIGKILL)  # holding a number, before the commit

    killed = 0
    for run in range(RUNS):
        connections.close_all()
        self_kill = run % 3 == 2
        children = [context.Process(target=issuer, args=(self_kill,)) for _ in range(PROCESSES_PER_RUN)]
        for child in children:
            child.start()
        started = time.monotonic()
        for moment, child in sorted(((rng.uniform(0, LONGEST_LIFE), child) for child in children), key=lambda p: p[0]):
            time.sleep(max(0.0, started + moment - time.monotonic()))
            child.kill()
        for child in children:
            child.join(60)
            assert child.exitcode == -signal.SIGKILL, f"run {run}: a process ended with {child.exitcode}"
            killed += 1

    assert killed == RUNS * PROCESSES_PER_RUN
    issued = [assert_gapless(one) for one in series]
    assert sum(issued) > RUNS, "too few issues happened between the kills to mean anything"
    assert Document.objects.filter(organization=org, status="issued").count() == sum(issued)
    for one, count in zip(series, issued, strict=True):
        draft = make.draft(org, channel=one.channel)
        assert issue(org, draft, at=at).counter == count + 1

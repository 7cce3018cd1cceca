"""Many OS processes issue at once against the real database; some abort after taking a number.

Every series must end up holding exactly 1..N: no number twice, none missing.
The aborted transactions took a number and rolled back, so their numbers must
have gone to the next issuer. PostgreSQL runs 32 processes, SQLite 8 (it has
one writer at a time; more processes only wait longer).
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import deque

import pytest
from django.db import connection, transaction
from django.utils import timezone

from faktura.apps.audit.models import AuditEvent
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue, series_update
from tests import factories as make
from tests.integration.numbering.helpers import assert_gapless, bulk_drafts, run_forked

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PROCESSES = {"postgresql": 32, "sqlite": 8}
ISSUES_PER_PROCESS = 250
ABORT_RATE = 0.10
SERIES = 4


class AbortError(Exception):
    """Raised after document_issue returned: the outer transaction rolls back with its number."""


def test_concurrent_processes_with_aborted_transactions_leave_every_series_gapless() -> None:
    processes = PROCESSES[connection.vendor]
    org = make.seller()
    channels = [make.channel(org) for _ in range(SERIES)]
    series = [make.series(org, f"S{chr(65 + i)}{{RRRR}}{{CCCC}}", channel=ch) for i, ch in enumerate(channels)]
    per_series = processes * ISSUES_PER_PROCESS // SERIES
    pools = [bulk_drafts(org, per_series, channel=ch) for ch in channels]
    interleaved = [pool[i] for i in range(per_series) for pool in pools]  # every process hits every series
    aborted = multiprocessing.get_context("fork").Value("i", 0)
    at = timezone.now()

    def worker(document_ids: list[int], seed: int) -> None:
        rng = random.Random(seed)
        queue = deque(document_ids)
        while queue:
            document_id = queue.popleft()
            try:
                with transaction.atomic():
                    document_issue(actor=make.TEST_ACTOR, organization=org, document_id=document_id, at=at)
                    if rng.random() < ABORT_RATE:
                        raise AbortError
            except AbortError:
                queue.append(document_id)  # still a draft: issue it again later
                with aborted.get_lock():
                    aborted.value += 1

    codes = run_forked([lambda p=p: worker(interleaved[p::processes], seed=p) for p in range(processes)], timeout=900)

    assert codes == [0] * processes
    assert not Document.objects.filter(organization=org, status="draft").exists()
    for one in series:
        assert_gapless(one, expected=per_series)
    expected_aborts = processes * ISSUES_PER_PROCESS * ABORT_RATE
    assert expected_aborts / 2 < aborted.value < expected_aborts * 2


def test_flipping_the_reset_policy_while_processes_issue_never_repeats_or_skips_a_number() -> None:
    """yearly <-> never, over and over, under load: each change hands the count over (numbering.change_policy)
    and issuers that read the old policy find their counter retired and count on in the new one."""
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    issuers, per_issuer, flips = 4, 100, 30
    pool = bulk_drafts(org, issuers * per_issuer)
    at = timezone.now()

    def issuer(document_ids: list[int]) -> None:
        for document_id in document_ids:
            document_issue(actor=make.TEST_ACTOR, organization=org, document_id=document_id, at=at)

    def flipper() -> None:
        for flip in range(flips):
            series_update(
                actor=make.TEST_ACTOR,
                organization=org,
                series_id=series.pk,
                reset_policy="never" if flip % 2 == 0 else "yearly",
            )
            time.sleep(0.1)

    codes = run_forked([*(lambda i=i: issuer(pool[i::issuers]) for i in range(issuers)), flipper])

    assert codes == [0] * (issuers + 1)
    counters = sorted(Document.objects.filter(series=series).values_list("counter", flat=True))
    assert counters == list(range(1, issuers * per_issuer + 1))  # one count across both kinds of period
    numbers = Document.objects.filter(series=series).values_list("number", flat=True)
    assert len(set(numbers)) == issuers * per_issuer
    assert AuditEvent.objects.filter(action="series.updated", object_id=str(series.pk)).count() == flips

"""Shared by the numbering tests: dates in the seller's zone, bulk drafts, the gapless check, forked workers."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import traceback
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.utils import timezone

from faktura.apps.accounts.models import Organization
from faktura.apps.invoicing.models import Document, DocumentLine, Series, SeriesCounter, VatBreakdown
from faktura.apps.invoicing.services import document_issue
from tests import factories as make

BUCHAREST = ZoneInfo("Europe/Bucharest")


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0, second: int = 0) -> dt.datetime:
    """An instant given by the wall clock in Bucharest (the test seller's zone)."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=BUCHAREST)


def today() -> dt.date:
    return timezone.localdate(timezone=BUCHAREST)


def issue(org: Organization, document: Document, at: dt.datetime | None = None, **options: object) -> Document:
    return document_issue(
        actor=make.TEST_ACTOR,
        organization=org,
        document_id=document.pk,
        at=at or timezone.now(),
        **options,  # type: ignore[arg-type]
    )


def bulk_drafts(org: Organization, count: int, **options: object) -> list[int]:
    """``count`` drafts like one made through the service, copied in bulk (fast enough for thousands)."""
    template = make.draft(org, **options)
    lines = list(DocumentLine.objects.filter(document=template))
    breakdown = list(VatBreakdown.objects.filter(document=template))
    created = Document.objects.bulk_create([_copy(template) for _ in range(count - 1)], batch_size=500)
    DocumentLine.objects.bulk_create(
        [_copy(line, document_id=document.pk) for document in created for line in lines], batch_size=1000
    )
    VatBreakdown.objects.bulk_create(
        [_copy(row, document_id=document.pk) for document in created for row in breakdown], batch_size=1000
    )
    return [template.pk, *(document.pk for document in created)]


def _copy(row: Any, **changes: object) -> Any:
    fields = {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields if not f.primary_key}
    return type(row)(**{**fields, **changes})


def counters_by_period(series: Series, *, is_test: bool = False) -> dict[str, list[int]]:
    numbers: dict[str, list[int]] = defaultdict(list)
    issued = Document.objects.filter(series=series, is_test=is_test).exclude(status="draft")
    for period, counter in issued.values_list("period", "counter"):
        numbers[period].append(counter)
    return {period: sorted(values) for period, values in numbers.items()}


def assert_gapless(series: Series, *, expected: int | None = None) -> int:
    """Every period of ``series`` holds exactly 1..N, numbers are unique, and the counter row says N."""
    total = 0
    issued = Document.objects.filter(series=series).exclude(status="draft")
    numbers = list(issued.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)), "a number was issued twice"
    for period, counters in counters_by_period(series).items():
        assert counters == list(range(1, len(counters) + 1)), f"{series.pattern} {period}: not 1..N: {counters}"
        row = SeriesCounter.objects.get(series=series, period=period, is_test=False)
        assert row.value == len(counters), f"{series.pattern} {period}: counter at {row.value}, {len(counters)} issued"
        total += len(counters)
    if expected is not None:
        assert total == expected, f"{series.pattern}: {total} issued, {expected} expected"
    return total


def run_forked(workers: Sequence[Callable[[], None]], *, timeout: float = 600) -> list[int]:
    """Run each callable in its own forked OS process against the test database; their exit codes.

    The parent's connections are closed first: a child must never share the
    parent's socket or file handle, and opens its own on first use, with the
    settings pytest-django already pointed at the test database.
    """
    connections.close_all()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_child_main, args=(worker,)) for worker in workers]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
    return [process.exitcode if process.exitcode is not None else -1 for process in processes]


def _child_main(worker: Callable[[], None]) -> None:
    try:
        worker()
    except BaseException:
        traceback.print_exc()
        connections.close_all()
        os._exit(1)
    connections.close_all()
    os._exit(0)

"""The measuring half of ``benchmarks/numbering.py``: runs inside Django, against one database.

Each run forks its worker processes (after closing the parent's connections, so
each opens its own), lines them up on a barrier, and lets them take drafts from
a shared pool for ``SECONDS``; throughput is the documents issued over the time
from the barrier to the last worker's last commit.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
PROCESSES = (1, 8, 32)
SERIES = (1, 8)
APP_POOL = 2500
RAW_POOL = 12000


@dataclass
class Figure:
    db: str
    path: str
    series: int
    processes: int
    docs: int
    docs_per_s: float
    p50_ms: float
    p99_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_phase(db: str) -> list[Figure]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faktura.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench = _Bench(db)
    figures = []
    for series in SERIES:
        for processes in PROCESSES:
            for path in ("app", "raw"):
                figure = bench.run(path, series=series, processes=processes)
                print(
                    f"{db:<7}{path:<4} {series} series, {processes:>2} processes: {figure.docs_per_s:7.0f} docs/s, "
                    f"p50 {figure.p50_ms:6.1f} ms, p99 {figure.p99_ms:6.1f} ms",
                    flush=True,
                )
                figures.append(figure)
    return figures


class _Bench:
    def __init__(self, db: str) -> None:
        from faktura.apps.accounts.services import SellerDetails, organization_create
        from faktura.apps.invoicing.services import series_create
        from faktura.apps.sales.services import channel_create
        from faktura.core.actors import Actor

        self.db = db
        self.actor = Actor("benchmark")
        self.org = organization_create(
            actor=self.actor,
            details=SellerDetails(
                legal_name="Benchmark SRL",
                country="RO",
                street="Str. Lipscani 10",
                city="București",
                postal_code="030031",
                time_zone="Europe/Bucharest",
                currency="RON",
                language="ro",
                vat_id="RO18547290",
                registration_number="J52/750/2012",
            ),
        )
        self.channels = []
        self.spare: dict[str, list[int]] = {}
        self.series: dict[str, list[int]] = {"app": [], "raw": []}
        for path in ("app", "raw"):
            for index in range(max(SERIES)):
                channel = channel_create(actor=self.actor, organization=self.org, name=f"{path} shop {index}")
                created = series_create(
                    actor=self.actor,
                    organization=self.org,
                    document_type="invoice",
                    name=f"{path} {index}",
                    pattern=f"{path.upper()}{chr(65 + index)}{{RRRR}}{{CCCCC}}",
                    channel=channel,
                )
                self.series[path].append(created.pk)
                if path == "app":
                    self.channels.append(channel)

    def run(self, path: str, *, series: int, processes: int) -> Figure:
        from django.db import connections

        from faktura.apps.invoicing.models import Document, SeriesCounter

        pool = self._drafts(path, series)
        next_index = multiprocessing.get_context("fork").Value("q", 0)
        barrier = multiprocessing.get_context("fork").Barrier(processes + 1)
        results = multiprocessing.get_context("fork").Queue()
        work = self._app_issue() if path == "app" else self._raw_issue(series)
        connections.close_all()
        workers = [
            multiprocessing.get_context("fork").Process(target=_worker, args=(work, pool, next_index, barrier, results))
            for _ in range(processes)
        ]
        for worker in workers:
            worker.start()
        barrier.wait()
        start = time.perf_counter()
        outcomes = [results.get(timeout=300) for _ in workers]
        for worker in workers:
            worker.join()
            if worker.exitcode != 0:
                raise SystemExit(f"a {path} worker failed with exit code {worker.exitcode}")
        end = max(outcome[0] for outcome in outcomes)
        latencies = sorted(latency for outcome in outcomes for latency in outcome[1])
        used = self.series[path][:series]
        issued = Document.objects.filter(series_id__in=used, status="issued").count()
        counted = sum(SeriesCounter.objects.filter(series_id__in=used).values_list("value", flat=True))
        assert issued == counted, f"{issued} documents issued but the counters say {counted}"
        return Figure(
            db=self.db,
            path=path,
            series=series,
            processes=processes,
            docs=len(latencies),
            docs_per_s=len(latencies) / (end - start),
            p50_ms=1000 * statistics.median(latencies),
            p99_ms=1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        )

    def _drafts(self, path: str, series: int) -> list[int]:
        """Drafts for the run, round-robin over its series' channels (raw ones need no lines nor channel).

        Drafts a run leaves unissued are kept for the next run of the same kind."""
        from faktura.apps.invoicing.models import Document

        per_source = (APP_POOL if path == "app" else RAW_POOL) // series
        sources = [f"app{i}" for i in range(series)] if path == "app" else ["raw"] * series
        pools = []
        for index, source in enumerate(dict.fromkeys(sources)):
            spare = self.spare.setdefault(source, [])
            spare[:] = Document.objects.filter(pk__in=spare, status="draft").order_by("pk").values_list("pk", flat=True)
            wanted = per_source * sources.count(source)
            if len(spare) < wanted:
                spare += _bulk_drafts(self, self.channels[index] if path == "app" else None, wanted - len(spare))
            pools.append(spare[:wanted])
        if path == "raw":
            return pools[0]
        return [pool[i] for i in range(per_source) for pool in pools]

    def _app_issue(self) -> Callable[[int | None], None]:
        from django.db import connection
        from django.utils import timezone

        from faktura.apps.invoicing.services import document_issue

        org, actor, at = self.org, self.actor, timezone.now()

        def issue(document_id: int | None) -> None:
            if document_id is None:
                connection.ensure_connection()
                return
            document_issue(actor=actor, organization=org, document_id=document_id, at=at)

        return issue

    def _raw_issue(self, series: int) -> Callable[[int | None], None]:
        """A driver connection per worker, opened on first use, and SQL written by hand."""
        from django.db import connection

        from faktura.apps.invoicing.models import Document, SeriesCounter

        vendor, params = connection.vendor, connection.get_connection_params()
        series_ids = self.series["raw"][:series]
        mark = "?" if vendor == "sqlite" else "%s"
        increment = (
            f"UPDATE {SeriesCounter._meta.db_table} SET value = value + 1 "
            f"WHERE series_id = {mark} AND period = {mark} AND is_test = {mark} RETURNING value"
        )
        issue_row = (
            f"UPDATE {Document._meta.db_table} SET status = 'issued', series_id = {mark}, number = {mark}, "
            f"counter = {mark}, period = {mark}, issue_date = {mark}, issued_at = {mark} WHERE id = {mark}"
        )
        today = time.strftime("%Y-%m-%d")
        period = today[:4]
        state: dict[str, Any] = {}

        def issue(document_id: int | None) -> None:
            raw = state.get("connection")
            if raw is None:
                raw = state["connection"] = connection.get_new_connection(params)
                if vendor == "sqlite":
                    raw.isolation_level = None
            if document_id is None:
                return
            series_id = series_ids[document_id % len(series_ids)]
            cursor = raw.cursor()
            if vendor == "sqlite":
                cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(increment, [series_id, period, False])
            (value,) = cursor.fetchone()
            number = f"RAW{series_id}-{period}{value:05d}"
            issued_at = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()) + ("" if vendor == "sqlite" else "+00:00")
            cursor.execute(issue_row, [series_id, number, value, period, today, issued_at, document_id])
            if vendor == "sqlite":
                cursor.execute("COMMIT")
            else:
                raw.commit()

        for series_id in series_ids:
            SeriesCounter.objects.get_or_create(
                series_id=series_id, period=period, is_test=False, defaults={"organization": self.org}
            )
        return issue


def _worker(work: Callable[[int | None], None], pool: list[int], next_index: Any, barrier: Any, results: Any) -> None:
    from django.db import connections

    latencies: list[float] = []
    work(None)  # connect before the clock starts
    barrier.wait()
    deadline = time.perf_counter() + SECONDS
    last = time.perf_counter()
    while last < deadline:
        with next_index.get_lock():
            index = next_index.value
            next_index.value += 1
        if index >= len(pool):
            break
        began = time.perf_counter()
        work(pool[index])
        last = time.perf_counter()
        latencies.append(last - began)
    results.put((last, latencies))
    connections.close_all()


def _bulk_drafts(bench: _Bench, channel: Any, count: int) -> list[int]:
    """``count`` drafts copied in bulk from one made by the service (the copying is not measured)."""
    from faktura.apps.invoicing.models import Document, DocumentLine, VatBreakdown
    from faktura.apps.invoicing.services import BuyerDetails, document_create_draft
    from faktura.core.documents import DraftLine
    from faktura.core.vat import VatCategory

    template = document_create_draft(
        actor=bench.actor,
        organization=bench.org,
        document_type="invoice",
        currency="RON",
        buyer=BuyerDetails(name="Ana Popescu", country="RO", email="ana@example.ro", city="Cluj-Napoca"),
        lines=[
            DraftLine(
                name="Cană ceramică",
                quantity=Decimal(2),
                unit_price=Decimal("12.10"),
                vat_category=VatCategory.STANDARD,
                vat_rate=Decimal(21),
            )
        ],
        pricing="gross",
        channel=channel,
    )
    copies = Document.objects.bulk_create([_copy(template) for _ in range(count - 1)], batch_size=1000)
    if channel is not None:
        children = [*DocumentLine.objects.filter(document=template), *VatBreakdown.objects.filter(document=template)]
        for model in (DocumentLine, VatBreakdown):
            model.objects.bulk_create(
                [_copy(row, document_id=copy.pk) for copy in copies for row in children if type(row) is model],
                batch_size=2000,
            )
    return [template.pk, *(copy.pk for copy in copies)]


def _copy(row: Any, **changes: object) -> Any:
    fields = {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields if not f.primary_key}
    return type(row)(**{**fields, **changes})

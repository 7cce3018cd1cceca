"""Issuing throughput of numbered documents, against the raw-SQL limit of the same server.

    .venv/bin/python benchmarks/numbering.py

One command, about four minutes. It builds a SQLite file database in a
temporary directory and a throwaway PostgreSQL cluster with fsync on
(``scripts/with-postgres`` with ``PG_DURABLE=1``), migrates both, and on each
measures, with 1, 8 and 32 concurrent OS processes, on one series and spread
over eight:

* **app**: ``document_issue`` of drafts created beforehand (outside the timed part);
* **raw**: what issuing cannot do without, sent by the driver (psycopg, sqlite3)
  with no application around it, one transaction each: the counter row's
  ``UPDATE … RETURNING`` and the ``UPDATE`` that turns a draft row into an issued
  document with its number, on the same tables, indexes and triggers.

It prints a table and ``RESULT <name> <value> <unit>`` lines (throughput is the
best over the numbers of processes, p99 is at 8 processes), the last one the
headline ratio ``numbering.pg.one_series.ratio_to_raw_sql``: the best app
throughput on one series over the best raw throughput on one series. The
figures of a run are kept in ``docs/performance.md``. ``BENCH_DATABASES=pg``
(or ``sqlite``) runs one database, ``BENCH_SECONDS`` sets the length of a run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,pg").split(",")  # a subset, while profiling
sys.path.insert(0, str(ROOT))

from benchmarks.numbering_runs import Figure, run_phase  # noqa: E402


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--phase":
        figures = run_phase(sys.argv[2])
        Path(sys.argv[3]).write_text(json.dumps([figure.as_dict() for figure in figures]))
        return 0
    print(f"machine: {_machine()}; load average before: {_load()}", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="faktura-bench-") as tmp:
        figures = []
        if "sqlite" in DATABASES:
            figures += _phase("sqlite", tmp, {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"})
        if "pg" in DATABASES:
            figures += _phase(
                "pg", tmp, {"PG_DURABLE": "1", "FAKTURA_REQUIRE_POSTGRES": "1"}, wrap=["scripts/with-postgres"]
            )
    _report(figures)
    print(f"# {time.monotonic() - started:.0f} s; load average after: {_load()}")
    return 0


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "unknown CPU",
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} CPUs ({cpu}), {memory_kb / 1024**2:.0f} GiB RAM, Python {sys.version.split()[0]}"


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _phase(name: str, tmp: str, env: dict[str, str], wrap: list[str] | None = None) -> list[Figure]:
    out = Path(tmp) / f"{name}.json"
    command = [*(wrap or []), sys.executable, str(Path(__file__).resolve()), "--phase", name, str(out)]
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update({"FAKTURA_DATA_DIR": tmp, "FAKTURA_LOG_LEVEL": "WARNING", **env})
    subprocess.run(command, cwd=ROOT, env=environment, check=True)
    return [Figure(**row) for row in json.loads(out.read_text())]


def _report(figures: list[Figure]) -> None:
    by_key = {(f.db, f.path, f.series, f.processes): f for f in figures}
    print()
    print(
        f"{'db':<7}{'series':>7}{'procs':>6} | {'app docs/s':>10}{'p50 ms':>8}{'p99 ms':>8} | "
        f"{'raw docs/s':>10}{'p50 ms':>8}{'p99 ms':>8} | {'app/raw':>7}"
    )
    for f in figures:
        if f.path != "app":
            continue
        raw = by_key[(f.db, "raw", f.series, f.processes)]
        print(
            f"{f.db:<7}{f.series:>7}{f.processes:>6} | {f.docs_per_s:>10.0f}{f.p50_ms:>8.1f}{f.p99_ms:>8.1f} | "
            f"{raw.docs_per_s:>10.0f}{raw.p50_ms:>8.1f}{raw.p99_ms:>8.1f} | {f.docs_per_s / raw.docs_per_s:>7.2f}"
        )
    print()
    headline = None
    for db in dict.fromkeys(f.db for f in figures):
        for series, label in ((1, "one_series"), (8, "eight_series")):
            app = _best(figures, db, "app", series)
            raw = _best(figures, db, "raw", series)
            ratio = app.docs_per_s / raw.docs_per_s
            print(f"RESULT numbering.{db}.{label}.docs_per_s {app.docs_per_s:.0f} docs/s")
            print(f"RESULT numbering.{db}.{label}.p99_ms {by_key[(db, 'app', series, 8)].p99_ms:.0f} ms")
            print(f"RESULT numbering.{db}.{label}.raw_sql_docs_per_s {raw.docs_per_s:.0f} docs/s")
            if (db, label) == ("pg", "one_series"):
                headline = ratio
            else:
                print(f"RESULT numbering.{db}.{label}.ratio_to_raw_sql {ratio:.2f} ratio")
    if headline is not None:
        print(f"RESULT numbering.pg.one_series.ratio_to_raw_sql {headline:.2f}")


def _best(figures: list[Figure], db: str, path: str, series: int) -> Figure:
    """The highest throughput over the numbers of processes: what the path can reach."""
    return max((f for f in figures if (f.db, f.path, f.series) == (db, path, series)), key=lambda f: f.docs_per_s)


if __name__ == "__main__":
    sys.exit(main())

"""Bulk downloads of 10,000 documents: the ZIP and the merged PDF, against just reading the files.

    .venv/bin/python benchmarks/bulk.py        (or: make bench-bulk)

One command, a few minutes. In a temporary data directory (SQLite database,
media files) it makes a seller and 10,000 issued documents whose PDFs are
stored through Django's storage, each its own file: a few hundred distinct
PDFs are rendered with Faktura's Typst templates (invoices, proformas, credit
notes, estimates; distinct numbers, buyers, languages and QR codes) and copied
to make up the 10,000. Then, each in a fresh process so that its peak memory
is its own:

* **read** (the baseline): every document's stored PDF read in the order the
  exports read them, through the same selector and storage, nothing else;
* **zip**: ``ExportBuild(..., "zip", ids).chunks()``, written to a file, as
  the export worker does;
* **pdf**: the same for one merged PDF.

For each: wall time, CPU time and peak RSS (``ru_maxrss`` of the process).
The archive is checked afterwards (every member, a sample byte for byte) and
the merged PDF opened with pypdf (every page there). The page cache holds the
files in all three phases (they were just written), so "reading the files" is
the cost of getting them from the kernel.

The last lines are ``RESULT bulk.peak_rss_mb`` (the larger of the ZIP's and
the merged PDF's) and ``RESULT bulk.seconds_10k`` (the slower of the two).
``BENCH_BULK`` (default 10000) and ``BENCH_DISTINCT`` (300) shorten a run.
Figures are kept in ``docs/performance.md``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
COUNT = int(os.environ.get("BENCH_BULK", "10000"))
DISTINCT = int(os.environ.get("BENCH_DISTINCT", "300"))
TARGET_RSS_MB = 300


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--phase":
        result = _phase(sys.argv[2], Path(sys.argv[3]))
        print(json.dumps(result))
        return 0
    print(f"machine: {_machine()}; load average before: {_load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="faktura-bench-bulk-") as tmp:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update({"FAKTURA_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "faktura.config.settings"})
        env.pop("FAKTURA_DEBUG", None)
        subprocess.run([str(BIN / "faktura"), "migrate", "--no-input", "-v0"], env=env, check=True)
        started = time.perf_counter()
        pages = json.loads(_child(env, "setup", Path(tmp)))["pages"]
        print(f"setup: {COUNT} documents ({DISTINCT} distinct PDFs rendered) in {time.perf_counter() - started:.0f} s")
        results = {name: json.loads(_child(env, name, Path(tmp))) for name in ("read", "zip", "pdf")}
        _check_zip(Path(tmp))
        _check_pdf(Path(tmp), pages)
    _report(results)
    return 0


def _child(env: dict[str, str], phase: str, tmp: Path) -> str:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, str(tmp)], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return done.stdout.decode().strip().splitlines()[-1]


# In the child processes ---------------------------------------------------------------------------


def _phase(name: str, tmp: Path) -> dict[str, float]:
    import django

    django.setup()
    if name == "setup":
        return _setup(tmp)
    from faktura.apps.accounts.models import Organization
    from faktura.apps.invoicing.models import Document

    organization = Organization.objects.get()
    ids = list(Document.objects.for_organization(organization).values_list("pk", flat=True))
    started, cpu = time.perf_counter(), time.process_time()
    size = _read(organization, ids) if name == "read" else _export(organization, ids, name, tmp)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": size,
    }


def _read(organization: object, ids: list[int]) -> int:
    from django.core.files.storage import default_storage

    from faktura.apps.invoicing.selectors import document_files

    size = 0
    for document in document_files(organization=organization, document_ids=ids):  # type: ignore[arg-type]
        with default_storage.open(document.pdf_name, "rb") as file:
            size += len(file.read())
    return size


def _export(organization: object, ids: list[int], export_format: str, tmp: Path) -> int:
    from faktura.apps.exports.build import ExportBuild

    size = 0
    with (tmp / f"out.{export_format}").open("wb") as out:
        for chunk in ExportBuild(organization, export_format, ids).chunks():  # type: ignore[arg-type]
            out.write(chunk)
            size += len(chunk)
    return size


def _setup(tmp: Path) -> dict[str, float]:
    """The seller, the distinct PDFs rendered, and the 10,000 issued documents that point at copies of them."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from pypdf import PdfReader
    from tests.factories import RO_SELLER

    from benchmarks.pdf import document as sample
    from faktura.apps.accounts.services import organization_create
    from faktura.apps.invoicing.models import Document
    from faktura.core.actors import Actor
    from faktura.pdf import BUILTIN_TEMPLATES, Template, render

    seller = organization_create(actor=Actor("benchmark"), details=RO_SELLER)
    distinct = []
    for n in range(DISTINCT):
        data = sample(BUILTIN_TEMPLATES[n % len(BUILTIN_TEMPLATES)], n)
        pdf = render(data, Template.builtin(data.document_type))
        distinct.append((data, pdf, len(PdfReader(io.BytesIO(pdf)).pages)))
    rows, pages = [], 0
    now = timezone.now()
    for n in range(COUNT):
        data, pdf, page_count = distinct[n % DISTINCT]
        number = f"FB{n:07d}"
        name = default_storage.save(f"documents/{seller.pk}/2026/{number}.pdf", ContentFile(pdf))
        pages += page_count
        rows.append(
            Document(
                organization=seller,
                document_type=data.document_type,
                status="issued",
                number=number,
                issue_date=data.issue_date,
                issued_at=now - dt.timedelta(minutes=COUNT - n),
                buyer_name=data.buyer.name,
                currency=data.currency,
                language=data.language,
                tax_inclusive=data.totals.tax_inclusive,
                payable=data.totals.payable,
                pdf=name,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            )
        )
        if len(rows) == 1000:
            Document.objects.bulk_create(rows)
            rows = []
    Document.objects.bulk_create(rows)
    return {"pages": pages}


# Checks and the report, in the parent ----------------------------------------------------------------


def _check_zip(tmp: Path) -> None:
    with zipfile.ZipFile(tmp / "out.zip") as archive:
        names = archive.namelist()
        assert len(names) == COUNT, f"the ZIP has {len(names)} members, not {COUNT}"
        for name in names[:: max(1, COUNT // 50)]:
            stored = (tmp / "media" / "documents").rglob(name)
            assert archive.read(name) == next(stored).read_bytes(), f"{name} differs from the stored file"
    print(f"zip: {COUNT} members, a sample identical to the stored files")


def _check_pdf(tmp: Path, pages: int) -> None:
    from pypdf import PdfReader

    started = time.perf_counter()
    reader = PdfReader(tmp / "out.pdf")
    found = len(reader.pages)
    assert found == pages, f"the merged PDF has {found} pages, not {pages}"
    assert reader.pages[-1].extract_text().strip(), "the last page has no text"
    print(f"pdf: opened by pypdf, {found} pages as expected ({time.perf_counter() - started:.0f} s to check)")


def _report(results: dict[str, dict[str, float]]) -> None:
    read = results["read"]
    print()
    print(f"{'phase':<8} {'seconds':>9} {'cpu s':>8} {'peak RSS MB':>12} {'MB out':>9} {'x read':>8}")
    for name, figure in results.items():
        ratio = figure["seconds"] / read["seconds"] if read["seconds"] else 0
        print(
            f"{name:<8} {figure['seconds']:>9.2f} {figure['cpu']:>8.2f} {figure['peak_rss_mb']:>12.1f} "
            f"{figure['bytes'] / 1e6:>9.1f} {ratio:>8.1f}"
        )
    peak = max(results["zip"]["peak_rss_mb"], results["pdf"]["peak_rss_mb"])
    slowest = max(results["zip"]["seconds"], results["pdf"]["seconds"])
    print(f"# peak RSS target < {TARGET_RSS_MB} MB: {'met' if peak < TARGET_RSS_MB else 'NOT met'}")
    print(f"# load average after: {_load()}")
    print(f"RESULT bulk.read_seconds {read['seconds']:.2f}")
    print(f"RESULT bulk.zip_seconds {results['zip']['seconds']:.2f}")
    print(f"RESULT bulk.pdf_seconds {results['pdf']['seconds']:.2f}")
    print(f"RESULT bulk.peak_rss_mb {peak:.0f}")
    print(f"RESULT bulk.seconds_10k {slowest:.2f}")


def _machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), platform.processor())
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {system}"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())

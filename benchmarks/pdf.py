"""Document PDFs per second: Faktura's Typst templates against headless Chromium and wkhtmltopdf.

    .venv/bin/python benchmarks/pdf.py        (or: make bench-pdf)

One command, a few minutes. It needs Debian's ``chromium`` and
``wkhtmltopdf`` (``apt-get install -y chromium wkhtmltopdf``); an engine that
is missing is reported and left out of the ratios.

**Per core.** The benchmark pins itself, and so every process it starts, to
one CPU, then measures documents per second:

* each built-in template (invoice, proforma, credit note, estimate) through
  ``faktura.pdf.render`` with a warm engine (fonts loaded, templates parsed),
  on distinct documents (numbers, dates, buyers, languages and payment QR
  codes differ, so no cached layout is reused whole), PDF/A-3b as issued;
* the same invoices through headless Chromium: one browser and one tab reused,
  each invoice turned into HTML from the same view (``benchmarks/pdf_html.py``:
  same content, the same Inter fonts, a comparable stylesheet), set into the
  tab as Puppeteer's ``setContent`` does, fonts awaited, and printed with
  ``Page.printToPDF`` (``benchmarks/pdf_chromium.py``; navigating to a file
  each time is about twice as slow, so the faster way is measured);
* the same HTML through wkhtmltopdf, one process per document as Odoo runs it.

Both columns are printed: documents per second of wall time on the pinned core,
and documents per CPU-second (of the whole process tree), which other load on a
shared machine disturbs less.

**Bulk.** 10,000 documents (400 distinct ones of the four templates, in turn) through
``faktura.pdf.pool.RenderPool`` on every core, streamed, with the start of the
pool timed apart.

The last three lines are ``RESULT pdf.docs_per_s_per_core`` (the invoice
template, per core), ``RESULT pdf.ratio_to_chromium`` and ``RESULT
pdf.ratio_to_wkhtmltopdf``. ``BENCH_SECONDS`` (per template, default 8),
``BENCH_BULK`` (default 10000), ``BENCH_CHROMIUM_DOCS`` (60) and
``BENCH_WKHTMLTOPDF_DOCS`` (20) shorten a run. Figures are kept in
``docs/performance.md``.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from benchmarks.pdf_chromium import Chromium, chromium_path  # noqa: E402
from benchmarks.pdf_html import invoice_html  # noqa: E402
from faktura.pdf import BUILTIN_TEMPLATES, DocumentData, Layout, Template, render  # noqa: E402
from faktura.pdf.pool import Job, RenderPool  # noqa: E402
from faktura.pdf.qr import with_payment_qr  # noqa: E402
from faktura.pdf.sample import sample_document  # noqa: E402
from faktura.pdf.view import document_view  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
BULK = int(os.environ.get("BENCH_BULK", "10000"))
CHROMIUM_DOCS = int(os.environ.get("BENCH_CHROMIUM_DOCS", "60"))
WKHTMLTOPDF_DOCS = int(os.environ.get("BENCH_WKHTMLTOPDF_DOCS", "20"))
LANGUAGES = ("en", "de", "sk", "cs", "ro", "hu", "pl")
BUYERS = ("Zelená Záhrada s.r.o.", "Grünwerk GmbH", "Kertész Kft.", "Ogród Sp. z o.o.", "Grădina Verde SRL")


def document(template: str, n: int) -> DocumentData:
    """The n-th distinct sample document of a template: its own number, date, buyer, language and QR code."""
    base = sample_document(template, LANGUAGES[n % len(LANGUAGES)])
    issue = base.issue_date - dt.timedelta(days=n % 300)
    return with_payment_qr(
        replace(
            base,
            number=f"{base.number[:6]}{n:07d}",
            payment_reference=f"{base.number[:6]}{n:07d}",
            issue_date=issue,
            issued_at=dt.datetime.combine(issue, dt.time(9, n % 60), tzinfo=dt.UTC),
            due_date=issue + dt.timedelta(days=14) if base.due_date else None,
            order_number=f"WEB-{100000 + n}",
            buyer=replace(base.buyer, name=f"{BUYERS[n % len(BUYERS)]} {n}"),
            variable_symbol=str(2026000000 + n) if base.variable_symbol else "",
        )
    )


def per_core_typst(template: str) -> tuple[float, float]:
    docs = [document(template, n) for n in range(300)]
    chosen = Template.builtin(template)
    for doc in docs[:20]:  # warm: fonts, the template, the caches of the compiler
        render(doc, chosen)
    count, started, cpu = 0, time.perf_counter(), time.process_time()
    for doc in itertools.cycle(docs[20:]):
        pdf = render(doc, chosen)
        count += 1
        if time.perf_counter() - started >= SECONDS:
            break
    assert pdf.startswith(b"%PDF-")
    return count / (time.perf_counter() - started), count / (time.process_time() - cpu)


def _html_files(tmp: Path, count: int) -> Iterator[tuple[DocumentData, Path]]:
    for n in range(count):
        doc = document("invoice", n)
        path = tmp / f"invoice-{n}.html"
        path.write_text(invoice_html(document_view(doc, Layout())), encoding="utf-8")
        yield doc, path


def per_core_chromium(tmp: Path) -> tuple[float, float] | None:
    executable = chromium_path()
    if executable is None:
        print("chromium: not installed (apt-get install -y chromium); left out", flush=True)
        return None
    docs = [document("invoice", n) for n in range(CHROMIUM_DOCS)]
    browser = Chromium(executable)
    try:
        for doc in docs[:5]:
            browser.pdf_of_html(invoice_html(document_view(doc, Layout())))
        started, cpu = time.perf_counter(), time.process_time() + _tree_cpu(browser.process.pid)
        for doc in docs:  # the HTML is made inside the timing, as render() makes its view
            pdf = browser.pdf_of_html(invoice_html(document_view(doc, Layout())))
        number = docs[-1].number
        elapsed = time.perf_counter() - started
        cpu = time.process_time() + _tree_cpu(browser.process.pid) - cpu
    finally:
        browser.close()
    assert number in _text(pdf), "Chromium's PDF lacks the invoice number"
    return CHROMIUM_DOCS / elapsed, CHROMIUM_DOCS / cpu


def per_core_wkhtmltopdf(tmp: Path) -> tuple[float, float] | None:
    executable = shutil.which("wkhtmltopdf")
    if executable is None:
        print("wkhtmltopdf: not installed (apt-get install -y wkhtmltopdf); left out", flush=True)
        return None
    env = {"PATH": os.defpath, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp)}
    command = [executable, "--quiet", "--enable-local-file-access", "--disable-smart-shrinking", "-s", "A4"]
    command += ["-T", "13mm", "-B", "18mm", "-L", "16mm", "-R", "16mm"]
    out = tmp / "wk.pdf"
    for _, path in _html_files(tmp, 2):
        subprocess.run([*command, str(path), str(out)], env=env, check=True, capture_output=True)
    started, cpu = time.perf_counter(), time.process_time() + _children_cpu()
    for doc, path in _html_files(tmp, WKHTMLTOPDF_DOCS):
        subprocess.run([*command, str(path), str(out)], env=env, check=True, capture_output=True)
        number = doc.number
    elapsed = time.perf_counter() - started
    cpu = time.process_time() + _children_cpu() - cpu
    # Debian's wkhtmltopdf (Qt unpatched) draws the OpenType text as outlines: no text to check, only the page.
    assert len(PdfReader(io.BytesIO(out.read_bytes())).pages) == 1, f"wkhtmltopdf did not print {number}"
    return WKHTMLTOPDF_DOCS / elapsed, WKHTMLTOPDF_DOCS / cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(root: int) -> float:
    """CPU seconds used so far by a process and all its live descendants (from /proc)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid], ticks[pid] = int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime
    total = 0
    for pid in ticks:
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        total += ticks[pid] if ancestor == root else 0
    return total / os.sysconf("SC_CLK_TCK")


def bulk(cores: int) -> dict[str, float]:
    distinct = [document(BUILTIN_TEMPLATES[n % len(BUILTIN_TEMPLATES)], n) for n in range(400)]

    def jobs() -> Iterator[Job]:  # taken as the pool asks for them: memory stays flat
        for n in range(BULK):
            doc = distinct[n % len(distinct)]
            yield Job(key=n, document=doc, template=Template.builtin(doc.document_type))

    started = time.perf_counter()
    with RenderPool(processes=cores) as pool:
        # This process, its live workers, and the workers recycled (and reaped) on the way.
        ready, cpu = time.perf_counter(), _tree_cpu(os.getpid()) + _children_cpu()
        done = failed = size = 0
        for result in pool.render_many(jobs()):
            done += 1
            failed += 0 if result.ok else 1
            size += len(result.pdf or b"")
        finished, cpu = time.perf_counter(), _tree_cpu(os.getpid()) + _children_cpu() - cpu
        replaced = pool.replaced
    docs_per_s = done / (finished - ready)
    return {
        "documents": done,
        "failed": failed,
        "replaced": replaced,
        "start_s": ready - started,
        "render_s": finished - ready,
        "docs_per_s": docs_per_s,
        "docs_per_s_per_core": docs_per_s / cores,
        "docs_per_cpu_s": done / cpu,
        "mean_kib": size / max(done, 1) / 1024,
        "parent_max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    system = f"{platform.system()} {platform.release()}"
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {system}"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    cpus = sorted(os.sched_getaffinity(0))
    print(f"machine: {_machine()}; load average before: {_load()}", flush=True)
    started = time.monotonic()
    os.sched_setaffinity(0, {cpus[-1]})  # one core for this process and all it starts
    wall: dict[str, float] = {}
    print("                     docs/s on one core   docs per CPU-second", flush=True)
    for name in BUILTIN_TEMPLATES:
        wall[name], cpu = per_core_typst(name)
        print(f"typst {name:<14} {wall[name]:10.1f} {cpu:20.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="faktura-bench-pdf-") as tmp:
        for engine, measure in (("chromium", per_core_chromium), ("wkhtmltopdf", per_core_wkhtmltopdf)):
            figures = measure(Path(tmp))
            if figures:
                wall[engine] = figures[0]
                print(f"{engine + ' invoice':<20} {figures[0]:10.2f} {figures[1]:20.2f}", flush=True)
    os.sched_setaffinity(0, set(cpus))
    print(f"bulk: {BULK} documents on {len(cpus)} cores ...", flush=True)
    b = bulk(len(cpus))
    print(
        f"bulk: {b['documents']:.0f} documents, {b['failed']:.0f} failed, pool start {b['start_s']:.1f} s, "
        f"{b['render_s']:.1f} s rendering = {b['docs_per_s']:.1f} docs/s ({b['docs_per_s_per_core']:.1f} per core, "
        f"{b['docs_per_cpu_s']:.1f} per CPU-second), "
        f"{b['mean_kib']:.0f} KiB a PDF, parent peak RSS {b['parent_max_rss_mib']:.0f} MiB",
        flush=True,
    )
    for name in (*BUILTIN_TEMPLATES, "chromium", "wkhtmltopdf"):
        if name in wall:
            print(f"RESULT pdf.{name}.docs_per_s_per_core {wall[name]:.2f}")
    print(f"RESULT pdf.bulk.docs_per_s {b['docs_per_s']:.1f}")
    print(f"RESULT pdf.bulk.docs_per_s_per_core {b['docs_per_s_per_core']:.1f}")
    print(f"RESULT pdf.bulk.docs_per_cpu_s {b['docs_per_cpu_s']:.1f}")
    print(f"RESULT pdf.bulk.failed {b['failed']:.0f}")
    print(f"# {time.monotonic() - started:.0f} s; load average after: {_load()}")
    invoice = wall["invoice"]
    print(f"RESULT pdf.docs_per_s_per_core {invoice:.1f}")
    for engine in ("chromium", "wkhtmltopdf"):
        ratio = f"{invoice / wall[engine]:.1f}" if engine in wall else "n/a"
        print(f"RESULT pdf.ratio_to_{engine} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

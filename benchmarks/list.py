"""The seller's document list at a million documents: p50/p95 of the queries the app runs.

    .venv/bin/python benchmarks/list.py          # or: make bench-list

One command. It starts a throwaway PostgreSQL (``scripts/with-postgres``),
migrates it, makes eight sellers through the services (one big: 60 % of the
documents) and seeds ``BENCH_DOCUMENTS`` (1,000,000) documents by COPY, with
the table's secondary indexes dropped meanwhile and rebuilt after, as a bulk
load does: three years of issue dates, growing; invoices, proformas, credit
notes, estimates; paid, unpaid, partially paid, overpaid, cancelled, a few
drafts; buyer names with diacritics (Romanian, Slovak, Hungarian), e-mails,
VAT ids and order numbers. Then ANALYZE.

It times ``selectors.document_page`` through Django, exactly as the web app
and the API call it (50 rows, model instances built), for the big seller and a
small one, in families: filters, sorts, search, deep pages (a cursor 1,000
pages in), each query repeated ``BENCH_REPEAT`` times after a warm-up run; and,
as a baseline in the same run, ``selectors.document_get`` (a primary-key
lookup). It prints p50/p95 per family and query, the plan of the slowest
query, and ends with ``RESULT list.pg.p95_ms <ms>``: the worst p95 of any
family. Target: < 50 ms. Figures are kept in ``docs/performance.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
SHARES = [0.60, 0.15, 0.09, 0.06, 0.04, 0.03, 0.02, 0.01]  # of the documents, by seller
TODAY = dt.date(2026, 12, 4)
FIRST_DAY = TODAY - dt.timedelta(days=3 * 365)

FIRST = [
    "Ștefan", "Ioana", "Andrei", "Mihaela", "Alexandru", "Elena", "Răzvan", "Cătălina", "Bogdan", "Ana",
    "Zuzana", "Ľubomír", "Jozef", "Katarína", "Peter", "Mária", "Ján", "Veronika", "Tomáš", "Lucia",
    "Zoltán", "Erzsébet", "László", "Katalin", "Gábor", "Éva", "István", "Zsófia", "Ádám", "Réka",
]  # fmt: skip
LAST = [
    "Popescu", "Ionescu", "Mureșan", "Dumitrescu", "Stănescu", "Rădulescu", "Țurcanu", "Constantinescu", "Munteanu",
    "Horváth", "Kováč", "Novák", "Tóth", "Szabó", "Nagy", "Kiss", "Varga", "Molnár", "Németh", "Farkas",
    "Šimko", "Baláž", "Hudák", "Krajčí", "Žiak", "Čierny", "Oláh", "Lukáč", "Vörös", "Székely",
]  # fmt: skip
COMPANY = ["SRL", "s.r.o.", "Kft.", "SA", "a.s.", "Zrt."]
DOMAINS = ["gmail.com", "yahoo.com", "posta.ro", "azet.sk", "freemail.hu", "example.ro", "centrum.sk"]
TYPES = [("invoice", "FA", 0.85), ("proforma", "PF", 0.07), ("credit_note", "CN", 0.05), ("estimate", "OF", 0.03)]


def main() -> int:
    if sys.argv[1:] != ["--inner"]:
        environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        environment.update({"FAKTURA_REQUIRE_POSTGRES": "1", "FAKTURA_LOG_LEVEL": "WARNING"})
        command = ["scripts/with-postgres", sys.executable, str(Path(__file__).resolve()), "--inner"]
        return subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode
    print(f"machine: {_machine()}; load average before: {_load()}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faktura.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    sellers = _sellers()
    _seed(sellers)
    print(f"seeded {DOCUMENTS:,} documents in {time.monotonic() - started:.0f} s", flush=True)
    if hold := os.environ.get("BENCH_HOLD"):  # explore by hand: psql "$(cat $BENCH_HOLD)"; remove the file to end
        Path(hold).write_text(os.environ["DATABASE_URL"])
        while Path(hold).exists():
            time.sleep(2)
    results = _measure(sellers)
    _report(results)
    print(f"# load average after: {_load()}")
    return 0


# --- seeding -------------------------------------------------------------------------------------------------------


def _sellers() -> list[tuple[Any, list[int]]]:
    from faktura.apps.accounts.services import SellerDetails, organization_create
    from faktura.apps.sales.services import channel_create
    from faktura.core.actors import Actor

    actor = Actor("benchmark")
    made = []
    for index in range(len(SHARES)):
        org = organization_create(
            actor=actor,
            details=SellerDetails(
                legal_name=f"Seller {index} SRL",
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
        channels = [channel_create(actor=actor, organization=org, name=f"Shop {n}").pk for n in range(3)]
        made.append((org, channels))
    return made


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


COLUMNS = (
    "organization_id", "document_type", "status", "source", "is_test", "channel_id", "number", "counter", "period",
    "issue_date", "supply_date", "due_date", "issued_at", "seller", "buyer_details", "buyer_name", "buyer_email",
    "buyer_vat_id", "order_number", "currency", "exchange_rate", "pricing_mode", "line_net_total", "allowance_total",
    "charge_total", "tax_exclusive", "tax_total", "tax_inclusive", "prepaid", "rounding", "payable", "language",
    "title", "note", "legal_notes", "payment_state", "amount_paid", "cancel_reason", "pdf", "pdf_sha256",
    "created_at", "updated_at",
)  # fmt: skip


def _people(rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, e-mail, VAT id) of the buyers, made once: a row then only picks one."""
    people = []
    for first in FIRST:
        for last in LAST:
            for _ in range(3):
                email = f"{_plain(first)}.{_plain(last)}{rng.randrange(100)}@{rng.choice(DOMAINS)}"
                people.append((f"{first} {last}", email, ""))
    for last in LAST:
        for company in COMPANY:
            for _ in range(20):
                email = f"office{rng.randrange(1000)}@{_plain(last)}.{rng.choice(('ro', 'sk', 'hu'))}"
                people.append((f"{last} {company}", email, f"RO{rng.randrange(10**7, 10**9)}"))
    return people  # about one in four a company


def _rows(org_id: int, channels: list[int], count: int, rng: random.Random) -> Iterator[str]:
    """``count`` documents of one seller as COPY text, in issue order (ids grow with dates, as in life)."""
    span = (TODAY - FIRST_DAY).days
    # Growth: more documents lately (the power skews dates towards today).
    days = sorted(int(span * rng.random() ** 0.7) for _ in range(count))
    people = _people(rng)
    counters: dict[tuple[str, int], int] = {}
    lines = []
    for n, day in enumerate(days):
        issue = FIRST_DAY + dt.timedelta(days=day)
        kind, prefix = _kind(rng.random())
        age = (TODAY - issue).days
        draft = age < 3 and rng.random() < 0.15
        name, email, vat = rng.choice(people)
        gross = round(rng.lognormvariate(4.6, 0.9), 2)
        if kind == "credit_note":
            gross = -gross
        pay_roll = rng.random()
        if draft or kind == "estimate":
            state, paid = "unpaid", 0.0
        elif age > 60:
            state, paid = ("paid", gross) if pay_roll < 0.93 else ("unpaid", 0.0)
        elif pay_roll < 0.55:
            state, paid = "paid", gross
        elif pay_roll < 0.6:
            state, paid = "partially_paid", round(gross / 2, 2)
        elif pay_roll < 0.61:
            state, paid = "overpaid", gross + 5
        else:
            state, paid = "unpaid", 0.0
        status = "draft" if draft else ("cancelled" if rng.random() < 0.02 else "issued")
        day_text = issue.isoformat()
        if draft:
            number = counter = issue_date = due = issued_at = r"\N"
            period = ""
        else:
            key = (prefix, issue.year)
            counters[key] = counters.get(key, 0) + 1
            counter = str(counters[key])
            number = f"{prefix}{issue.year}{counters[key]:06d}"
            period = str(issue.year)
            issue_date = day_text
            due = (issue + dt.timedelta(days=rng.choice((14, 14, 30, 7)))).isoformat()
            issued_at = f"{day_text} 10:00:00+00"
        net = round(gross / 1.21, 2)
        stamp = f"{day_text} 09:00:00+00"
        channel = channels[0 if n % 10 < 7 else (1 if n % 10 < 9 else 2)]
        lines.append(
            f"{org_id}\t{kind}\t{status}\tbuilt_in\tf\t{channel}\t{number}\t{counter}\t{period}\t{issue_date}\t\\N\t"
            f"{due}\t{issued_at}\t{{}}\t{{}}\t{name}\t{email}\t{vat}\t#{100000 + n}\tRON\t1\tgross\t{net}\t0\t0\t"
            f"{net}\t{round(gross - net, 2)}\t{gross}\t0\t0\t{gross}\tro\t\t\t[]\t{state}\t{paid}\t\t\t\t"
            f"{stamp}\t{stamp}\n"
        )
        if len(lines) == 20000:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def _kind(roll: float) -> tuple[str, str]:
    for kind, prefix, share in TYPES:
        roll -= share
        if roll < 0:
            return kind, prefix
    return TYPES[0][0], TYPES[0][1]


def _seed(sellers: list[tuple[Any, list[int]]]) -> None:
    from django.db import connection

    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'invoicing_document' AND indexname NOT IN"
            " (SELECT conindid::regclass::text FROM pg_constraint WHERE conrelid = 'invoicing_document'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        began = time.monotonic()
        for (org, channels), share in zip(sellers, SHARES, strict=True):
            with cursor.cursor.copy(f"COPY invoicing_document ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                # The server parses one chunk while the next is made.
                for chunk in _rows(org.pk, channels, int(DOCUMENTS * share), rng):
                    copy.write(chunk)
        print(f"  COPY: {time.monotonic() - began:.0f} s", flush=True)
        began = time.monotonic()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        for name, definition in indexes:
            one = time.monotonic()
            cursor.execute(definition)
            if time.monotonic() - one > 5:
                print(f"    {name}: {time.monotonic() - one:.0f} s", flush=True)
        print(f"  {len(indexes)} indexes rebuilt: {time.monotonic() - began:.0f} s", flush=True)
        cursor.execute("VACUUM ANALYZE invoicing_document")


# --- measuring -----------------------------------------------------------------------------------------------------


def _measure(sellers: list[tuple[Any, list[int]]]) -> list[tuple[str, str, list[float]]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from faktura.apps.invoicing import document_pages, selectors
    from faktura.apps.invoicing.models import Document
    from faktura.apps.invoicing.selectors import DocumentFilters

    plans: dict[str, list[dict[str, Any]]] = {}
    big, big_channels = sellers[0]
    small, _ = sellers[-1]
    some = Document.objects.filter(organization=big, status="issued").order_by("pk")[DOCUMENTS // 50]

    def deep(org: Any, filters: DocumentFilters, pages: int = 1000) -> str:
        """The cursor a reader would hold after ``pages`` pages of 50 (found once by OFFSET; not timed)."""
        sort = document_pages.sort_of(filters.sort)
        found = selectors._matching(org, filters).annotate(sort_key=document_pages.ORDERS[sort].key())
        order = document_pages.ORDERS[sort]
        by = found.model._meta.pk.name
        key = order.key()
        key_order = key.desc(nulls_first=True) if order.descending else key.asc(nulls_last=True)
        ordered = found.order_by(key_order, f"-{by}" if order.descending else by)
        row = ordered[min(pages * 50, ordered.count() // 2) - 1]  # a small BENCH_DOCUMENTS: half-way
        return document_pages.encode(sort, "a", document_pages.Position(row.sort_key, row.pk))

    def page(org: Any, cursor: Callable[[], str | None] | None = None, **filters: Any) -> Callable[[], object]:
        chosen = DocumentFilters(**filters)
        at = cursor() if cursor else None
        return lambda: selectors.document_page(organization=org, filters=chosen, cursor=at, limit=50).rows

    month = {"issued_from": dt.date(2026, 3, 1), "issued_to": dt.date(2026, 3, 31)}
    queries: list[tuple[str, str, Callable[[], object]]] = [
        ("baseline", "document_get by id", lambda: selectors.document_get(organization=big, document_id=some.pk)),
        ("filters", "first page, newest", page(big)),
        ("filters", "unpaid", page(big, payment_state="unpaid")),
        ("filters", "partially paid", page(big, payment_state="partially_paid")),
        ("filters", "overpaid", page(big, payment_state="overpaid")),
        ("filters", "overdue", page(big, payment_state="overdue")),
        ("filters", "proformas", page(big, document_type="proforma")),
        ("filters", "estimates, unpaid", page(big, document_type="estimate", payment_state="unpaid")),
        ("filters", "channel 3 (10 %)", page(big, channel_id=big_channels[2])),
        ("filters", "channel 3, overdue", page(big, channel_id=big_channels[2], payment_state="overdue")),
        ("filters", "one month", page(big, **month)),
        ("filters", "one month, paid, invoices", page(big, payment_state="paid", document_type="invoice", **month)),
        ("filters", "drafts", page(big, status="draft")),
        ("filters", "small seller, overdue", page(small, payment_state="overdue")),
        ("sorts", "oldest", page(big, sort="oldest")),
        ("sorts", "number", page(big, sort="number")),
        ("sorts", "-number", page(big, sort="-number")),
        ("sorts", "total", page(big, sort="total")),
        ("sorts", "-total", page(big, sort="-total")),
        ("sorts", "buyer", page(big, sort="buyer")),
        ("sorts", "-buyer", page(big, sort="-buyer")),
        ("sorts", "due", page(big, sort="due")),
        ("sorts", "-due", page(big, sort="-due")),
        ("sorts", "unpaid by due", page(big, payment_state="unpaid", sort="due")),
        ("search", "number prefix, this year", page(big, q="FA2026")),
        ("search", "number prefix, last year", page(big, q="FA2025")),
        ("search", "whole number", page(big, q=f"{some.number}")),
        ("search", "name without diacritics (common)", page(big, q="stefan")),
        ("search", "first and last name", page(big, q="stefan muresan")),
        ("search", "rare surname", page(big, q="Krajčí Zsófia")),
        ("search", "part of an e-mail", page(big, q="freemail")),
        ("search", "whole e-mail", page(big, q=some.buyer_email)),
        ("search", "VAT id prefix", page(big, q="RO1234")),
        ("search", "order number", page(big, q=some.order_number)),
        ("search", "two letters", page(big, q="zs")),
        ("search", "no match", page(big, q="qqxyz")),
        ("search", "search, unpaid, by total", page(big, q="novak", payment_state="unpaid", sort="-total")),
        ("search", "small seller, common name", page(small, q="popescu")),
        ("deep", "page 1000, newest", page(big, lambda: deep(big, DocumentFilters()))),
        ("deep", "page 1000, number", page(big, lambda: deep(big, DocumentFilters(sort="number")), sort="number")),
        ("deep", "page 1000, buyer", page(big, lambda: deep(big, DocumentFilters(sort="buyer")), sort="buyer")),
        ("deep", "page 1000, -total", page(big, lambda: deep(big, DocumentFilters(sort="-total")), sort="-total")),
        (
            "deep",
            "page 1000, paid",
            page(big, lambda: deep(big, DocumentFilters(payment_state="paid")), payment_state="paid"),
        ),
        (
            "deep",
            "page 100, search stefan",
            page(big, lambda: deep(big, DocumentFilters(q="stefan"), pages=100), q="stefan"),
        ),
    ]
    results = []
    for family, name, run in queries:
        with CaptureQueriesContext(connection) as ran:
            run()  # warm-up: plans, caches; and what it ran, for EXPLAIN
        plans[name] = [_explain(query["sql"]) for query in ran.captured_queries]
        samples = []
        for _ in range(REPEAT):
            began = time.perf_counter()
            run()
            samples.append((time.perf_counter() - began) * 1000)
        results.append((family, name, samples))
        used = sorted({index for plan in plans[name] for index in _indexes(plan)})
        print(
            f"  {family:<9}{name:<36} p50 {_p(samples, 50):7.1f} ms  p95 {_p(samples, 95):7.1f} ms"
            f"  ({', '.join(used) or 'no index'})",
            flush=True,
        )
    slowest = max((r for r in results if r[0] != "baseline"), key=lambda r: _p(r[2], 95))
    print(f"\nplan of the slowest ({slowest[1]}):")
    for plan in plans[slowest[1]]:
        print(json.dumps(plan, indent=1)[:6000])
    return results


def _explain(sql: str) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]


def _indexes(plan: dict[str, Any]) -> list[str]:
    found = [plan["Index Name"]] if "Index Name" in plan else []
    for child in plan.get("Plans", []):
        found += _indexes(child)
    return found


def _p(samples: list[float], percent: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _report(results: list[tuple[str, str, list[float]]]) -> None:
    print()
    print(f"{'family':<10}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    worst = 0.0
    for family in dict.fromkeys(family for family, _, _ in results):
        samples = [s for f, _, found in results if f == family for s in found]
        count = sum(1 for f, _, _ in results if f == family)
        print(f"{family:<10}{count:>8}{_p(samples, 50):>9.1f}{_p(samples, 95):>9.1f}{max(samples):>9.1f}")
        if family != "baseline":
            worst = max(worst, _p(samples, 95))
            print(f"RESULT list.pg.{family}.p95_ms {_p(samples, 95):.1f} ms")
    print(f"RESULT list.pg.p95_ms {worst:.1f}")


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


if __name__ == "__main__":
    sys.exit(main())

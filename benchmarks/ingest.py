"""Orders in through the HTTP API, an invoice out for each, on PostgreSQL: latency at a fixed rate and top throughput.

    .venv/bin/python benchmarks/ingest.py          # or: make bench-ingest

One command, about two minutes. It starts a throwaway PostgreSQL cluster with
fsync on (``scripts/with-postgres`` with ``PG_DURABLE=1``), migrates it, makes a
seller with an API key, a channel, an invoice series and one rule ("accepted
and paid by card: issue an invoice, marked paid"), and starts ``faktura serve``
(gunicorn) on a free loopback port. The load comes from a second process:

* **baseline**: ``GET /api/v1/me`` (the API key checked, one small JSON answer)
  at the same fixed rate: what HTTP, gunicorn, Django and the key cost before
  any business work;
* **orders at rate**: ``POST /api/v1/orders`` of new orders at a fixed rate
  (``BENCH_RATE``, default 200 requests/s), open loop: each request has its
  planned start time and its latency is counted from then, so a server that
  falls behind shows it in the percentiles instead of slowing the load down
  (no coordinated omission);
* **orders flat out**: as many concurrent clients as gunicorn has threads,
  each sending the next order as soon as the last one answered.

Every answer must be 201 with exactly one invoice issued; at the end the
invoice numbers must be 1..N without a gap. It ends with ``RESULT`` lines; the
headline figures are ``ingest.pg.p95_ms`` (at the fixed rate) and
``ingest.pg.orders_per_s`` (flat out). ``BENCH_SECONDS`` sets the length of
each timed phase, ``BENCH_WEB_WORKERS``/``BENCH_WEB_THREADS`` the server.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RATE = float(os.environ.get("BENCH_RATE", "200"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "3"))
WEB_THREADS = int(os.environ.get("BENCH_WEB_THREADS", "4"))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        return _load_process(json.loads(sys.argv[2]))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env = {**os.environ, "PG_DURABLE": "1", "FAKTURA_REQUIRE_POSTGRES": "1"}
        return subprocess.call([str(ROOT / "scripts" / "with-postgres"), sys.executable, __file__], env=env)
    return _run()


# The run, inside the PostgreSQL wrapper ------------------------------------------------------------


def _run() -> int:
    print(f"machine: {_machine()}; load average before: {_loadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="faktura-bench-ingest-") as tmp:
        env = {**os.environ, "FAKTURA_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "faktura.config.settings"}
        env.pop("FAKTURA_DEBUG", None)
        subprocess.run([str(BIN / "faktura"), "migrate", "--no-input", "-v0"], env=env, check=True)
        setup = json.loads(
            subprocess.run(
                [sys.executable, "-c", _SETUP], env=env, cwd=ROOT, check=True, capture_output=True, text=True
            ).stdout.splitlines()[-1]
        )
        port = _free_port()
        server = subprocess.Popen(
            [
                str(BIN / "faktura"),
                "serve",
                "--port",
                str(port),
                *("--workers", str(WEB_WORKERS)),
                *("--threads", str(WEB_THREADS)),
            ],
            env={**env, "GUNICORN_CMD_ARGS": "--access-logfile=/dev/null"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            base = {"port": port, "key": setup["key"], "channel": setup["channel"]}
            _phase(base, "warmup", kind="order", rate=50, seconds=5)
            me = _phase(base, "baseline", kind="me", rate=RATE, seconds=SECONDS)
            rated = _phase(base, "rate", kind="order", rate=RATE, seconds=SECONDS)
            flat = _phase(base, "flat", kind="order", rate=0, seconds=SECONDS, clients=WEB_WORKERS * WEB_THREADS)
        finally:
            server.terminate()
            server.wait(timeout=30)
        gapless = subprocess.run(
            [sys.executable, "-c", _CHECK], env=env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
    print(f"invoice numbers: {gapless}")
    _report(me, rated, flat)
    print(f"# load average after: {_loadavg()}")
    return 0 if gapless.startswith("gapless") and not (me["failed"] or rated["failed"] or flat["failed"]) else 1


_SETUP = """
import json, django
django.setup()
from faktura.apps.accounts.services import api_key_create
from faktura.apps.automation.services import rule_create
from faktura.apps.invoicing.services import series_create
from faktura.apps.sales.services import channel_create
from faktura.core.actors import Actor
from tests.factories import RO_SELLER
from faktura.apps.accounts.services import organization_create
actor = Actor("benchmark")
seller = organization_create(actor=actor, details=RO_SELLER)
channel = channel_create(actor=actor, organization=seller, name="Bench shop", code="bench")
series_create(actor=actor, organization=seller, document_type="invoice", name="Invoices", pattern="FB{RRRR}{CCCCCC}")
rule_create(actor=actor, organization=seller, channel_id=channel.pk, name="Card orders",
            conditions={"statuses": ["accepted"], "payment_methods": ["card"]},
            action={"document_type": "invoice", "mark_paid": True})
_, key = api_key_create(actor=actor, organization=seller, name="benchmark")
print(json.dumps({"key": key, "channel": channel.code}))
"""

_CHECK = """
import django
django.setup()
from faktura.apps.invoicing.models import Document
counters = sorted(Document.objects.filter(status="issued").values_list("counter", flat=True))
expected = list(range(1, len(counters) + 1))
print(("gapless 1.." if counters == expected else "GAPS OR REPEATS in 1..") + str(len(counters)))
"""


def _phase(base: dict[str, object], name: str, **spec: object) -> dict[str, object]:
    """Run one load phase in a separate process (the server gets the CPU it would get from real clients)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        arguments = {**base, **spec, "name": name, "out": out.name}
        subprocess.run([sys.executable, __file__, "--load", json.dumps(arguments)], check=True)
        result: dict[str, object] = json.loads(Path(out.name).read_text())
    unsent = f" unsent {result['unsent']}" if result["unsent"] else ""
    print(
        f"{name:9} {result['kind']:6} sent {result['sent']:6}{unsent} failed {result['failed']:4} "
        f"{result['per_s']:7.1f}/s  p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
        f"p99 {result['p99_ms']:7.1f} ms",
        flush=True,
    )
    if result["errors"]:
        print(f"          first errors: {result['errors']}", flush=True)
    return result


def _report(me: dict[str, object], rated: dict[str, object], flat: dict[str, object]) -> None:
    print(f"RESULT ingest.pg.baseline_me_p95_ms {me['p95_ms']:.1f} ms")
    print(f"RESULT ingest.pg.p50_ms {rated['p50_ms']:.1f} ms")
    print(f"RESULT ingest.pg.p99_ms {rated['p99_ms']:.1f} ms")
    print(f"RESULT ingest.pg.achieved_rate {rated['per_s']:.1f} requests/s")
    print(f"RESULT ingest.pg.p95_ms {rated['p95_ms']:.1f} ms")
    print(f"RESULT ingest.pg.orders_per_s {flat['per_s']:.1f} orders/s")


# The load process ------------------------------------------------------------------------------------


def _load_process(spec: dict[str, object]) -> int:
    """Send requests from threads with keep-alive connections; write latencies and failures as JSON."""
    rate, seconds = float(spec["rate"]), float(spec["seconds"])  # type: ignore[arg-type]
    clients = int(spec.get("clients") or 64)  # type: ignore[call-overload]
    planned = int(rate * seconds) if rate else None
    lock = threading.Lock()
    counter = iter(range(10**9))
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter() + 0.2
    stop_at = start + seconds
    give_up_at = start + 2 * seconds + 10  # a server far behind the rate: stop, count the rest unsent

    def next_index() -> int | None:
        with lock:
            index = next(counter)
        if planned is not None:
            return index if index < planned and time.perf_counter() < give_up_at else None
        return index if time.perf_counter() < stop_at else None

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", int(spec["port"]), timeout=30)  # type: ignore[call-overload]
        while (index := next_index()) is not None:
            planned_at = start + index / rate if rate else time.perf_counter()
            delay = planned_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            method, path, body = _request(spec, index)
            try:
                connection.request(method, path, body=body, headers=_headers(spec, body))
                response = connection.getresponse()
                payload = response.read()
                ok = response.status == 200 if spec["kind"] == "me" else _one_invoice(response.status, payload)
            except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
                ok, payload = False, repr(error).encode()
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", int(spec["port"]), timeout=30)  # type: ignore[call-overload]
            elapsed = time.perf_counter() - planned_at
            with lock:
                if ok:
                    latencies.append(elapsed)
                elif len(errors) < 1000:
                    errors.append(payload[:300].decode(errors="replace"))
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = max(time.perf_counter() - start, 1e-9)
    cut = sorted(latencies) or [0.0]
    quantiles = statistics.quantiles(cut, n=100, method="inclusive") if len(cut) > 1 else [cut[0]] * 99
    result = {
        "kind": spec["kind"],
        "sent": len(latencies) + len(errors),
        "unsent": max((planned or 0) - len(latencies) - len(errors), 0),
        "failed": len(errors),
        "errors": errors[:3],
        "per_s": len(latencies) / wall,
        "p50_ms": quantiles[49] * 1000,
        "p95_ms": quantiles[94] * 1000,
        "p99_ms": quantiles[98] * 1000,
    }
    Path(str(spec["out"])).write_text(json.dumps(result))
    return 0


def _request(spec: dict[str, object], index: int) -> tuple[str, str, bytes | None]:
    if spec["kind"] == "me":
        return "GET", "/api/v1/me", None
    order = {
        "channel": spec["channel"],
        "external_id": f"{spec['name']}-{index}",
        "number": f"{spec['name'].upper()}-{index}",  # type: ignore[attr-defined]
        "status": "accepted",
        "payment_method": "card",
        "delivery_method": "courier",
        "currency": "RON",
        "pricing": "gross",
        "placed_at": "2026-11-20T10:15:00+02:00",
        "buyer": {"name": "Ana Popescu", "email": f"buyer{index}@example.ro", "country": "RO"},
        "lines": [
            {"name": "Cană ceramică", "sku": "MUG-1", "quantity": 2, "unit_price": "49.90", "vat_rate": 21},
            {"name": "Ceai verde", "sku": "TEA-7", "quantity": 1, "unit_price": "23.50", "vat_rate": 11},
        ],
        "shipping": {"amount": "15.00", "vat_rate": 21},
    }
    return "POST", "/api/v1/orders", json.dumps(order).encode()


def _headers(spec: dict[str, object], body: bytes | None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {spec['key']}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    return headers


def _one_invoice(status: int, payload: bytes) -> bool:
    if status != 201:
        return False
    documents = json.loads(payload)["outcome"]["documents"]
    return len(documents) == 1 and documents[0].get("document_type", documents[0].get("type")) == "invoice"


# Plumbing ----------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not listen on port {port} within {timeout:.0f} s")


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "unknown CPU",
    )
    return f"{os.cpu_count()} CPUs ({cpu}), Python {sys.version.split()[0]}"


def _loadavg() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())

"""``faktura serve --with-worker``: a real gunicorn and worker on loopback, stopped cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.integration.cli.conftest import FAKTURA, database_url
from tests.integration.cli.processes import PROC, alive, descendants, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PROC.exists(), reason="needs Linux /proc")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except OSError:
        return 0, b""


@pytest.mark.django_db(transaction=True)
def test_serve_answers_health_checks_and_stops_web_and_worker_together(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(FAKTURA), "serve", "--with-worker", f"--port={port}", "--workers=1", "--threads=2"],
        env={**os.environ, "DATABASE_URL": database_url(), "FAKTURA_DATA_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: get(f"{base}/healthz")[0] == 200, timeout=90, what="the server to answer")
        assert json.loads(get(f"{base}/healthz")[1]) == {"status": "ok", "database": "ok"}
        assert get(f"{base}/admin/login/")[0] == 200
        assert get(f"{base}/static/admin/css/base.css")[0] == 200  # collected, served by WhiteNoise
        processes = descendants(server.pid)
        assert len(processes) >= 3  # gunicorn master, its worker, the task worker

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.kill()
    wait_until(lambda: not any(alive(pid) for pid in processes), timeout=10, what="every child to stop")
    assert "with one background worker" in (server.stderr.read() if server.stderr else "")

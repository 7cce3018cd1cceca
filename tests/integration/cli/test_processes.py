"""``run_together``: the processes of ``faktura serve --with-worker`` start and stop as one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.cli.processes import PROC, alive, wait_until

pytestmark = pytest.mark.skipif(not PROC.exists(), reason="needs Linux /proc")

# A child records its pid, sleeps, then exits with the given status.
CHILD = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(float(sys.argv[2])); sys.exit(int(sys.argv[3]))"  # noqa: E501

# A supervisor of two children: "web" sleeps 60 s, "worker" as long as told, then exits with 3.
SUPERVISOR = f"""
import sys
from faktura.apps.accounts.management.processes import run_together

def sleeper(name, seconds, status):
    return [sys.executable, "-c", {CHILD!r}, f"{{sys.argv[1]}}/{{name}}.pid", str(seconds), str(status)]

sys.exit(run_together({{"web": sleeper("web", 60, 0), "worker": sleeper("worker", float(sys.argv[2]), 3)}}, grace=10))
"""


def start(tmp_path: Path, worker_seconds: float = 60) -> tuple[subprocess.Popen[str], list[int]]:
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, str(tmp_path), str(worker_seconds)], text=True, stderr=subprocess.PIPE
    )
    files = [tmp_path / "web.pid", tmp_path / "worker.pid"]
    wait_until(lambda: all(f.exists() and f.read_text() for f in files), timeout=30, what="both children")
    return supervisor, [int(f.read_text()) for f in files]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_a_signal_to_the_supervisor_stops_every_child_and_exits_0(tmp_path: Path, signum: int) -> None:
    supervisor, children = start(tmp_path)

    supervisor.send_signal(signum)

    assert supervisor.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in children)


def test_when_one_child_dies_the_other_is_stopped_and_its_status_returned(tmp_path: Path) -> None:
    supervisor, children = start(tmp_path, worker_seconds=1)

    _, stderr = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 3
    assert "worker exited with status 3" in stderr
    assert not any(alive(pid) for pid in children)


def test_children_do_not_outlive_a_killed_supervisor(tmp_path: Path) -> None:
    supervisor, children = start(tmp_path)

    os.kill(supervisor.pid, signal.SIGKILL)
    supervisor.wait(timeout=10)

    wait_until(lambda: not any(alive(pid) for pid in children), timeout=10, what="the orphans to stop")

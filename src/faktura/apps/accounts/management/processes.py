"""Run a few processes as one service: they start together and stop together.

``run_together`` starts each command in its own process group, so a Ctrl-C at
the terminal reaches only this supervisor, which then asks each child once to
stop (SIGTERM: gunicorn finishes its requests, a worker its task). When one
child exits on its own, the others are stopped too and its status is
returned. A second Ctrl-C kills what is still running; a repeated SIGTERM
changes nothing. On Linux each child also gets SIGTERM if the supervisor dies
without cleaning up (``PR_SET_PDEATHSIG``), so no process is left behind.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from types import FrameType

GRACE_SECONDS = 40.0  # gunicorn's graceful timeout (30 s) and some
_PR_SET_PDEATHSIG = 1


def run_together(
    commands: Mapping[str, Sequence[str]],
    *,
    env: Mapping[str, str] | None = None,
    log: Callable[[str], None] | None = None,
    grace: float = GRACE_SECONDS,
) -> int:
    """Run ``commands`` (name -> argv) until a signal or until one of them exits; return the exit status."""
    log = log or _to_stderr
    signals: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        signals.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    children: dict[str, subprocess.Popen[bytes]] = {}
    before_exec = _parent_death_signal()
    try:
        for name, argv in commands.items():
            children[name] = subprocess.Popen(  # noqa: S603 - our own argv, no shell
                list(argv), env=env, process_group=0, preexec_fn=before_exec
            )
        status = 0
        while not signals:
            ended = [(name, child.returncode) for name, child in children.items() if child.poll() is not None]
            if ended:
                name, code = ended[0]
                status = code if code >= 0 else 128 - code
                log(f"{name} exited with status {status}; stopping the rest")
                break
            time.sleep(0.1)
        else:
            log("stopping (press Ctrl-C again to kill)")
        _stop(children, signals, grace=grace, log=log)
        return status
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _stop(
    children: Mapping[str, subprocess.Popen[bytes]], signals: list[int], *, grace: float, log: Callable[[str], None]
) -> None:
    """SIGTERM each running child once; kill them after ``grace`` seconds or on a further SIGINT."""
    seen = len(signals)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(child.poll() is None for child in children.values()):
        if signal.SIGINT in signals[seen:] or time.monotonic() > deadline:
            log("killing what is still running")
            for child in children.values():
                if child.poll() is None:
                    child.kill()
            break
        time.sleep(0.1)
    for child in children.values():
        child.wait()


def _parent_death_signal() -> Callable[[], None] | None:
    """A function for the child to run before exec: SIGTERM me when my parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up now: the child must not load libraries
    return functools.partial(_set_parent_death_signal, prctl, os.getpid())


def _set_parent_death_signal(prctl: Callable[[int, int], int], parent: int) -> None:
    prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the supervisor died before the request took effect
        os._exit(1)

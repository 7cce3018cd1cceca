"""Bulk rendering on every core: a pool of warm renderer processes (issue 5, item 8).

``RenderPool`` starts one process per core (by default); each imports the
renderer once, runs its warm-up (fonts, compiled templates) and then renders
one document at a time for as long as it lives. ``render_many(jobs)`` takes the
jobs lazily and yields a ``Result`` for each as soon as it is done, so memory
stays bounded by the number of processes whatever the number of jobs:

* a job that runs past ``timeout`` seconds has its process killed; that job
  fails with a clear error and a fresh process takes the place of the old one;
* a process that dies while rendering (a Typst allocation past the
  ``memory_mib`` address-space limit aborts it) fails its job alone and is
  replaced the same way;
* an exception of the renderer fails its job alone; the process goes on;
* a process is recycled after ``recycle_after`` jobs, so caches cannot grow
  without end.

Results come in the order they finish, each with the ``key`` of its job.

    with RenderPool() as pool:
        for result in pool.render_many(Job(key=str(doc.id), document=data, template=t) for ...):
            ...

The renderer is named as ``"module:function"`` and called as
``function(document, template) -> bytes``; ``warm`` names a function of no
arguments called once when a process starts. Processes are *spawned* (not
forked), so a pool can be started from a threaded server.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable, Generator, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

DEFAULT_RENDERER = "faktura.pdf:render"
DEFAULT_WARM = "faktura.pdf.pool:warm_builtin"


@dataclass(frozen=True, slots=True)
class Job:
    """One document to render: what ``renderer(document, template)`` receives, and a key to find its result by."""

    key: Hashable
    document: Any
    template: Any = None


@dataclass(frozen=True, slots=True)
class Result:
    """The PDF of a job, or the error that stopped it (never both)."""

    key: Hashable
    pdf: bytes | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class PoolError(RuntimeError):
    """The pool itself cannot work (a renderer that does not import, a process that cannot start)."""


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    job: Job | None = None
    started: float = 0.0
    done: int = 0
    spawned: float = field(default_factory=time.monotonic)


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class RenderPool:
    """A fixed number of warm renderer processes; use it as a context manager."""

    def __init__(
        self,
        *,
        processes: int | None = None,
        renderer: str = DEFAULT_RENDERER,
        warm: str | None = DEFAULT_WARM,
        timeout: float = 30.0,
        memory_mib: int = 1536,
        recycle_after: int = 2000,
        start_timeout: float = 60.0,
    ) -> None:
        self.processes = processes or _cpu_count()
        self.renderer = renderer
        self.warm = warm
        self.timeout = timeout
        self.memory_mib = memory_mib
        self.recycle_after = recycle_after
        self.start_timeout = start_timeout
        self.replaced = 0
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._retry: list[Job] = []

    def __enter__(self) -> RenderPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the processes and wait until each is warm."""
        self._workers = [self._spawn() for _ in range(self.processes)]
        deadline = time.monotonic() + self.start_timeout
        while not all(worker.ready for worker in self._workers):
            waiting = [worker for worker in self._workers if not worker.ready]
            if not wait([worker.conn for worker in waiting], max(0.0, deadline - time.monotonic())):
                self.close()
                raise PoolError(f"the renderer processes did not start within {self.start_timeout:g} s")
            for worker in waiting:
                if worker.conn.poll():
                    self._receive_ready(worker)

    def close(self) -> None:
        """Stop every process (a job in progress is abandoned)."""
        for worker in self._workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []

    def render(self, job: Job) -> Result:
        """One job through the pool (for callers that render a single document with the same limits)."""
        return next(self.render_many([job]))

    def render_many(self, jobs: Iterable[Job]) -> Generator[Result, None, None]:
        """Render ``jobs`` on every process, yielding each result as soon as it is done."""
        if not self._workers:
            raise PoolError("the pool is not started (use it in a with block)")
        pending = iter(jobs)
        exhausted = False
        try:
            while True:
                for index, worker in enumerate(self._workers):
                    if worker.ready and worker.job is None and not exhausted:
                        job = self._retry.pop() if self._retry else next(pending, None)
                        if job is None:
                            exhausted = True
                        elif not self._send(worker, job):  # it died while idle: the job goes to another
                            self._retry.append(job)
                            self._workers[index] = self._replace(worker)
                busy = [worker for worker in self._workers if worker.job is not None]
                if exhausted and not busy:
                    return
                yield from self._collect(busy)
        finally:
            for index, worker in enumerate(self._workers):
                if worker.job is not None:  # the caller stopped early: do not leave a half-done job behind
                    self._workers[index] = self._replace(worker)

    def _collect(self, busy: list[_Worker]) -> Iterator[Result]:
        starting = [worker for worker in self._workers if not worker.ready]
        now = time.monotonic()
        deadline = min((worker.started + self.timeout for worker in busy), default=now + 1.0)
        ready = wait([worker.conn for worker in busy + starting], max(0.0, deadline - now))
        for index, worker in enumerate(self._workers):
            if worker.conn in ready and not worker.ready:
                if not self._receive_ready(worker, quiet=True):
                    self._workers[index] = self._replace(worker)
            elif worker.conn in ready and worker.job is not None:
                result, fatal = self._receive(worker)
                if result is None:
                    yield self._failed(worker, self._death(worker))
                    self._workers[index] = self._replace(worker)
                    continue
                yield result
                if fatal or worker.done >= self.recycle_after:
                    self._workers[index] = self._replace(worker)
        now = time.monotonic()
        for index, worker in enumerate(self._workers):
            if worker.job is not None and now - worker.started > self.timeout:
                message = f"rendering took longer than {self.timeout:g} s; its renderer process was stopped"
                yield self._failed(worker, message)
                self._workers[index] = self._replace(worker)

    def _send(self, worker: _Worker, job: Job) -> bool:
        try:
            worker.conn.send((job.key, job.document, job.template))
        except (OSError, ValueError):
            return False
        worker.job, worker.started = job, time.monotonic()
        return True

    def _receive(self, worker: _Worker) -> tuple[Result | None, bool]:
        """The result the worker sent, and whether the worker is about to end (None: it died)."""
        assert worker.job is not None
        try:
            key, ok, value, fatal = worker.conn.recv()
        except (EOFError, OSError):
            return None, True
        seconds = time.monotonic() - worker.started
        worker.job, worker.done = None, worker.done + 1
        if ok:
            return Result(key=key, pdf=value, seconds=seconds), fatal
        return Result(key=key, error=value, seconds=seconds), fatal

    def _receive_ready(self, worker: _Worker, *, quiet: bool = False) -> bool:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            message = ("failed", f"the renderer process ended while starting (exit code {worker.process.exitcode})")
        if message[0] == "ready":
            worker.ready = True
            return True
        if quiet:
            return False
        self.close()
        raise PoolError(message[1])

    def _failed(self, worker: _Worker, message: str) -> Result:
        assert worker.job is not None
        return Result(key=worker.job.key, error=message, seconds=time.monotonic() - worker.started)

    def _death(self, worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGABRT:
                return (
                    f"the renderer process stopped ({name}) while rendering this document, "
                    f"most likely past its memory limit of {self.memory_mib} MiB"
                )
            return f"the renderer process was stopped ({name}) while rendering this document"
        return f"the renderer process ended (exit code {code}) while rendering this document"

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve,
            args=(child, self.renderer, self.warm, self.memory_mib),
            name="faktura-renderer",
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process=process, conn=parent)

    def _replace(self, worker: _Worker) -> _Worker:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self.replaced += 1
        return self._spawn()


def render_many(jobs: Iterable[Job], **options: Any) -> Iterator[Result]:
    """Start a pool, render ``jobs`` through it and stop it: see ``RenderPool`` for the options."""
    with RenderPool(**options) as pool:
        yield from pool.render_many(jobs)


def warm_builtin() -> None:
    """Render a sample of every built-in template once: fonts loaded, templates parsed and laid out."""
    from faktura.pdf import BUILTIN_TEMPLATES, Template, render
    from faktura.pdf.sample import sample_document

    for name in BUILTIN_TEMPLATES:
        render(sample_document(name, "en"), Template.builtin(name))


def _load(name: str) -> Callable[..., Any]:
    module, _, function = name.partition(":")
    loaded: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return loaded


def _serve(conn: Connection, renderer: str, warm: str | None, memory_mib: int) -> None:
    """The loop of one renderer process: warm up, then render until told to stop."""
    try:
        render = _load(renderer)
        if warm:
            _load(warm)()
    except Exception as error:  # reported to the parent, which refuses to start
        conn.send(("failed", f"the renderer {renderer} could not start: {type(error).__name__}: {error}"))
        return
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        key, document, template = message
        try:
            pdf = render(document, template)
        except MemoryError:
            message = f"rendering this document needed more than the renderer's {memory_mib} MiB of memory"
            conn.send((key, False, message, True))
            return  # the process may be in a bad state: the pool replaces it
        except Exception as error:  # a failed document fails alone
            conn.send((key, False, str(error) or type(error).__name__, False))
            continue
        conn.send((key, True, pdf, False))

"""Warm renderer processes render many documents; a job past its limits fails alone.

The pool runs real processes with test renderers (``pool_renderers``) that
loop, abort, exhaust memory or raise on demand.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from faktura.pdf import Template, render
from faktura.pdf.pool import Job, PoolError, RenderPool, Result, render_many
from faktura.pdf.sample import sample_document

_RENDERER = "tests.unit.pdf.pool_renderers:render"
_WARM = "tests.unit.pdf.pool_renderers:warm"


def _pool(**options: object) -> RenderPool:
    settings: dict[str, object] = {"processes": 2, "renderer": _RENDERER, "warm": _WARM, "timeout": 5.0}
    settings.update(options)
    return RenderPool(**settings)  # type: ignore[arg-type]


def _ok(n: int) -> Job:
    return Job(key=n, document={"kind": "ok", "n": n})


@pytest.fixture(scope="module")
def pool() -> Iterator[RenderPool]:
    with _pool() as started:
        yield started


def _by_key(results: Iterator[Result]) -> dict[object, Result]:
    return {result.key: result for result in results}


def test_every_job_is_rendered_once_by_warm_processes(pool: RenderPool) -> None:
    results = _by_key(pool.render_many(_ok(n) for n in range(40)))

    assert set(results) == set(range(40))
    assert all(result.ok for result in results.values())
    bodies = [result.pdf.decode() for result in results.values() if result.pdf]
    assert all(body.startswith(f"{key} ") for key, body in zip(results, bodies, strict=True))
    assert {body.split()[2] for body in bodies} == {"warm=1"}  # warmed once, then reused
    assert len({body.split()[1] for body in bodies}) == 2  # both processes worked


def test_a_document_that_raises_fails_alone_and_its_process_goes_on(pool: RenderPool) -> None:
    jobs = [_ok(1), Job(key="bad", document={"kind": "raise", "n": 7}), _ok(2), _ok(3)]

    results = _by_key(pool.render_many(jobs))

    assert results["bad"].error == "the document 7 cannot be rendered"
    assert results["bad"].pdf is None
    assert all(results[n].ok for n in (1, 2, 3))


def test_an_endless_render_is_stopped_at_the_timeout_and_the_others_complete() -> None:
    with _pool(timeout=1.5) as pool:
        jobs = [Job(key="loop", document={"kind": "loop"}), *(_ok(n) for n in range(10))]

        results = _by_key(pool.render_many(jobs))

        assert results["loop"].error == "rendering took longer than 1.5 s; its renderer process was stopped"
        assert 1.5 <= results["loop"].seconds < 4
        assert all(results[n].ok for n in range(10))
        assert pool.replaced == 1
        assert all(result.ok for result in pool.render_many(_ok(n) for n in range(4)))


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        pytest.param("abort", "stopped (SIGABRT) while rendering this document", id="abort"),
        pytest.param("typst-memory", "most likely past its memory limit of 600 MiB", id="typst-allocation"),
        pytest.param("python-memory", "needed more than the renderer's 600 MiB of memory", id="python-allocation"),
    ],
)
def test_a_render_past_its_memory_or_that_crashes_fails_alone_and_its_process_is_replaced(
    kind: str, words: str
) -> None:
    with _pool(memory_mib=600) as pool:
        jobs = [_ok(0), Job(key="bad", document={"kind": kind}), *(_ok(n) for n in range(1, 8))]

        results = _by_key(pool.render_many(jobs))

        assert results["bad"].error is not None
        assert words in results["bad"].error
        assert all(results[n].ok for n in range(8))
        assert pool.replaced == 1


def test_jobs_are_taken_lazily_so_memory_stays_bounded(pool: RenderPool) -> None:
    taken = 0

    def jobs() -> Iterator[Job]:
        nonlocal taken
        for n in range(1000):
            taken += 1
            yield _ok(n)

    stream = pool.render_many(jobs())
    next(stream)

    assert taken <= pool.processes + 1
    stream.close()


def test_a_caller_that_stops_early_leaves_the_pool_usable(pool: RenderPool) -> None:
    stream = pool.render_many(Job(key=n, document={"kind": "sleep", "seconds": 0.2}) for n in range(10))
    next(stream)
    stream.close()

    assert all(result.ok for result in pool.render_many(_ok(n) for n in range(6)))


def test_a_process_is_recycled_after_its_share_of_jobs() -> None:
    with _pool(processes=1, recycle_after=3) as pool:
        bodies = [result.pdf.decode() for result in pool.render_many(_ok(n) for n in range(9)) if result.pdf]

    assert len({body.split()[1] for body in bodies}) == 3
    assert {body.split()[3] for body in bodies} <= {"jobs=1", "jobs=2", "jobs=3"}


def test_a_renderer_that_cannot_start_is_reported_at_once() -> None:
    with pytest.raises(PoolError, match="could not start: ImportError: no such template folder"):
        _pool(warm="tests.unit.pdf.pool_renderers:broken").start()


def test_render_many_starts_and_stops_its_own_pool() -> None:
    results = list(
        render_many(
            (Job(key=n, document={"kind": "typst", "n": n}) for n in range(4)),
            processes=2,
            renderer=_RENDERER,
            warm=_WARM,
        )
    )

    assert {result.key for result in results} == {0, 1, 2, 3}
    assert all(result.pdf and result.pdf.startswith(b"%PDF-") for result in results)


def test_the_default_renderer_gives_the_same_bytes_as_rendering_in_process() -> None:
    documents = {name: sample_document(name, "sk") for name in ("invoice", "credit_note")}
    jobs = [Job(key=name, document=doc, template=Template.builtin(name)) for name, doc in documents.items()]

    with RenderPool(processes=1) as pool:  # faktura.pdf.render, warmed with every built-in template
        results = _by_key(pool.render_many(jobs))

    for name, document in documents.items():
        assert results[name].pdf == render(document, Template.builtin(name))

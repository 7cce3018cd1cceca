"""A seller's custom Typst template compiles in a child process that reads nothing outside its root.

Each test compiles for real (a child ``python -m faktura.pdf.sandbox``), so
the limits are the kernel's, not a mock's.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from faktura.pdf.sandbox import Limits, TemplateRefused, compile_custom_template, validate_custom_template

_TOKEN = "CANARY-7f3a9c"
_INPUTS = {"data": json.dumps({"number": "FV-2025-0001", "buyer": '#read("/etc/passwd") *bold* $x$ <l> @ref'})}
_TEMPLATE = """#let d = json(bytes(sys.inputs.data))
= Invoice #d.number
Buyer: #d.buyer
"""
# Generous enough for a child process to start and compile on a busy CI machine (2 cores, tests in parallel);
# the tests of the time limit itself set their own short one.
_FAST = Limits(seconds=15, memory_mib=768)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def canaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A canary file and a canary FIFO in the folder that holds the template's temporary root.

    Reading the file would put its token in the output; opening the FIFO would
    block the compiler until the timeout. Neither may happen.
    """
    (tmp_path / "canary.txt").write_text(_TOKEN)
    os.mkfifo(tmp_path / "canary.fifo")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_template_compiles_against_the_sample_data_with_a_preview() -> None:
    compiled = validate_custom_template(_TEMPLATE, inputs=_INPUTS, limits=_FAST)

    assert compiled.pages == 1
    assert compiled.pdf.startswith(b"%PDF-")
    assert compiled.preview_png is not None
    assert compiled.preview_png.startswith(b"\x89PNG")
    assert "Invoice FV-2025-0001" in _text(compiled.pdf)


def test_markup_in_the_data_is_printed_as_plain_text() -> None:
    text = _text(compile_custom_template(_TEMPLATE, inputs=_INPUTS, limits=_FAST).pdf)

    assert '#read("/etc/passwd") *bold* $x$ <l> @ref' in text
    assert "root:" not in text


def test_files_uploaded_with_the_template_can_be_read() -> None:
    compiled = compile_custom_template(
        '#read("footer.txt")', inputs={}, assets={"footer.txt": b"Thank you!"}, limits=_FAST
    )

    assert "Thank you!" in _text(compiled.pdf)


@pytest.mark.parametrize(
    ("source", "words", "line", "column"),
    [
        pytest.param(
            'Hi\n#read("/etc/passwd")',
            "no such file among the template's own files: /etc/passwd",
            2,
            7,
            id="read-absolute",
        ),
        pytest.param(
            '#image("/etc/passwd")',
            "no such file among the template's own files: /etc/passwd",
            1,
            8,
            id="image-absolute",
        ),
        pytest.param(
            'x\ny\n  #read("../../etc/passwd")',
            'files outside the template cannot be read ("../../etc/passwd")',
            3,
            9,
            id="read-relative-escape",
        ),
        pytest.param(
            '#import "other.typ": x', "no such file among the template's own files: /other.typ", 1, 9, id="import-file"
        ),
        pytest.param(
            '#include "/usr/share/common-licenses/GPL"',
            "no such file among the template's own files",
            1,
            10,
            id="include",
        ),
        pytest.param('#import "@preview/cetz:0.3.2": canvas', "packages cannot be imported", 1, 9, id="package"),
        pytest.param("= Title\n#let x = 1 +\n", "expected expression", 2, 13, id="syntax-error"),
    ],
)
def test_what_a_template_may_not_do_is_refused_with_its_line_and_column(
    source: str, words: str, line: int, column: int
) -> None:
    with pytest.raises(TemplateRefused) as refused:
        validate_custom_template(source, inputs=_INPUTS, limits=_FAST)

    assert words in refused.value.message
    assert (refused.value.line, refused.value.column) == (line, column)
    assert refused.value.field == "template"
    assert "faktura-template-" not in refused.value.message  # the temporary root's path is not shown


@pytest.mark.parametrize(
    "reach",
    [
        '#read("../../canary.txt")',
        '#read("../../../../../../../../{dir}/canary.txt")',
        '#read("{dir}/canary.txt")',
        '#image("../../canary.txt")',
        '#include "../../canary.txt"',
        '#json("../../canary.fifo")',
        '#read("../../canary.fifo")',
        '#read("{dir}/canary.fifo")',
        '#import "../../canary.fifo": x',
        '#read("/proc/self/environ")',
        '#read("/proc/self/root/{dir}/canary.txt")',
    ],
)
def test_nothing_outside_the_root_is_read(canaries: Path, reach: str) -> None:
    source = reach.format(dir=str(canaries).lstrip("/"))
    started = time.monotonic()

    with pytest.raises(TemplateRefused) as refused:
        compile_custom_template(source, inputs={}, limits=_FAST)

    assert time.monotonic() - started < _FAST.seconds  # the FIFO was never opened (that would block)
    assert "took longer" not in refused.value.message
    assert _TOKEN not in refused.value.message
    assert "cannot be read" in refused.value.message or "no such file" in refused.value.message


def test_an_endless_loop_is_stopped_at_the_time_limit() -> None:
    started = time.monotonic()

    with pytest.raises(TemplateRefused, match=r"took longer than 1\.5 s"):
        validate_custom_template(
            "#for i in range(100000) { for j in range(100000) {} }", inputs={}, limits=Limits(seconds=1.5)
        )

    assert time.monotonic() - started < 5


def test_a_template_that_eats_memory_is_stopped_at_the_memory_limit() -> None:
    with pytest.raises(TemplateRefused, match="more than 512 MiB of memory"):
        validate_custom_template("#let x = range(200000000)", inputs={}, limits=Limits(memory_mib=512))


def test_a_huge_page_is_refused() -> None:
    with pytest.raises(TemplateRefused, match=r"page 1 is 50000 × 100 mm, larger than 1000 mm on a side"):
        validate_custom_template("#set page(width: 5000cm, height: 10cm)\nHi", inputs={}, limits=_FAST)


def test_too_many_pages_are_refused() -> None:
    with pytest.raises(TemplateRefused, match="makes 12 pages, more than 10"):
        validate_custom_template(
            "#for i in range(1, 13) [Page #i #if i < 12 { pagebreak() }]", inputs={}, limits=Limits(max_pages=10)
        )


@pytest.mark.parametrize(
    ("assets", "source", "words"),
    [
        pytest.param({"../x.png": b"x"}, "x", "is not a file name", id="traversal-name"),
        pytest.param({"main.typ": b"x"}, "x", "is not a file name", id="main-name"),
        pytest.param({"a.png": b"x" * (2 * 1024 * 1024)}, "x", "larger than 1 MiB", id="assets-too-large"),
        pytest.param({}, "x" * (300 * 1024), "larger than 256 KiB", id="source-too-large"),
    ],
)
def test_an_upload_past_the_limits_is_refused_before_compiling(
    assets: dict[str, bytes], source: str, words: str
) -> None:
    with pytest.raises(TemplateRefused, match=words):
        validate_custom_template(source, inputs={}, assets=assets, limits=Limits(max_assets_mib=1))


def test_the_child_does_not_see_the_callers_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKTURA_SECRET_KEY", "s3cr3t-in-env")

    compiled = compile_custom_template('#sys.inputs.at("data", default: "none")', inputs={}, limits=_FAST)

    assert "s3cr3t" not in _text(compiled.pdf)

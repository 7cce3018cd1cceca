"""A seller's own Typst template, compiled in a separate process with limits (F5.3).

A custom template is code written by someone else, so it never runs in the
process that serves requests. ``compile_custom_template`` writes the template
(``main.typ``) and the files uploaded with it into a fresh temporary folder,
the only folder the compiler may read (its *root*), and runs
``python -m faktura.pdf.sandbox`` on it with:

* a wall-clock timeout (``Limits.seconds``; the child is killed after it) and a
  CPU-time limit a little above it;
* an address-space limit (``RLIMIT_AS``, ``Limits.memory_mib``): an allocation
  past it ends the child, never the caller;
* no files written (``RLIMIT_FSIZE`` 0), no core dumps, few file descriptors;
* no system fonts (only the bundled ones passed in), no packages: ``@preview``
  imports would be downloaded, so the child's environment sends every download
  to a closed port on loopback and the error says packages are not available;
* an environment of its own (no secrets of the caller's environment).

The compiler itself reads nothing outside its root: ``/etc/passwd`` means
``<root>/etc/passwd`` to it, ``../x`` is refused. Then the result is checked:
at most ``Limits.max_pages`` pages, none larger than ``Limits.max_page_mm`` on a
side, at most ``Limits.max_output_mib`` of PDF.

Every refusal is a ``TemplateRefused`` (an ``InvalidValue`` on the field
``template``) whose message names the problem, with the line and column of the
template when the compiler gave one::

    line 3, column 2: files outside the template cannot be read ("../../etc/passwd")

Limits are plain values (no settings here): the layouts app passes its own.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from faktura.core.errors import InvalidValue

MAIN = "main.typ"
_ASSET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_LOCATION = re.compile(r"┌─ (?:\S*/)?([^/\s]+\.typ):(\d+):(\d+)")
_CLOSED_PORT = "http://127.0.0.1:9"  # the discard port: nothing listens, a download fails at once
_PT_PER_MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class Limits:
    """What one compilation of a custom template may use."""

    seconds: float = 10.0
    memory_mib: int = 1024
    max_pages: int = 50
    max_page_mm: int = 1000
    max_source_kib: int = 256
    max_assets_mib: int = 20
    max_output_mib: int = 50
    preview_ppi: int = 72


@dataclass(frozen=True, slots=True)
class Compiled:
    """A template that compiled within its limits: the PDF, its page count and a preview of page 1."""

    pdf: bytes
    pages: int
    preview_png: bytes | None = None


class TemplateRefused(InvalidValue):
    """The custom template cannot be used; the message says why and where."""

    code = "template_refused"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message, field="template")
        self.line = line
        self.column = column


def validate_custom_template(
    source: str,
    *,
    inputs: Mapping[str, str],
    assets: Mapping[str, bytes] | None = None,
    font_paths: Sequence[Path | str] = (),
    limits: Limits | None = None,
) -> Compiled:
    """Compile ``source`` against sample ``inputs`` (``sys.inputs`` of the template) with a preview.

    Raises ``TemplateRefused`` naming the problem; returns the PDF and a PNG of
    its first page when the template is fit to be saved.
    """
    return compile_custom_template(
        source, inputs=inputs, assets=assets, font_paths=font_paths, limits=limits, preview=True
    )


def compile_custom_template(
    source: str,
    *,
    inputs: Mapping[str, str],
    assets: Mapping[str, bytes] | None = None,
    font_paths: Sequence[Path | str] = (),
    limits: Limits | None = None,
    preview: bool = False,
    pdf_standards: Sequence[str] = (),
    timestamp: int | None = None,
) -> Compiled:
    """Compile ``source`` in a child process inside a root holding only it and ``assets``."""
    limits = limits or Limits()
    assets = dict(assets or {})
    _check_upload(source, assets, limits)
    with tempfile.TemporaryDirectory(prefix="faktura-template-") as workdir:
        root, empty = Path(workdir, "root"), Path(workdir, "empty")
        root.mkdir()
        empty.mkdir()
        (root / MAIN).write_text(source, encoding="utf-8")
        for name, content in assets.items():
            (root / name).write_bytes(content)
        request = {
            "root": str(root),
            "inputs": dict(inputs),
            "font_paths": [str(path) for path in font_paths],
            "limits": asdict(limits),
            "preview": preview,
            "pdf_standards": list(pdf_standards),
            "timestamp": timestamp,
        }
        return _run_child(request, empty, limits)


def _check_upload(source: str, assets: Mapping[str, bytes], limits: Limits) -> None:
    if len(source.encode("utf-8")) > limits.max_source_kib * 1024:
        raise TemplateRefused(f"the template is larger than {limits.max_source_kib} KiB")
    for name in assets:
        if not _ASSET_NAME.fullmatch(name) or name == MAIN or ".." in name:
            raise TemplateRefused(f"{name!r} is not a file name a template can use (letters, digits, . _ -)")
    if sum(len(content) for content in assets.values()) > limits.max_assets_mib * 1024 * 1024:
        raise TemplateRefused(f"the files of the template are larger than {limits.max_assets_mib} MiB")


def _child_env(empty: Path) -> dict[str, str]:
    """Nothing of the caller's environment; an empty home; every download sent to a closed port."""
    env = {
        "PATH": os.defpath,
        "LANG": "C.UTF-8",
        "HOME": str(empty),
        "XDG_CACHE_HOME": str(empty),
        "XDG_DATA_HOME": str(empty),
        "MALLOC_ARENA_MAX": "2",
        "RUST_BACKTRACE": "0",
        "NO_PROXY": "",
        "no_proxy": "",
    }
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env[name] = _CLOSED_PORT
    return env


def _run_child(request: dict[str, Any], empty: Path, limits: Limits) -> Compiled:
    command = [sys.executable, "-I", "-B", "-m", "faktura.pdf.sandbox"]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            timeout=limits.seconds,
            env=_child_env(empty),
            cwd=empty,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TemplateRefused(
            f"the template took longer than {limits.seconds:g} s to compile (an endless loop, or too much work)"
        ) from None
    return _read_answer(done, limits)


def _read_answer(done: subprocess.CompletedProcess[bytes], limits: Limits) -> Compiled:
    header, _, body = done.stdout.partition(b"\n")
    if done.returncode != 0 or not header:
        stderr = done.stderr.decode("utf-8", "replace")
        if "memory allocation" in stderr or "MemoryError" in stderr or done.returncode == -6:
            raise TemplateRefused(f"the template used more than {limits.memory_mib} MiB of memory")
        if done.returncode in (-24, -9):  # SIGXCPU, or killed at the CPU-time hard limit
            raise TemplateRefused(f"the template took longer than {limits.seconds:g} s to compile")
        raise TemplateRefused(f"the template could not be compiled (the compiler stopped with code {done.returncode})")
    answer = json.loads(header)
    if answer["status"] == "refused":
        raise TemplateRefused(answer["message"], line=answer.get("line"), column=answer.get("column"))
    pdf_size = answer["pdf_size"]
    pdf, png = body[:pdf_size], body[pdf_size:]
    return Compiled(pdf=pdf, pages=answer["pages"], preview_png=png or None)


# The child: runs as ``python -I -B -m faktura.pdf.sandbox`` with the request on stdin.


def _limit_self(limits: Mapping[str, Any]) -> None:
    memory = int(limits["memory_mib"]) * 1024 * 1024
    cpu = int(float(limits["seconds"])) + 2
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def _explain(error: Any, root: str) -> dict[str, Any]:
    """A Typst diagnostic as a refusal: the first error's message, located, without the root's path."""
    message = str(getattr(error, "message", error)).replace(root + "/", "/").replace(root, "")
    diagnostic = str(getattr(error, "diagnostic", ""))
    located = _LOCATION.search(diagnostic)
    if "would escape the project root" in message:
        path = message.split("`")[1] if "`" in message else ""
        message = f"files outside the template cannot be read ({path.strip()})".replace(" ()", "")
    elif message.startswith("file not found (searched at "):
        message = f"no such file among the template's own files: {message[len('file not found (searched at ') : -1]}"
    elif "failed to download package" in message or ("package" in message and "not found" in message):
        message = "packages cannot be imported; upload the files the template needs with it"
    hints = [hint for hint in getattr(error, "hints", []) or [] if "--root" not in hint and "sandbox" not in hint]
    if hints:
        message += " (" + "; ".join(hints) + ")"
    answer: dict[str, Any] = {"status": "refused", "message": message}
    if located and located.group(1) == MAIN:
        # The diagnostic counts lines from 1 and columns from 0; people count both from 1.
        answer["line"], answer["column"] = int(located.group(2)), int(located.group(3)) + 1
    return answer


def _check_output(pdf: bytes, limits: Mapping[str, Any]) -> dict[str, Any]:
    """The refusal of an output past the limits, else ``{"status": "ok", "pages": n}``."""
    import io

    from pypdf import PdfReader

    if len(pdf) > int(limits["max_output_mib"]) * 1024 * 1024:
        return {"status": "refused", "message": f"the PDF is larger than {limits['max_output_mib']} MiB"}
    pages = PdfReader(io.BytesIO(pdf)).pages
    if len(pages) > int(limits["max_pages"]):
        return {
            "status": "refused",
            "message": f"the template makes {len(pages)} pages, more than {limits['max_pages']}",
        }
    largest = int(limits["max_page_mm"])
    for number, page in enumerate(pages, start=1):
        width, height = float(page.mediabox.width) / _PT_PER_MM, float(page.mediabox.height) / _PT_PER_MM
        if max(width, height) > largest + 0.5:
            return {
                "status": "refused",
                "message": f"page {number} is {width:.0f} × {height:.0f} mm, larger than {largest} mm on a side",
            }
    return {"status": "ok", "pages": len(pages)}


def _child_main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    import typst  # imported before the limits: mapping the library is not the template's doing

    _limit_self(request["limits"])
    root = request["root"]
    empty = os.environ.get("HOME", root)
    compiler = typst.Compiler(
        input=str(Path(root, MAIN)),
        root=root,
        font_paths=request["font_paths"],
        ignore_system_fonts=True,
        sys_inputs=request["inputs"],
        package_path=empty,
        package_cache_path=empty,
    )
    out = sys.stdout.buffer
    try:
        pdf = compiler.compile(format="pdf", pdf_standards=request["pdf_standards"], timestamp=request["timestamp"])
        assert isinstance(pdf, bytes)
        checked = _check_output(pdf, request["limits"])
        if checked["status"] != "ok":
            out.write(json.dumps(checked).encode() + b"\n")
            return 0
        png = b""
        if request["preview"]:
            pages = compiler.compile(format="png", ppi=float(request["limits"]["preview_ppi"]))
            png = pages[0] if isinstance(pages, list) else (pages or b"")
    except typst.TypstError as error:
        out.write(json.dumps(_explain(error, root)).encode() + b"\n")
        return 0
    header = {**checked, "pdf_size": len(pdf)}
    out.write(json.dumps(header).encode() + b"\n" + pdf + png)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child_main())

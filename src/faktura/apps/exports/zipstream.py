"""A ZIP archive written as a stream, with the standard library's ``zipfile``.

``zipfile`` writes to anything with a ``write`` method: given a sink that
cannot seek, it keeps count of the offsets itself and writes the central
directory at the end. Each member is added whole with its size and CRC known
(``writestr``), so the local headers are complete and every unzip tool reads
the archive, streamed or not. Memory holds one member at a time.

PDFs are compressed inside already; members are *stored*, which keeps the
archive as fast to write as the files are to read. ZIP64 records are added by
``zipfile`` when the archive passes 4 GiB or 65,535 members.

>>> import io, zipfile
>>> archive = b"".join(zip_stream([ZipMember("a.pdf", b"%PDF-1.7 a")]))
>>> zipfile.ZipFile(io.BytesIO(archive)).read("a.pdf")
b'%PDF-1.7 a'
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, cast

CHUNK = 256 * 1024


@dataclass(frozen=True)
class ZipMember:
    name: str
    data: bytes
    modified: dt.datetime | None = None


class _Sink:
    """Collects what ``zipfile`` writes until the generator hands it on."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def zip_stream(members: Iterable[ZipMember]) -> Iterator[bytes]:
    """The archive in chunks of at least ``CHUNK`` bytes (the last may be smaller)."""
    sink = _Sink()
    target = cast(IO[bytes], sink)  # write and flush are all zipfile uses of a stream it cannot seek
    with zipfile.ZipFile(target, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=_zip_time(member.modified))
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.data)
            if len(sink.buffer) >= CHUNK:
                yield sink.take()
    yield sink.take()


def _zip_time(moment: dt.datetime | None) -> tuple[int, int, int, int, int, int]:
    """ZIP keeps wall time (as given) from 1980 to 2107, to two seconds."""
    if moment is None or moment.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)

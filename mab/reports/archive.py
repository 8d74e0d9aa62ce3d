"""A ZIP archive written as a stream of bytes: each member compressed and handed on in chunks
as it is written (and whatever is left of it when it ends), so the first bytes leave before the last file is even read (no Flask here).

``zipfile`` writes to a sink that cannot seek: it then puts each member's sizes and CRC in a
data descriptor after the member, which every unzip tool reads.
"""
import io
import time
import zipfile
from collections.abc import Iterable, Iterator

CHUNK_BYTES = 64 * 1024
COMPRESS_LEVEL = 1


class _Sink(io.RawIOBase):
    """Collects what zipfile writes until it is taken; cannot seek (tell() fails, so zipfile
    keeps its own count)."""

    def __init__(self):
        super().__init__()
        self._chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data


def zip_stream(files: Iterable[tuple[str, bytes | Iterable[bytes]]], *, folder: str = "",
               chunk_bytes: int | None = None) -> Iterator[bytes]:
    """The bytes of a deflated ZIP of ``files`` -- (name, content) pairs, the content whole or
    as chunks -- in pieces of about ``chunk_bytes``, member by member."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    sink = _Sink()
    prefix = f"{folder}/" if folder else ""
    # Level 1: a third of level 6's time for a file about a quarter larger (CSV text).
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for name, content in files:
            with archive.open(_member(prefix + name), "w") as member:
                for piece in ([content] if isinstance(content, bytes | bytearray) else content):
                    member.write(piece)
                    if sink.size >= chunk_bytes:
                        yield sink.take()
            if sink.size:   # a member's end leaves at once: the first file is the first byte
                yield sink.take()
    yield sink.take()   # the last member's end and the central directory


def _member(name: str) -> zipfile.ZipInfo:
    """A deflated member dated now and readable by its owner, as ZipFile.writestr makes one."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = COMPRESS_LEVEL   # no public name before Python 3.13
    info.external_attr = 0o600 << 16
    return info

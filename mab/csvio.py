"""CSV reading and writing shared by the features: pure functions over bytes and plain values.

No Flask here: a download is made of these bytes (or of :func:`iter_csv`'s chunks, streamed)
by :func:`mab.downloads.csv_response`. Each feature keeps its own columns and row checks (``board.csvio``, ``framework.csvio``).
"""
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date


@dataclass
class RowError:
    """A problem of an uploaded file: its line (None: the whole file) and what is wrong."""
    line: int | None
    message: str


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a BOM (raises UnicodeDecodeError otherwise)."""
    return data.decode("utf-8-sig")


def dict_reader(text: str) -> csv.DictReader:
    """Rows as dicts keyed by the header, whose names are stripped and lower-cased."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [h.strip().lower() for h in (reader.fieldnames or [])]
    return reader


def write_csv(header: list[str], rows) -> bytes:
    """UTF-8 with a BOM and CRLF line ends: Excel and LibreOffice open Cyrillic text correctly."""
    return b"".join(iter_csv(header, rows))


CHUNK_ROWS = 500   # rows per chunk of iter_csv: a few tens of KB


def iter_csv(header: list[str], rows, *, chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """The bytes of :func:`write_csv` in chunks, as ``rows`` (any iterable, read lazily) come:
    the BOM and the header first, then ``chunk_rows`` lines at a time, so a download starts at
    once and never holds the whole file."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    yield _take(buffer)
    pending = 0
    for row in rows:
        # An empty text, one starting with a letter or digit, a count: their own safe cells (the
        # common cases, taken without a call: a matrix has a few hundred thousand cells).
        writer.writerow([v if (type(v) is str and (not v or v[:1].isalnum()))
                         or (type(v) is int and v >= 0) else
                         "" if v is None else safe_cell(v) for v in row])
        pending += 1
        if pending >= chunk_rows:
            yield _take(buffer)
            pending = 0
    if pending:
        yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


FORMULA_START = ("=", "+", "-", "@")


def needs_quote(text: str) -> bool:
    """Whether ``safe_cell`` prefixes ``text`` with an apostrophe: it starts with = + - @, with a
    tab or carriage return, or with white space followed by = + - @ -- or it is such a text
    behind apostrophes of its own (``'=1`` becomes ``''=1``, so the import can tell the two)."""
    if text[:1].isalnum():   # most cells: a letter or digit first can start no formula
        return False
    core = text.lstrip("'")
    return core[:1] in ("\t", "\r") or core.lstrip()[:1] in FORMULA_START


def safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) with a leading apostrophe (see
    ``needs_quote``); ``unneutralise`` is its exact inverse."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if needs_quote(text) else text


def unneutralise(text: str) -> str:
    """The value ``safe_cell`` was given: one leading apostrophe goes when what follows would
    have been neutralised (``'=cmd()`` -> ``=cmd()``, ``'-5`` -> ``-5``, ``''=1`` -> ``'=1``);
    any other apostrophe is the value's own (``'quoted`` stays ``'quoted``)."""
    if text[:1] == "'" and needs_quote(text[1:]):
        return text[1:]
    return text

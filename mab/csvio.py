"""CSV reading and writing shared by the features: pure functions over bytes and plain values.

No Flask here: a download is made of these bytes by :func:`mab.downloads.csv_response`. Each
feature keeps its own columns and row checks (``board.csvio``, ``framework.csvio``).
"""
import csv
import io
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
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


FORMULA_START = ("=", "+", "-", "@")


def safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell that starts with = + - @, with a
    tab or carriage return, or with any white space followed by = + - @ is prefixed with '."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    if text[:1] in ("\t", "\r") or text.lstrip()[:1] in FORMULA_START:
        return "'" + text
    return text

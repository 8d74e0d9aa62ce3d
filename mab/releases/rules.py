"""Pure rules of publication: what a release may hold, its manifest over the languages, the
language a visitor reads, and the suppression of small cells on the public site. No app."""
import hashlib
import json
from collections.abc import Iterable, Mapping

from mab.report.model import Report

# A cell of the board's composition counting 1 or 2 people could identify them: not shown.
SMALL_CELL = 3


def findings(report: Report) -> int:
    """The validated findings a report holds: its sections taken from a validated version."""
    return sum(1 for s in report.sections if s.provenance is not None and not s.placeholder)


def recommendations(report: Report) -> int:
    return sum(len(s.recommendations) for s in report.sections if not s.placeholder)


def has_validated_content(report: Report) -> bool:
    """Whether a report (public view) carries anything the board validated: a finding or a
    validated recommendation. The annex and the references alone do not make a release."""
    return findings(report) > 0 or recommendations(report) > 0


def release_manifest(hashes: Mapping[str, str]) -> str:
    """SHA-256 over the languages' manifest hashes, in the release's language order: any
    change of wording, version, edition or language changes it."""
    payload = [[language, digest] for language, digest in hashes.items()]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def language_list(languages: str) -> list[str]:
    return [code.strip() for code in (languages or "").split(",") if code.strip()]


def reading_language(available: Iterable[str], wanted: str | None) -> str | None:
    """The language a visitor reads a release in: theirs when the release has it, else the
    release's first (main) language; None for a release without any."""
    available = list(available)
    if wanted in available:
        return wanted
    return available[0] if available else None


def suppressed(count) -> bool:
    """A count of 1 or 2 people is not shown (0 and 3 or more are)."""
    return isinstance(count, int) and 0 < count < SMALL_CELL


def short_hash(digest: str, length: int = 12) -> str:
    return (digest or "")[:length]


BOARD_GENDERS = ("women", "men", "other_or_undisclosed")


def board_rows(board: Mapping | None) -> tuple[list[tuple[str, list, object]], tuple | None]:
    """The released board composition (open data's ``board``: groups of gender cells and a
    total, plus a totals line) as rows of (group, cells, total) for the public page. A cell is
    its count, or None when not shown: a count of 1 or 2, or any cell of a row holding one (the
    open data already marks them "<3" / "suppressed"; a count that slipped through is hidden
    here too, so the public page never shows a small cell whatever the data)."""
    def row(name, record):
        values = [record.get(key) for key in BOARD_GENDERS]
        hide = any(not isinstance(v, int) or suppressed(v) for v in values)
        return name, [None if hide else v for v in values], record.get("total")

    board = board or {}
    rows = [row(g.get("group", ""), g) for g in board.get("groups", [])]
    totals = board.get("totals")
    if totals:
        hide_totals = any(None in cells for _name, cells, _total in rows)
        name, cells, total = row("", totals)
        totals_row = (name, [None] * len(cells) if hide_totals else cells, total)
    else:
        totals_row = None
    return rows, totals_row

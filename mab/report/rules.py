"""Pure rules of the report: section numbers and anchors, the table of contents, and the manifest
hash over its parts. No app needed."""
import hashlib
import json
from dataclasses import dataclass

from mab.report.model import Report, Section


def number_sections(sections: list[Section]) -> list[Section]:
    """Number the sections in order by level ("1", "1.1", "1.1.1"; a level deeper than the one
    before starts at 1, a shallower one carries on its own count) and give each an anchor
    ("s-1-1-1"). Returns the same list."""
    counters: list[int] = []
    for section in sections:
        level = max(1, section.level)
        del counters[level:]
        while len(counters) < level - 1:     # a skipped level counts as its first ("1.1.1")
            counters.append(1)
        if len(counters) < level:
            counters.append(0)
        counters[level - 1] += 1
        section.number = ".".join(str(n) for n in counters)
        section.anchor = "s-" + section.number.replace(".", "-")
    return sections


@dataclass(frozen=True)
class TocEntry:
    number: str
    title: str
    anchor: str
    level: int
    placeholder: bool


def table_of_contents(report: Report, *, max_level: int = 3) -> list[TocEntry]:
    return [TocEntry(s.number, s.title, s.anchor, s.level, s.placeholder)
            for s in report.sections if s.level <= max_level]


def part_digest(section: Section) -> str:
    """What a section contributes to the manifest: its kind, code and content (a finding by
    the hash of the validated edition it is taken from, the rest by its data)."""
    if section.provenance is not None:
        payload = {"kind": section.kind, "code": section.code,
                   "sha256": section.provenance.sha256}
    else:
        payload = {"kind": section.kind, "code": section.code, "title": section.title,
                   "placeholder": section.placeholder,
                   "paragraphs": [[p.block_id, p.text] for p in section.paragraphs],
                   "recommendations": [[r.draft_id, r.block_id, r.text, r.groups, r.priority,
                                        r.time_frame, r.responsible]
                                       for r in section.recommendations],
                   "references": [[r.source_number, r.title, r.publisher, r.year, r.url]
                                  for r in section.references],
                   "gaps": [[g.code, g.reason] for g in section.gaps],
                   "annex": section.annex}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True,
                                     default=str).encode("utf-8")).hexdigest()


def manifest_hash(report: Report) -> str:
    """SHA-256 over the report's language, title and each part's digest in order: any change
    of order, wording, finding version or edition changes it."""
    payload = {"language": report.language, "title": report.title,
               "parts": [part_digest(s) for s in report.sections]}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True)
                          .encode("utf-8")).hexdigest()


# The annex's public figures (issue 20) ------------------------------------------------------

SUPPRESS_BELOW = 3


def public_cells(cells: dict[str, int]) -> dict[str, int | None]:
    """A group's counts by gender as a public page may show them: when any cell is 1 or 2,
    every cell of the row is hidden (None), since zeros beside a small cell with a total anyone
    can see would still tell a person's gender; rows without a small cell are shown as they are."""
    if any(0 < n < SUPPRESS_BELOW for n in cells.values()):
        return {key: None for key in cells}
    return dict(cells)


def public_table(rows, genders) -> dict:
    """A group × gender table (``rows``: (group name, {gender: n}, total)) as plain data for the
    annex, small cells suppressed row by row (:func:`public_cells`); the totals' genders are
    hidden too when any row's are (else the totals less the rows shown would give the hidden
    row back) or when one is small. The group totals stay (the board's size per group is
    public)."""
    totals = {key: sum(cells.get(key, 0) for _name, cells, _total in rows) for key in genders}
    shown = [{"group": name or "", "cells": public_cells(
        {key: cells.get(key, 0) for key in genders}), "total": total}
        for name, cells, total in rows]
    hidden = any(None in row["cells"].values() for row in shown)
    return {"genders": list(genders), "rows": shown,
            "totals": {key: None for key in totals} if hidden else public_cells(totals),
            "total": sum(total for *_x, total in rows)}


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: letters, digits and spaces as they are, every other
    character as a hexadecimal escape (no quote, backslash or newline can end the string)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def running_title_css(title: str) -> str:
    """The print view's running title in the top margin of every page but the first (@page
    margin boxes take their text from CSS only, so the title is written into a stylesheet)."""
    return ("@page { @top-center { content: " + css_string(title)
            + "; font-size: 9pt; color: #444; } }\n"
            "@page :first { @top-center { content: none; } }\n")

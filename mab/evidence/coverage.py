"""Pure rules of the coverage dashboard (issue 19 item 2): plain values in, plain values out.

One :class:`Row` per indicator in the assessment's scope, in catalogue order; :func:`summarise`
counts them per category, per theme and in total; :func:`gaps` lists the indicators the
methodology chapter must name (no data, partial data, not yet assessed, no source), each with
why. An indicator's finding status comes from its indicator drafts' statuses
(``mab.drafts.rules``), the best-advanced draft winning (:func:`finding_status`).
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import ceil

from flask_babel import lazy_gettext as _l

# Data statuses (``mab.evidence.models.DataStatus``) and the key of an indicator with none yet.
AVAILABLE, PARTIAL, NO_DATA, NOT_APPLICABLE = "available", "partial", "no_data", "not_applicable"
NOT_ASSESSED = "not_assessed"
DATA_KEYS = (AVAILABLE, PARTIAL, NO_DATA, NOT_APPLICABLE, NOT_ASSESSED)

# Finding statuses, least advanced first.
NO_DRAFT, DRAFTING, IN_CONSULTATION = "no_draft", "drafting", "in_consultation"
IN_VALIDATION, VALIDATED = "in_validation", "validated"
FINDING_KEYS = (NO_DRAFT, DRAFTING, IN_CONSULTATION, IN_VALIDATION, VALIDATED)

# A draft's status (``mab.drafts.rules``) -> the finding status it gives its indicator: a
# circulated text not (or not yet) validated is still "in consultation" for the dashboard.
_FROM_DRAFT = {
    "drafting": DRAFTING,
    "in_consultation": IN_CONSULTATION, "consultation_closed": IN_CONSULTATION,
    "superseded": IN_CONSULTATION, "not_validated": IN_CONSULTATION,
    "in_validation": IN_VALIDATION,
    "validated": VALIDATED,
}

# Why an indicator is a data gap.
GAP_NO_DATA, GAP_PARTIAL, GAP_NOT_ASSESSED, GAP_NO_SOURCE = (
    "no_data", "partial", "not_assessed", "no_source")

DATA_LABELS = {
    AVAILABLE: _l("Data available"), PARTIAL: _l("Partial data"), NO_DATA: _l("No data"),
    NOT_APPLICABLE: _l("Not applicable"), NOT_ASSESSED: _l("Not yet assessed"),
}
FINDING_LABELS = {
    NO_DRAFT: _l("No draft"), DRAFTING: _l("Drafting"), IN_CONSULTATION: _l("In consultation"),
    IN_VALIDATION: _l("In validation"), VALIDATED: _l("Validated"),
}
GAP_LABELS = {
    GAP_NO_DATA: _l("No data"), GAP_PARTIAL: _l("Partial data"),
    GAP_NOT_ASSESSED: _l("Data status not yet assessed"), GAP_NO_SOURCE: _l("No source"),
}


def finding_status(draft_statuses: Iterable[str]) -> str:
    """The finding status of an indicator from the status codes of its indicator drafts: the
    best-advanced draft wins; "no draft" when there is none."""
    best = NO_DRAFT
    for code in draft_statuses:
        status = _FROM_DRAFT[code]
        if FINDING_KEYS.index(status) > FINDING_KEYS.index(best):
            best = status
    return best


@dataclass(frozen=True)
class Row:
    """An indicator in scope: its place in the catalogue and what is known of its evidence."""
    id: int
    code: str
    title: str
    category_code: str
    category_title: str
    theme_code: str
    theme_title: str
    data_status: str | None = None     # None: not yet assessed
    sources: int = 0
    gender_sources: int = 0            # sources disaggregated by gender
    finding: str = NO_DRAFT

    @property
    def data_key(self) -> str:
        return self.data_status or NOT_ASSESSED


@dataclass
class Summary:
    """Counts over a group of indicators (a category, a theme, or all of them)."""
    code: str = ""
    title: str = ""
    category_code: str = ""            # a theme's category
    indicators: int = 0
    data: dict = field(default_factory=lambda: dict.fromkeys(DATA_KEYS, 0))
    with_sources: int = 0              # indicators with at least one source
    with_gender: int = 0               # ... with at least one gender-disaggregated source
    findings: dict = field(default_factory=lambda: dict.fromkeys(FINDING_KEYS, 0))

    @property
    def gender_share(self) -> float | None:
        """Percent of the indicators with a source that have a gender-disaggregated one; None
        when none has a source (shown as a dash, never as 0 %)."""
        if not self.with_sources:
            return None
        return 100 * self.with_gender / self.with_sources

    def add(self, row: Row) -> None:
        self.indicators += 1
        self.data[row.data_key] += 1
        self.with_sources += row.sources > 0
        self.with_gender += row.gender_sources > 0
        self.findings[row.finding] += 1


def data_bar(summary: Summary) -> list[tuple[str, float, float]]:
    """The segments of a bar of data statuses: (data key, start, width), in percent of the
    group's indicators, for each status it has (none for a group without indicators)."""
    segments, start = [], 0.0
    for key in DATA_KEYS:
        if summary.indicators and summary.data[key]:
            width = 100 * summary.data[key] / summary.indicators
            segments.append((key, start, width))
            start += width
    return segments


@dataclass
class Coverage:
    categories: list[Summary]
    themes: list[Summary]              # in catalogue order, each naming its category
    total: Summary

    def themes_of(self, category_code: str) -> list[Summary]:
        return [t for t in self.themes if t.category_code == category_code]


def summarise(rows: Iterable[Row]) -> Coverage:
    """Per category, per theme (in the order they first come) and in total."""
    categories: dict[str, Summary] = {}
    themes: dict[tuple[str, str], Summary] = {}
    total = Summary()
    for row in rows:
        category = categories.setdefault(row.category_code, Summary(
            row.category_code, row.category_title))
        theme = themes.setdefault((row.category_code, row.theme_code), Summary(
            row.theme_code, row.theme_title, category_code=row.category_code))
        for summary in (category, theme, total):
            summary.add(row)
    return Coverage(list(categories.values()), list(themes.values()), total)


@dataclass(frozen=True)
class Gap:
    row: Row
    reasons: tuple[str, ...]           # GAP_* codes, the data status's first


def gap_reasons(row: Row) -> tuple[str, ...]:
    """Why the indicator is a data gap (empty: it is not one). An indicator that does not apply
    to the country needs no source."""
    reasons = {NO_DATA: (GAP_NO_DATA,), PARTIAL: (GAP_PARTIAL,),
               NOT_ASSESSED: (GAP_NOT_ASSESSED,)}.get(row.data_key, ())
    if row.sources == 0 and row.data_key != NOT_APPLICABLE:
        reasons += (GAP_NO_SOURCE,)
    return reasons


def gaps(rows: Iterable[Row]) -> list[Gap]:
    """The data gaps, in catalogue order (the order of ``rows``)."""
    return [Gap(row, reasons) for row in rows if (reasons := gap_reasons(row))]


@dataclass
class GapGroup:
    code: str
    title: str
    gaps: list[Gap]


def gaps_by_category(found: Iterable[Gap]) -> list[GapGroup]:
    """The gaps grouped by category, keeping the catalogue's order of categories and gaps."""
    groups: dict[str, GapGroup] = {}
    for gap in found:
        groups.setdefault(gap.row.category_code, GapGroup(
            gap.row.category_code, gap.row.category_title, [])).gaps.append(gap)
    return list(groups.values())


def filter_rows(rows: Iterable[Row], *, category: str = "", data: str = "",
                finding: str = "") -> list[Row]:
    """The rows of one category, data status and finding status (an empty value: any)."""
    return [r for r in rows if (not category or r.category_code == category)
            and (not data or r.data_key == data) and (not finding or r.finding == finding)]


@dataclass
class Page:
    """One page of a list, as the ``pagination`` macro reads it."""
    items: list
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(items: list, page: int, per_page: int) -> Page:
    """Page ``page`` (from 1; out of range: the nearest page) of ``items``."""
    pages = max(1, ceil(len(items) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return Page(items[start:start + per_page], page, pages, len(items))


CSV_HEADER = ["code", "title", "category_code", "category", "theme_code", "theme",
              "data_status", "sources", "gender_disaggregated_sources", "finding_status"]
GAPS_CSV_HEADER = ["code", "title", "category_code", "category", "theme_code", "theme",
                   "data_status", "sources", "why"]


def csv_cells(row: Row) -> list:
    """One line of the coverage CSV: statuses as labels in the reader's language."""
    return [row.code, row.title, row.category_code, row.category_title, row.theme_code,
            row.theme_title, str(DATA_LABELS[row.data_key]), row.sources, row.gender_sources,
            str(FINDING_LABELS[row.finding])]


def gap_csv_cells(gap: Gap) -> list:
    row = gap.row
    return [row.code, row.title, row.category_code, row.category_title, row.theme_code,
            row.theme_title, str(DATA_LABELS[row.data_key]), row.sources,
            "; ".join(str(GAP_LABELS[r]) for r in gap.reasons)]

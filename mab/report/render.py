"""Rendering a Report as HTML: the body partial (``templates/report/_body.html``) and what it
needs, from the Report alone (no database), so the report page, its print view and the public
site render the same. ``register`` (called by the ``report`` blueprint when the app registers it)
makes the helpers template globals of the whole app, for a page that includes the partial itself.
"""
from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from mab.evidence import coverage
from mab.evidence.citations import Citations
from mab.evidence.models import SOURCE_KIND_LABELS
from mab.i18n import date_filter
from mab.markdown import render_paragraph
from mab.recommendations.models import FOLLOW_UP_LABELS, PRIORITY_LABELS, TIME_FRAME_LABELS
from mab.report import rules
from mab.report.model import Report


@dataclass(frozen=True)
class _Cited:
    """What a citation's hover names of a source (mab.evidence.citations.describe)."""
    title: str
    publisher: str
    data_year: int | None


def citations(report: Report) -> Citations:
    """The report's citations as the evidence register renders them: ``[@src-N]`` becomes the
    number of its reference, linked to ``#ref-N``; a source not in the list shows "[?]"."""
    refs = [r for s in report.sections for r in s.references]
    return Citations(numbers={r.source_number: r.number for r in refs},
                     sources={r.source_number: _Cited(r.title, r.publisher, r.year)
                              for r in refs}, cited=True)


def paragraph(text: str, cites: Citations) -> Markup:
    """A paragraph's Markdown, sanitised, with its citations numbered."""
    return cites.html(render_paragraph(text or ""))


def iso_date(value: str, fmt: str = "long") -> str:
    """An ISO date of the report ("2022-03-12") in words, four-digit year ("12 March 2022")."""
    if not value:
        return ""
    return date_filter(date.fromisoformat(value), fmt)


def gap_rows(gaps) -> list[tuple[str, str, list[str]]]:
    """The gaps one row per indicator: (code, title, reason codes), in order."""
    rows: list[tuple[str, str, list[str]]] = []
    for gap in gaps:
        if rows and rows[-1][0] == gap.code:
            rows[-1][2].append(gap.reason)
        else:
            rows.append((gap.code, gap.title, [gap.reason]))
    return rows


LABELS = {"priority": PRIORITY_LABELS, "time_frame": TIME_FRAME_LABELS,
          "status": FOLLOW_UP_LABELS, "gap": coverage.GAP_LABELS,
          "source_kind": SOURCE_KIND_LABELS}

GLOBALS = {"report_citations": citations, "report_paragraph": paragraph,
           "report_date": iso_date, "report_gap_rows": gap_rows, "report_labels": LABELS}


def register(app) -> None:
    for name, function in GLOBALS.items():
        app.add_template_global(function, name)


def body_html(report: Report, *, links: bool, toc=None) -> Markup:
    """The partial rendered in the report's language (its headings, notes and dates), whatever
    the page's own language; ``links``: the certificates are linked (signed-in readers)."""
    with force_locale(report.language):
        return Markup(render_template(
            "report/_body.html", report=report, links=links,
            toc=toc if toc is not None else rules.table_of_contents(report), **GLOBALS))

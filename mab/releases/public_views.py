"""The public site (issue 20 item 4): /p/<slug>/, read without signing in.

Only what a release froze is shown (the public report of each language, its open data), plus
the live confirmed follow-up status of its recommendations. An assessment that does not exist or
whose site is hidden answers 404 on every page; so does a release number or a language the
assessment's releases do not have. Nothing here reads a draft, a version or a comment."""
from datetime import date

from flask import Blueprint, abort, render_template

from mab.boundary import transactional
from mab.downloads import zip_response
from mab.i18n import select_locale
from mab.recommendations.models import FOLLOW_UP_LABELS, PRIORITY_LABELS, TIME_FRAME_LABELS
from mab.releases import queries, rules
from mab.report import render
from mab.report import rules as report_rules
from mab.report.model import RECOMMENDATIONS

bp = Blueprint("public", __name__, url_prefix="/p/<slug>")


def _reading_language(release) -> str | None:
    return rules.reading_language(rules.language_list(release.languages), select_locale())


def _report_page(slug: str, number: int | None, language: str | None):
    assessment = queries.published_or_404(slug)
    release = queries.release_or_404(assessment, number)
    languages = rules.language_list(release.languages)
    if language is None:
        language = rules.reading_language(languages, select_locale())
    elif language not in languages:
        abort(404)
    if language is None:
        abort(404)
    latest = queries.latest_release(assessment) if number is not None else release
    report = queries.report_of(release, language)
    body = render.body_html(report, links=False, toc=report_rules.table_of_contents(report))
    return render_template(
        "public/report.html", assessment=assessment, release=release, latest=latest,
        report=report, body=body, language=language, languages=languages,
        archived=number is not None)


@bp.get("/")
@transactional
def home(slug):
    return _report_page(slug, None, None)


@bp.get("/<language>/")
@transactional
def in_language(slug, language):
    return _report_page(slug, None, language)


@bp.get("/r/<int:number>/")
@transactional
def release(slug, number):
    return _report_page(slug, number, None)


@bp.get("/r/<int:number>/<language>/")
@transactional
def release_in_language(slug, number, language):
    return _report_page(slug, number, language)


@bp.get("/releases")
@transactional
def releases(slug):
    assessment = queries.published_or_404(slug)
    return render_template("public/releases.html", assessment=assessment,
                           releases=queries.release_summaries(assessment),
                           language_list=rules.language_list)


@bp.get("/recommendations")
@transactional
def recommendations(slug):
    assessment = queries.published_or_404(slug)
    release = queries.release_or_404(assessment)
    language = _reading_language(release)
    report = queries.report_of(release, language)
    sections = [s for s in report.sections if s.kind == RECOMMENDATIONS and s.recommendations]
    return render_template(
        "public/recommendations.html", assessment=assessment, release=release, report=report,
        language=language, sections=sections, statuses=queries.live_statuses(assessment),
        follow_up_labels=FOLLOW_UP_LABELS, priority_labels=PRIORITY_LABELS,
        time_frame_labels=TIME_FRAME_LABELS)


@bp.get("/board")
@transactional
def board(slug):
    assessment = queries.published_or_404(slug)
    release = queries.release_or_404(assessment)
    data = queries.open_data_of(release, _reading_language(release))
    rows, totals = rules.board_rows(data.get("board"))
    on = (data.get("board") or {}).get("on")
    return render_template("public/board.html", assessment=assessment, release=release,
                           rows=rows, totals=totals,
                           on=date.fromisoformat(on) if isinstance(on, str) and on else None)


@bp.get("/data.zip")
@transactional
def data_zip(slug):
    from mab.report import opendata   # helper "docx" (issue 20 item 2)
    assessment = queries.published_or_404(slug)
    release = queries.release_or_404(assessment)
    language = _reading_language(release)
    return zip_response([opendata.zip_bytes(queries.open_data_of(release, language))],
                        f"{assessment.slug}-release-{release.number}-data-{language}.zip")

from collections.abc import Iterator
from datetime import date

from flask import Blueprint, g, render_template, request
from flask_babel import force_locale
from markupsafe import Markup

from mab.assessments.access import assessment_view
from mab.assessments.models import Assessment
from mab.board import rules as board_rules
from mab.board.csvio import table_rows
from mab.csvio import iter_csv, write_csv
from mab.downloads import zip_response
from mab.extensions import db
from mab.comments import queries as comment_queries
from mab.comments.forms import DISPOSITION_LABELS
from mab.permissions import Action, can
from mab.reports import annex as annex_data
from mab.reports.archive import zip_stream
from mab.validation import queries as validation_queries
from mab.validation import rules as validation_rules
from mab.validation.explain import condition_text

bp = Blueprint("reports", __name__, url_prefix="/a/<slug>")


def _on(assessment) -> date:
    try:
        return date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        return assessment.today()


def _language(assessment) -> str:
    """The annex speaks the assessment's language (its first), or another of its languages."""
    languages = assessment.language_list or ["en"]
    asked = request.args.get("lang", "")
    return asked if asked in languages else languages[0]


@bp.get("/annex")
@assessment_view(Action.EXPORT)
def annex(assessment):
    on = _on(assessment)
    language = _language(assessment)
    with force_locale(language):   # the annex in the assessment's language, the page in yours
        data = annex_data.build(assessment, on)
        body = Markup(render_template(
            "reports/_annex_body.html", assessment=assessment, on=on, language=language,
            printing=request.args.get("print") == "1",
            full=can(g.membership.role, Action.VIEW_BALANCE_PERSONAL),
            validation_rules=validation_rules, disposition_labels=DISPOSITION_LABELS, **data))
    return render_template("reports/annex.html", assessment=assessment, annex_body=body)


@bp.get("/annex.zip")
@assessment_view(Action.EXPORT)
def annex_zip(assessment):
    on = _on(assessment)
    full = can(g.membership.role, Action.VIEW_BALANCE_PERSONAL)
    files = _csv_files(assessment.id, on, _language(assessment), full)
    # Compressed and sent member by member, each section read just before its files are written.
    return zip_response(zip_stream(files, folder=f"{assessment.slug}-annex"),
                        f"{assessment.slug}-annex-{on.isoformat()}.zip")


def _csv_files(assessment_id: int, on: date, language: str,
               full: bool) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """The annex's CSV files (in the annex's language), one section at a time: the board's
    files leave before the meetings are read, and the comment matrix, by far the largest, is
    read while it is written. After the first file the stream runs in its own database session
    (mab.downloads.streamed), so each section loads the assessment afresh."""
    def current() -> Assessment:
        return db.session.get(Assessment, assessment_id)

    with force_locale(language):
        board = annex_data.board_section(current(), on)
        genders = list(board_rules.Table.genders)
        yield "board.csv", write_csv(
            ["name", "group", "organisation", "position", "appointed_on", "term_start",
             "term_end"],
            [[m.user.display_name, board["group_names"].get(m.group_id, ""), m.organisation,
              m.position, m.appointed_on, m.term_start, m.term_end] for m in board["members"]])
        yield "balance.csv", write_csv(["group", *genders, "total"],
                                       table_rows(board["table"], full))
        yield "balance_checks.csv", write_csv(
            ["check", "met", "finding", "remedy"],
            [[c.code, "yes" if c.ok else "no", finding, remedy]
             for c, finding, remedy in board["explained"]])
        meetings = annex_data.meetings_section(current())
        yield "meetings.csv", write_csv(
            ["date", "title", "kind", "invited", "present", "absent", "excused"],
            [[m["meeting"].starts_at.date(), m["meeting"].title, m["meeting"].kind, m["invited"],
              m["present"], m["absent"], m["excused"]] for m in meetings])
        yield "attendance.csv", write_csv(
            ["date", "meeting", "group", *genders, "total"],
            [[m["meeting"].starts_at.date(), m["meeting"].title, *row]
             for m in meetings for row in table_rows(m["table"], full)])
        yield "consultations.csv", write_csv(
            ["draft", "versions_circulated", "first_circulated", "last_deadline", "comments",
             "replies", "accepted", "partly_accepted", "not_accepted", "noted", "open",
             "withdrawn"],
            [[c.title, ", ".join(str(v.number) for v in c.circulated),
              c.circulated[0].circulated_at.date(), c.circulated[-1].deadline, c.comments, c.replies,
              c.dispositions["accepted"], c.dispositions["partly_accepted"],
              c.dispositions["not_accepted"], c.dispositions["noted"], c.open, c.withdrawn]
             for c in annex_data.consultations_section(current())])
        yield "comments.csv", comment_queries.matrix_csv(current(), comment_queries.MatrixFilters())
        rounds = validation_queries.rounds(current(), signoffs=False)
        yield "validation_rounds.csv", write_csv(
            ["draft", "version", "sha256", "opened", "deadline", "closed", "outcome",
             "conditions", "early_close_reason", "workshop", "audit_event", "audit_head",
             "editions"],
            [[r.version.draft.title, r.version.number, r.version_sha256, r.opened_at.date(),
              r.deadline, r.closed_at.date() if r.closed_at else "",
              "" if r.is_open else ("validated" if r.passed else "not validated"),
              " ".join(condition_text(c) for c in (r.result or {}).get("conditions", [])),
              r.close_reason,
              {True: "held", False: "not held"}.get(r.workshop_held, ""),
              r.audit_count if r.audit_count is not None else "",
              r.audit_head or "",
              "; ".join(f"{e['language']} {e['sha256']}" for e in r.editions or [])]
             for r in rounds])
        yield "signoffs.csv", iter_csv(   # read as it is written
            ["draft", "version", "member", "group", "decision", "statement", "date",
             "recorded_at_meeting"],
            ([title, number, name, board["group_names"].get(group_id, ""), decision, statement,
              created_at.date(), meeting or ""]
             for title, number, name, group_id, decision, statement, created_at, meeting
             in validation_queries.current_signoff_rows(current())))

from collections.abc import Iterator
from datetime import date

from flask import Blueprint, g, render_template, request
from flask_babel import force_locale
from markupsafe import Markup

from mab.assessments.access import assessment_view
from mab.board import rules as board_rules
from mab.board.csvio import table_rows
from mab.csvio import write_csv
from mab.downloads import zip_response
from mab.comments import queries as comment_queries
from mab.comments.forms import DISPOSITION_LABELS
from mab.permissions import Action, can
from mab.reports import annex as annex_data
from mab.reports.archive import zip_stream
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
    with force_locale(_language(assessment)):
        files = _csv_files(assessment, annex_data.build(assessment, on), full)
    # Compressed and sent member by member; the comment matrix is read as it is written.
    return zip_response(zip_stream(files.items(), folder=f"{assessment.slug}-annex"),
                        f"{assessment.slug}-annex-{on.isoformat()}.zip")


def _csv_files(assessment, data, full) -> dict[str, bytes | Iterator[bytes]]:
    """The annex's CSV files, made now (in the annex's language); the comment matrix, by far the
    largest, as chunks whose rows are read while the archive is sent."""
    board = data["board"]
    genders = list(board_rules.Table.genders)
    files = {
        "board.csv": write_csv(
            ["name", "group", "organisation", "position", "appointed_on", "term_start",
             "term_end"],
            [[m.user.display_name, board["group_names"].get(m.group_id, ""), m.organisation,
              m.position, m.appointed_on, m.term_start, m.term_end] for m in board["members"]]),
        "balance.csv": write_csv(["group", *genders, "total"], table_rows(board["table"], full)),
        "balance_checks.csv": write_csv(
            ["check", "met", "finding", "remedy"],
            [[c.code, "yes" if c.ok else "no", finding, remedy]
             for c, finding, remedy in board["explained"]]),
        "meetings.csv": write_csv(
            ["date", "title", "kind", "invited", "present", "absent", "excused"],
            [[m["meeting"].starts_at.date(), m["meeting"].title, m["meeting"].kind, m["invited"],
              m["present"], m["absent"], m["excused"]] for m in data["meetings"]]),
        "attendance.csv": write_csv(
            ["date", "meeting", "group", *genders, "total"],
            [[m["meeting"].starts_at.date(), m["meeting"].title, *row]
             for m in data["meetings"] for row in table_rows(m["table"], full)]),
        "consultations.csv": write_csv(
            ["draft", "versions_circulated", "first_circulated", "last_deadline", "comments",
             "replies", "accepted", "partly_accepted", "not_accepted", "noted", "open",
             "withdrawn"],
            [[c.title, ", ".join(str(v.number) for v in c.circulated),
              c.circulated[0].circulated_at.date(), c.circulated[-1].deadline, c.comments, c.replies,
              c.dispositions["accepted"], c.dispositions["partly_accepted"],
              c.dispositions["not_accepted"], c.dispositions["noted"], c.open, c.withdrawn]
             for c in data["consultations"]]),
        "comments.csv": comment_queries.matrix_csv(assessment, comment_queries.MatrixFilters()),
        "validation_rounds.csv": write_csv(
            ["draft", "version", "sha256", "opened", "deadline", "closed", "outcome",
             "conditions", "early_close_reason", "workshop", "audit_event", "audit_head"],
            [[v["round"].version.draft.title, v["round"].version.number,
              v["round"].version_sha256, v["round"].opened_at.date(), v["round"].deadline,
              v["round"].closed_at.date() if v["round"].closed_at else "",
              "" if v["round"].is_open else ("validated" if v["round"].passed else
                                             "not validated"),
              " ".join(condition_text(c) for c in (v["round"].result or {}).get(
                  "conditions", [])),
              v["round"].close_reason,
              {True: "held", False: "not held"}.get(v["round"].workshop_held, ""),
              v["round"].audit_count if v["round"].audit_count is not None else "",
              v["round"].audit_head or ""]
             for v in data["validation"]]),
        "signoffs.csv": write_csv(
            ["draft", "version", "member", "group", "decision", "statement", "date",
             "recorded_at_meeting"],
            [[v["round"].version.draft.title, v["round"].version.number,
              s.membership.user.display_name,
              board["group_names"].get(s.membership.group_id, ""), s.decision, s.statement,
              s.created_at.date(), s.meeting.title if s.meeting else ""]
             for v in data["validation"] for s in v["signoffs"]]),
    }
    return files


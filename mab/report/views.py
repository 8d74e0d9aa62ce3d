"""The assembled report on screen and in print (issue 20 item 2)."""
from flask import Blueprint, Response, g, render_template, request
from flask_babel import get_locale

from mab.assessments.access import assessment_view
from mab.permissions import Action, can
from mab.report import queries as report_queries
from mab.report import assembly, render, rules

bp = Blueprint("report", __name__, url_prefix="/a/<slug>")
bp.record_once(lambda state: render.register(state.app))


def _language(assessment) -> str:
    return report_queries.language_for(assessment, request.args.get("lang"), str(get_locale()))


@bp.get("/report")
@assessment_view(Action.READ_REPORT)
def show(assessment):
    language = _language(assessment)
    report = assembly.build(assessment, language,
                            team=can(g.membership.role, Action.READ_UNCIRCULATED))
    toc = rules.table_of_contents(report)
    body = render.body_html(report, links=True, toc=toc)
    template = "report/print.html" if request.args.get("print") == "1" else "report/show.html"
    return render_template(template, assessment=assessment, report=report, body=body,
                           language=language, languages=assessment.language_list)


@bp.get("/report/running-title.css")
@assessment_view(Action.READ_REPORT)
def running_title(assessment):
    """The print view's running title: the report's title (the assessment's)."""
    response = Response(rules.running_title_css(assessment.title), mimetype="text/css")
    response.headers["Cache-Control"] = "private, no-store"
    return response

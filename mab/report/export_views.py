"""The report as Word and its open data as a ZIP (issue 20 item 2): GET /a/<slug>/report.docx
and GET /a/<slug>/report-data.zip, for every reader of the report.

The DOCX of a research-team member is the team's working copy, with a marked placeholder for
each indicator without a validated finding; ``?public=1`` gives them the copy without
placeholders, the one to hand to a publisher (what board members and observers always get).
Both are in ``?lang=`` when it is one of the assessment's content languages, else in the
reader's language when it is one, else in the first."""
from flask import Blueprint, Response, g, request
from flask_babel import get_locale

from mab.assessments.access import assessment_view
from mab.downloads import ZIP_TYPE, attachment
from mab.links import absolute_url
from mab.permissions import Action, can
from mab.report import queries as report_queries
from mab.report import assembly, docx, opendata

bp = Blueprint("report_export", __name__, url_prefix="/a/<slug>")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _language(assessment) -> str:
    return report_queries.language_for(assessment, request.args.get("lang"), str(get_locale()))


@bp.get("/report.docx")
@assessment_view(Action.READ_REPORT)
def report_docx(assessment):
    language = _language(assessment)
    team = can(g.membership.role, Action.READ_UNCIRCULATED) and request.args.get("public") != "1"
    report = assembly.build(assessment, language, team=team)
    if not team:
        report = report.public()
    slug = assessment.slug
    blob = docx.render(report, assembled_on=assessment.today(), certificate_url=lambda p:
                       absolute_url("validation.certificate", slug=slug, round_id=p.round_id))
    suffix = "-team" if team else ""
    return Response(blob, content_type=DOCX_TYPE,
                    headers=attachment(f"{slug}-report-{language}{suffix}.docx"))


@bp.get("/report-data.zip")
@assessment_view(Action.READ_REPORT)
def report_data(assessment):
    language = _language(assessment)
    blob = opendata.zip_bytes(opendata.collect(assessment, language=language))
    return Response(blob, content_type=ZIP_TYPE,
                    headers=attachment(f"{assessment.slug}-report-data-{language}.zip"))

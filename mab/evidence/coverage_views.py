"""Pages of the coverage dashboard and its CSV (issue 19)."""
from flask import Blueprint, current_app, render_template, request, url_for

from mab.assessments.access import assessment_view
from mab.csvio import write_csv
from mab.downloads import csv_response
from mab.evidence import coverage, coverage_queries
from mab.permissions import Action

bp = Blueprint("coverage", __name__, url_prefix="/a/<slug>")


def evidence_link(slug: str):
    """item id -> the address of the indicator's evidence page (the evidence register's)."""
    if "evidence.indicator" in current_app.view_functions:
        return lambda item_id: url_for("evidence.indicator", slug=slug, item_id=item_id)
    root = request.script_root
    return lambda item_id: f"{root}/a/{slug}/framework/{item_id}/evidence"


@bp.get("/evidence")
@assessment_view(Action.READ_EVIDENCE)
def index(assessment):
    return render_template("evidence/coverage.html", assessment=assessment,
                           evidence_link=evidence_link(assessment.slug),
                           data_labels=coverage.DATA_LABELS,
                           finding_labels=coverage.FINDING_LABELS,
                           gap_labels=coverage.GAP_LABELS, coverage_bar=coverage.data_bar,
                           **coverage_queries.dashboard(assessment, request.args))


@bp.get("/evidence.csv")
@assessment_view(Action.READ_EVIDENCE)
def export(assessment):
    rows = coverage_queries.rows(assessment)
    return csv_response(write_csv(coverage.CSV_HEADER, [coverage.csv_cells(r) for r in rows]),
                        f"{assessment.slug}-evidence.csv")


@bp.get("/evidence-gaps.csv")
@assessment_view(Action.READ_EVIDENCE)
def gaps_export(assessment):
    found = coverage.gaps(coverage_queries.rows(assessment))
    return csv_response(write_csv(coverage.GAPS_CSV_HEADER,
                                  [coverage.gap_csv_cells(g) for g in found]),
                        f"{assessment.slug}-evidence-gaps.csv")

"""Pages of the recommendations register, each recommendation's details, CSV (issue 19)."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from mab import i18n
from mab.assessments.access import assessment_view
from mab.board import queries as board_queries
from mab.boundary import form_errors
from mab.csvio import iter_csv
from mab.downloads import csv_response
from mab.drafts import queries as draft_queries
from mab.permissions import Action, can
from mab.recommendations import queries
from mab.recommendations import register_queries as reads
from mab.recommendations import rules, services
from mab.recommendations.forms import RecommendationForm, ReviseForm, fill_choices
from mab.recommendations.models import PRIORITY_LABELS, TIME_FRAME_LABELS
from mab.templating import version_status

bp = Blueprint("recommendations", __name__, url_prefix="/a/<slug>")

EVIDENCE_RULE = "/a/<slug>/framework/<int:item_id>/evidence"
LABELS = {"priority": PRIORITY_LABELS, "time_frame": TIME_FRAME_LABELS}


def _evidence_endpoint() -> str | None:
    """The endpoint of an indicator's evidence page (the evidence feature's), to link the
    indicators a recommendation rests on; None while there is none."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule == EVIDENCE_RULE and "GET" in (rule.methods or ()):
            return rule.endpoint
    return None


def _editor() -> bool:
    return can(g.membership.role, Action.EDIT_EVIDENCE)


def _filters_args(filters: rules.Filters) -> dict:
    return {k: v for k, v in (("group", filters.group), ("category", filters.category),
                              ("priority", filters.priority),
                              ("time_frame", filters.time_frame)) if v is not None}


def _register(assessment):
    groups = board_queries.groups(assessment)
    categories = queries.categories(assessment)
    filters = reads.parse_filters(request.args, groups, categories)
    role = g.membership.role
    return reads.register(assessment, role, filters), filters


@bp.get("/recommendations")
@assessment_view(Action.READ_EVIDENCE)
def index(assessment):
    register, filters = _register(assessment)
    by = "addressee" if request.args.get("by") == "addressee" else "category"
    page = request.args.get("page", "1")
    shown, page, pages = reads.page_of(register.items, int(page) if page.isdigit() else 1)
    sections = (rules.group_by_addressee(shown, register.groups) if by == "addressee"
                else rules.group_by_category(shown))
    return render_template(
        "recommendations/index.html", assessment=assessment, register=register,
        filters=filters, filter_args=_filters_args(filters), by=by, sections=sections,
        page=page, pages=pages, editor=_editor(), labels=LABELS,
        evidence_endpoint=_evidence_endpoint())


def _names(objects, assessment) -> str:
    return "; ".join(i18n.display_name(o, assessment) for o in objects)


@bp.get("/recommendations.csv")
@assessment_view(Action.READ_EVIDENCE)
def export(assessment):
    register, _filters = _register(assessment)
    header = ["draft", "version", "paragraph", "text", "addressees", "categories", "indicators",
              "findings", "priority", "time_frame", "responsible", "status"]
    rows = []
    for item in register.items:
        d = item.details
        status = register.statuses.get(item.version.id)
        rows.append([
            item.draft.title, item.version.number,
            register.numbers[(item.version.id, item.block_id)], item.text,
            _names(d.groups, assessment) if d else "",
            _names(rules.categories_of(d), assessment),
            "; ".join(i.code for i in d.indicators) if d else "",
            "; ".join(f.title for f in d.findings) if d else "",
            str(PRIORITY_LABELS[str(d.priority)]) if d else "",
            str(TIME_FRAME_LABELS[str(d.time_frame)]) if d else "",
            d.responsible if d else "",
            version_status(status) if status else ""])
    return csv_response(iter_csv(header, rows), f"{assessment.slug}-recommendations.csv")


def _fill(form, assessment, chosen=None):
    fill_choices(form, assessment, groups=board_queries.groups(assessment),
                 indicators=reads.indicators(assessment), findings=reads.findings(assessment),
                 chosen=chosen)


def _details(form) -> dict:
    return dict(group_ids=form.groups.data or [], indicator_ids=form.indicators.data or [],
                finding_ids=form.findings.data or [], priority=form.priority.data,
                time_frame=form.time_frame.data, responsible=form.responsible.data or "")


@bp.route("/recommendations/new", methods=["GET", "POST"])
@assessment_view(Action.EDIT_EVIDENCE)
def new(assessment):
    form = RecommendationForm()
    _fill(form, assessment)
    drafts = reads.editable_drafts(assessment)
    form.draft_id.choices = [(d.id, d.title) for d in drafts]
    frozen = {d.id for d in drafts if d.versions and d.versions[-1].frozen}
    if form.validate_on_submit():
        chosen = next((d for d in drafts if d.id == form.draft_id.data), None)
        with form_errors(form, "text"):
            row = services.add_recommendation(
                assessment, text=form.text.data or "", change_summary=form.change_summary.data
                or "", actor=current_user, draft=chosen, **_details(form))
            flash(_("The recommendation is added to version %(n)d of “%(title)s”.",
                    n=row.version.number, title=row.version.draft.title), "success")
            return redirect(url_for("recommendations.show", slug=assessment.slug,
                                    draft_id=row.version.draft_id, block_id=row.block_id))
    return render_template("recommendations/new.html", assessment=assessment, form=form,
                           drafts=drafts, frozen=frozen), 422 if form.errors else 200


def _draft(assessment, draft_id):
    draft = draft_queries.draft_or_404(assessment, draft_id, g.membership.role)
    if draft.subject != "recommendations":
        abort(404)
    return draft


@bp.get("/recommendations/<int:draft_id>/<block_id>")
@assessment_view(Action.READ_EVIDENCE)
def show(assessment, draft_id, block_id):
    draft = _draft(assessment, draft_id)
    one = reads.recommendation(assessment, g.membership.role, draft, block_id)
    if one is None:
        abort(404)
    return render_template("recommendations/show.html", assessment=assessment, one=one,
                           draft=draft, editor=_editor(), labels=LABELS,
                           evidence_endpoint=_evidence_endpoint())


@bp.route("/recommendations/<int:draft_id>/<block_id>/details", methods=["GET", "POST"])
@assessment_view(Action.EDIT_EVIDENCE)
def details(assessment, draft_id, block_id):
    draft = _draft(assessment, draft_id)
    working = draft.versions[-1]
    found = reads.paragraph(working, block_id)
    if found is None:
        abort(404)
    number, text = found
    current = queries.details_of([working.id]).get((working.id, block_id))
    form = ReviseForm()
    if request.method == "GET" and current is not None:
        form.groups.data = [group.id for group in current.groups]
        form.indicators.data = [i.id for i in current.indicators]
        form.findings.data = [f.id for f in current.findings]
        form.priority.data = str(current.priority)
        form.time_frame.data = str(current.time_frame)
        form.responsible.data = current.responsible
    _fill(form, assessment, chosen=[group.id for group in current.groups] if current else None)
    if form.validate_on_submit():
        with form_errors(form, "groups"):
            row = services.revise_details(
                assessment, draft, block_id, change_summary=form.change_summary.data or "",
                actor=current_user, **_details(form))
            flash(_("The details are saved in version %(n)d.", n=row.version.number), "success")
            return redirect(url_for("recommendations.show", slug=assessment.slug,
                                    draft_id=draft.id, block_id=block_id))
    return render_template("recommendations/details.html", assessment=assessment, form=form,
                           draft=draft, version=working, number=number, text=text,
                           block_id=block_id), 422 if form.errors else 200

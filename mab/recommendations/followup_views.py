"""Pages of follow-up updates, the follow-up dashboard and the annual report (issue 19)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mab import i18n
from mab.assessments.access import assessment_view, require
from mab.boundary import flash_errors, form_errors
from mab.confirmation import confirm_page, confirmed
from mab.csvio import write_csv
from mab.downloads import csv_response
from mab.evidence import files
from mab.links import absolute_url
from mab.loaders import get_or_404
from mab.permissions import Action
from mab.recommendations import followup as rules
from mab.recommendations import followup_queries as queries
from mab.recommendations import followup_services as services
from mab.recommendations import queries as recommendation_queries
from mab.recommendations.followup_forms import UpdateForm
from mab.recommendations.models import (
    FOLLOW_UP_LABELS,
    UPDATE_STATE_LABELS,
    FollowUpUpdate,
    UpdateState,
)

bp = Blueprint("followup", __name__, url_prefix="/a/<slug>")


def _render(template: str, **context):
    return render_template(template, follow_up_labels=FOLLOW_UP_LABELS,
                           update_state_labels=UPDATE_STATE_LABELS, **context)


@bp.app_template_global("follow_up_url")
def follow_up_url(draft_id: int, block_id: str) -> str | None:
    """The follow-up page of a recommendation (draft, paragraph) when it is validated, for the
    register's recommendation page (recommendations/_recommendation_extra.html); None
    otherwise. One query a page."""
    assessment = g.get("assessment")
    if assessment is None:
        return None
    validated = g.get("_followup_validated")
    if validated is None:
        validated = g._followup_validated = {
            (v.draft_id, b["id"]) for v in recommendation_queries.validated_versions(assessment)
            for b in v.blocks or []}
    if (draft_id, block_id) not in validated:
        return None
    return url_for("followup.recommendation", slug=assessment.slug, draft_id=draft_id,
                   block_id=block_id)


@bp.get("/recommendations/follow-up")
@assessment_view(Action.READ_EVIDENCE)
def dashboard(assessment):
    return _render("recommendations/followup.html",
                           **queries.dashboard_page(assessment, g.membership))


@bp.route("/recommendations/<int:draft_id>/<block_id>/follow-up", methods=["GET", "POST"])
@assessment_view(Action.READ_EVIDENCE)
def recommendation(assessment, draft_id, block_id):
    """A validated recommendation's history of updates, and the form to report one."""
    form = UpdateForm()
    if request.method == "POST":
        require(Action.PROPOSE_FOLLOW_UP)
        if form.validate_on_submit():
            upload = form.file.data
            named = upload is not None and bool(getattr(upload, "filename", ""))
            with form_errors(form, "status"):
                update = services.report_update(
                    assessment, draft_id, block_id, status=form.status.data,
                    reported_on=form.reported_on.data, note=form.note.data or "",
                    evidence_url=form.evidence_url.data or "",
                    filename=upload.filename if named else None,
                    data=upload.read() if named else None, membership=g.membership)
                flash(_("The update is recorded.") if update.state == UpdateState.CONFIRMED
                      else _("The update is sent to the coordinator, who confirms it."),
                      "success")
                return redirect(url_for("followup.recommendation", slug=assessment.slug,
                                        draft_id=draft_id, block_id=block_id))
    elif not form.reported_on.data:
        form.reported_on.data = assessment.today()
    context = queries.recommendation_page(assessment, g.membership, draft_id, block_id)
    return _render("recommendations/followup_recommendation.html", form=form,
                           **context), 422 if form.errors else 200


def _back(assessment, update):
    if request.form.get("back") == "recommendation":
        return url_for("followup.recommendation", slug=assessment.slug,
                       draft_id=update.draft_id, block_id=update.block_id)
    return url_for("followup.dashboard", slug=assessment.slug) + "#waiting"


@bp.post("/follow-up/<int:update_id>/confirm")
@assessment_view(Action.CONFIRM_FOLLOW_UP)
def confirm(assessment, update_id):
    update = get_or_404(FollowUpUpdate, update_id, assessment)
    back = _back(assessment, update)
    with flash_errors():
        services.confirm_update(update, assessment, actor=current_user)
        flash(_("The update is confirmed: it now counts in the follow-up."), "success")
    return redirect(back)


@bp.post("/follow-up/<int:update_id>/decline")
@assessment_view(Action.CONFIRM_FOLLOW_UP)
def decline(assessment, update_id):
    """Without ``confirm=1``: the confirmation page (declining is final); with it: declined."""
    update = get_or_404(FollowUpUpdate, update_id, assessment)
    back = _back(assessment, update)
    if not confirmed():
        if update.state != UpdateState.PROPOSED:
            flash(_("This update is already confirmed or declined."), "error")
            return redirect(back)
        reporter = update.reported_by.user.display_name if update.reported_by else "—"
        return confirm_page(
            title=_("Decline the update of %(date)s?", date=i18n.date_filter(update.reported_on)),
            assessment=assessment,
            consequences=[
                _("%(person)s reported “%(status)s” as of %(date)s; it will not count in the "
                  "follow-up, and it cannot be confirmed later.", person=reporter,
                  status=FOLLOW_UP_LABELS[update.status.value],
                  date=i18n.date_filter(update.reported_on)),
                _("It stays on record, seen by the research team and by %(person)s only.",
                  person=reporter)],
            action=url_for("followup.decline", slug=assessment.slug, update_id=update.id),
            hidden={"back": request.form.get("back", "")}, confirm_label=_("Decline"),
            back_url=back)
    with flash_errors():
        services.decline_update(update, assessment, actor=current_user)
        flash(_("The update is declined: it stays on record and does not count."), "success")
    return redirect(back)


@bp.get("/follow-up/<int:update_id>/file")
@assessment_view(Action.READ_EVIDENCE)
def file(assessment, update_id):
    """An update's evidence file; a declined update's only for the research team and its
    reporter (as the update itself)."""
    update = get_or_404(FollowUpUpdate, update_id, assessment)
    if not update.has_file or not queries.sees_declined(g.membership, update):
        abort(404)
    return files.download(update)


@bp.get("/recommendations/follow-up/<int:year>")
@assessment_view(Action.READ_EVIDENCE)
def annual(assessment, year):
    return _render("recommendations/followup_annual.html",
                           **queries.annual_page(assessment, g.membership, year))


CSV_HEADER = ["draft", "version", "recommendation", "text", "addressees", "categories",
              "responsible", "validated_on", "status_at_year_end", "status_as_of",
              "updates_in_year", "updates", "link"]


@bp.get("/recommendations/follow-up/<int:year>.csv")
@assessment_view(Action.READ_EVIDENCE)
def annual_csv(assessment, year):
    """The annual report as a spreadsheet: one line per validated recommendation."""
    page = queries.annual_page(assessment, g.membership, year)
    no_update = _("No update yet")

    def label(status):
        return str(FOLLOW_UP_LABELS[status]) if status else no_update

    def update_line(u):
        return " | ".join([f"{u.reported_on.isoformat()} {label(str(u.status))}",
                           *(p for p in (u.note, u.evidence_url, u.file_name) if p)])

    rows = []
    for rec, row in page["lines"]:
        details = rec.item.details
        rows.append([
            rec.item.draft.title, rec.item.version.number, rec.number, rec.item.text,
            "; ".join(i18n.display_name(grp, assessment) for grp in rules.groups_of(rec.item)),
            "; ".join(i18n.display_name(c, assessment) for c in rules.category_of(rec.item)),
            details.responsible if details is not None else "",
            rec.validated_on.isoformat() if rec.validated_on else "",
            label(row.status), row.standing.reported_on.isoformat() if row.standing else "",
            len(row.updates), "\n".join(update_line(u) for u in row.updates),
            absolute_url("followup.recommendation", slug=assessment.slug,
                         draft_id=rec.item.draft.id, block_id=rec.item.block_id)])
    return csv_response(write_csv(CSV_HEADER, rows),
                        f"follow-up-{assessment.slug}-{year}.csv")

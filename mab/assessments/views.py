from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from mab.assessments import queries, rules, services
from mab.assessments.access import assessment_view
from mab.assessments.home import home_page
from mab.assessments.forms import AssessmentForm, InviteForm
from mab.assessments.models import Membership, Role
from mab.auth import services as auth_services
from mab.boundary import flash_errors, form_errors, transactional
from mab.forms import CsrfForm
from mab.drafts import queries as draft_queries
from mab.extensions import db
from mab.loaders import get_or_404, own_or_404
from mab.permissions import Action, can
from mab.types import utcnow
from mab.visits import rules as visit_rules
from mab.visits import services as visit_services

bp = Blueprint("assessments", __name__)


@bp.get("/")
@login_required
def index():
    def order(m):
        return (-m.assessment.year, m.assessment.title)

    memberships = sorted(current_user.active_memberships, key=order)
    pending = sorted(current_user.pending_memberships, key=order)
    if len(memberships) == 1 and not pending and not current_user.is_site_admin:
        return redirect(url_for("assessments.home", slug=memberships[0].assessment.slug))
    return render_template("assessments/index.html", memberships=memberships, pending=pending,
                           phases=_phases([m.assessment for m in memberships]))


def _phases(assessments) -> dict[int, str]:
    """Assessment id -> the phase shown, from its versions' statuses (one query for all)."""
    statuses = draft_queries.circulated_statuses(assessments)
    return {a.id: rules.shown_phase(a.phase, (s.code for s in statuses[a.id].values()))
            for a in assessments}


@bp.post("/invitations/<int:membership_id>/send-again")
@login_required
@transactional
def send_my_invitation_again(membership_id):
    """A pending membership is accepted with its own emailed link; this sends that link again."""
    membership = own_or_404(Membership, membership_id, current_user)
    if CsrfForm().validate_on_submit():
        with flash_errors():
            auth_services.resend_own_invitation(current_user, membership)
            flash(_("We have sent the invitation link again to %(email)s.",
                    email=current_user.email), "success")
    return redirect(url_for("assessments.index"))


@bp.route("/admin/assessments", methods=["GET", "POST"])
@login_required
@transactional
def admin():
    if not current_user.is_site_admin:
        abort(403)
    form = AssessmentForm()
    status = 200
    if form.validate_on_submit():
        with form_errors(form, "slug"):
            assessment = services.create_assessment(
                title=form.title.data, slug=form.slug.data, country=form.country.data,
                year=form.year.data, timezone=form.timezone.data, languages=form.languages.data,
                coordinator_email=form.coordinator_email.data,
                coordinator_name=form.coordinator_name.data, actor=current_user)
            flash(_("Assessment “%(title)s” created; its coordinator has been invited.",
                    title=assessment.title), "success")
            return redirect(url_for("assessments.admin"))
    if form.errors:
        status = 422
    page = db.paginate(queries.assessments_with_coordinators(), per_page=50, error_out=False)
    coordinators = queries.coordinators_by_assessment([a.id for a in page.items])
    return render_template("assessments/admin.html", form=form, page=page,
                           coordinators=coordinators), status


@bp.get("/a/<slug>/")
@assessment_view(Action.VIEW)
def home(assessment):
    """Each role's work first (``rules.home_cards``), and what is new since the last visit."""
    now = utcnow()
    visit = visit_services.record_visit(g.membership, visit_rules.HOME, now)
    return render_template("assessments/home.html",
                           **home_page(assessment, g.membership, now, visit.since))


@bp.get("/a/<slug>/people")
@assessment_view(Action.VIEW_TEAM)
def people(assessment):
    page = db.paginate(queries.team(assessment), per_page=100, error_out=False)
    form = InviteForm(language=assessment.language_list[0]) if can(
        current_membership_role(), Action.MANAGE_BOARD) else None
    return render_template("assessments/people.html", assessment=assessment, page=page, form=form)


@bp.post("/a/<slug>/people")
@assessment_view(Action.MANAGE_BOARD)
def invite(assessment):
    form = InviteForm()
    if form.validate_on_submit():
        with form_errors(form, "email"):
            membership = services.invite_person(
                assessment, email=form.email.data, name=form.name.data,
                role=Role(form.role.data), actor=current_user, language=form.language.data)
            flash(_("%(email)s has been invited.", email=membership.user.email), "success")
            return redirect(url_for("assessments.people", slug=assessment.slug))
    page = db.paginate(queries.team(assessment), per_page=100, error_out=False)
    return render_template("assessments/people.html", assessment=assessment, page=page,
                           form=form), 422


@bp.post("/a/<slug>/people/<int:membership_id>/resend")
@assessment_view(Action.MANAGE_BOARD)
def resend(assessment, membership_id):
    membership = get_or_404(Membership, membership_id, assessment)
    with flash_errors():
        services.resend_invitation(membership, actor=current_user)
        flash(_("A new invitation has been sent to %(email)s.", email=membership.user.email),
              "success")
    return redirect(url_for("assessments.people", slug=assessment.slug))


def current_membership_role():
    from flask import g
    membership = g.get("membership")
    return membership.role if membership is not None else None

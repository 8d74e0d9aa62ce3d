from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.validators import InputRequired, Length

from mab import i18n
from mab.assessments.access import assessment_view
from mab.assessments.models import Membership
from mab.assessments.queries import with_person
from mab.board import queries as board_queries
from mab.board import rules as board_rules
from mab.boundary import add_field_error, domain_errors, flash_errors, form_errors
from mab.drafts.models import Circulation, Draft, DraftVersion
from mab.errors import DomainError
from mab.extensions import db
from mab.loaders import get_or_404, get_scoped
from mab.forms import CsrfForm
from mab.meetings.models import Meeting, MeetingKind
from mab.permissions import Action, can
from mab.validation import queries as validation_queries
from mab.validation import rules, services
from mab.validation.forms import (
    DECISION_LABELS,
    EARLY_REASON_REQUIRED,
    WORKSHOP_CHOICE_REQUIRED,
    CloseForm,
    OnBehalfForm,
    OpenRoundForm,
    SignForm,
)
from mab.validation.models import SignOff, ValidationRound

bp = Blueprint("validation", __name__, url_prefix="/a/<slug>")
ROUNDS_PER_PAGE = 50   # the rounds list, newest first


def _round(assessment, round_id) -> ValidationRound:
    return get_or_404(
        ValidationRound, round_id, assessment,
        selectinload(ValidationRound.signoffs).options(
            selectinload(SignOff.membership).options(*with_person()),
            selectinload(SignOff.recorded_by).joinedload(Membership.user),
            selectinload(SignOff.meeting)),
        joinedload(ValidationRound.version).joinedload(DraftVersion.draft))


def _meetings(assessment):
    """(id, label) of the assessment's meetings, validation workshops first, newest first."""
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at, Meeting.kind)
        .where(Meeting.assessment_id == assessment.id)
        .order_by(Meeting.starts_at.desc())).all()
    rows = sorted(rows, key=lambda m: m.kind != MeetingKind.VALIDATION_WORKSHOP)
    return [(m.id, f"{m.title} ({i18n.date_filter(m.starts_at)})") for m in rows]


def _candidates(assessment) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(DraftVersion.id, DraftVersion.number, DraftVersion.draft_id, Draft.title)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .join(Circulation, Circulation.version_id == DraftVersion.id)
        .where(Draft.assessment_id == assessment.id)
        .order_by(Draft.title, DraftVersion.number)).all()
    taken = set(db.session.scalars(select(ValidationRound.version_id).where(
        ValidationRound.assessment_id == assessment.id)))
    titles = {r.id: r.title for r in rows}
    chosen = rules.validation_candidates(
        rules.VersionFacts(r.id, r.draft_id, r.number, circulated=True, has_round=r.id in taken)
        for r in rows)
    return [(v.id, _("%(title)s, version %(n)d", title=titles[v.id], n=v.number)) for v in chosen]


def _open_form(assessment, form=None):
    form = form or OpenRoundForm(formdata=None)
    form.version_id.choices = [(None, "—")] + _candidates(assessment)
    form.meeting_id.choices = [(None, "—")] + _meetings(assessment)
    return form


def _groups(assessment) -> dict[int, str]:
    return {grp.id: grp.name for grp in board_queries.rule_groups(assessment)}


@bp.route("/validation", methods=["GET", "POST"])
@assessment_view(Action.READ_CIRCULATED)
def index(assessment):
    manager = can(g.membership.role, Action.MANAGE_VALIDATION)
    form = None
    without, draft_page, responses = [], None, None   # comments the policy wants answered first
    if manager:
        form = _open_form(assessment, OpenRoundForm() if request.method == "POST" else None)
    if request.method == "POST":
        if not manager:
            abort(403)
        if form.validate_on_submit():
            version = get_scoped(DraftVersion, form.version_id.data, assessment)
            with domain_errors() as opening:
                if version is None:
                    raise DomainError(_("Choose a circulated version."), field="version_id")
                round_ = services.open_round(
                    version, assessment, deadline=form.deadline.data,
                    meeting_id=form.meeting_id.data, actor=current_user,
                    end_consultation=request.form.get("confirm_end") == "1")
                flash(_("The round is open and the active board members are told."), "success")
                return redirect(url_for("validation.show", slug=assessment.slug,
                                        round_id=round_.id))
            if isinstance(opening.error, services.ConsultationStillOpen):
                return render_template("validation/end_consultation.html",
                                       assessment=assessment, facts=opening.error, form=form)
            if isinstance(opening.error, services.CommentsWithoutDisposition):
                without = opening.error.comments
                draft_page = url_for("drafts.version", slug=assessment.slug,
                                     draft_id=version.draft_id, number=version.number)
                responses = url_for("comments.responses", slug=assessment.slug,
                                    draft_id=version.draft_id)
            form = _open_form(assessment, form)
            add_field_error(form, opening.error.field or "version_id", opening.error.message,
                            default="version_id")
    page = db.paginate(
        select(ValidationRound).where(ValidationRound.assessment_id == assessment.id)
        .options(validation_queries.with_titles())
        .order_by(ValidationRound.opened_at.desc(), ValidationRound.id.desc()),
        page=request.args.get("page", 1, type=int), per_page=ROUNDS_PER_PAGE, error_out=False)
    rounds = page.items
    # Counted, not loaded: a large board's rounds hold tens of thousands of sign-offs.
    ids = [r.id for r in rounds]
    counts = validation_queries.current_decision_counts(assessment, ids)
    answered = {r.id: counts[r.id].total() for r in rounds}   # a Counter per round
    mine = {}
    if g.membership.is_active_board_member:
        given = validation_queries.current_decisions_of(assessment, g.membership.id, ids)
        mine = {r.id: given.get(r.id) for r in rounds}
    status = 422 if form is not None and form.errors else 200
    return render_template("validation/index.html", assessment=assessment, rounds=rounds,
                           page=page, form=form, mine=mine, answered=answered,
                           decision_labels=DECISION_LABELS,
                           without=without, draft_page=draft_page, responses=responses), status


def _progress(round_, members, groups, assessment):
    current = {s.membership_id: s for s in round_.signoffs if s.superseded_at is None}
    seat_of = board_queries.seat_of
    pending = None if round_.is_open else services.did_not_respond(round_, assessment)
    return {
        "active_table": board_rules.group_gender_table([seat_of(m) for m in members], groups),
        "responded_table": board_rules.group_gender_table(
            [seat_of(m) for m in members if m.id in current], groups),
        # A closed round lists whom it recorded as not responding, not today's board.
        "pending": pending if pending is not None else
        [m for m in members if m.id not in current],
        "current": current,
    }


def _page(assessment, round_, *, sign_form=None, behalf_form=None, status=200):
    membership = g.membership
    manager = can(membership.role, Action.MANAGE_VALIDATION)
    signer = can(membership.role, Action.SIGN_OFF) and membership.is_active_board_member
    mine = services.current_signoff(round_, membership.id)
    history = [s for s in round_.signoffs if s.membership_id == membership.id]
    if signer and round_.is_open and sign_form is None:
        sign_form = SignForm(formdata=None, decision=str(mine.decision) if mine else None,
                             statement=mine.statement if mine else "")
    if sign_form is not None:
        sign_form.sha256.data = round_.version_sha256
        sign_form.replaces.data = str(mine.id) if mine else ""
    members = groups = live = None
    if manager:   # the active board and the groups, read once for the forms, outcome, tables
        members = services.active_members(assessment)
        groups = board_queries.rule_groups(assessment)
    if manager and round_.is_open:
        behalf_form = behalf_form or OnBehalfForm(formdata=None)
        behalf_form.membership_id.choices = [(None, "—")] + [
            (m.id, m.user.display_name) for m in members]
        behalf_form.meeting_id.choices = [(None, "—")] + _meetings(assessment)
        live = rules.as_dict(services.compute(round_, assessment,
                                              {grp.id: grp.name for grp in groups}, members))
    outcome = None if round_.is_open else round_.result
    return render_template(
        "validation/show.html", assessment=assessment, round=round_, version=round_.version,
        draft=round_.version.draft, manager=manager, signer=signer, mine=mine, history=history,
        sign_form=sign_form if signer and round_.is_open else None, behalf_form=behalf_form,
        remind_form=CsrfForm() if manager else None,
        superseded=services.superseded_by(round_.version), outcome=outcome, live=live,
        rule=rules.Rule.from_snapshot(round_.rule), decision_labels=DECISION_LABELS,
        progress=_progress(round_, members, groups, assessment) if manager else None,
        responded=len({s.membership_id for s in round_.signoffs if s.superseded_at is None}),
        manifest=rules.manifest_summaries(round_.editions), today=assessment.today()), status


@bp.get("/validation/<int:round_id>")
@assessment_view(Action.READ_CIRCULATED)
def show(assessment, round_id):
    return _page(assessment, _round(assessment, round_id))


@bp.post("/validation/<int:round_id>/sign")
@assessment_view(Action.SIGN_OFF)
def sign(assessment, round_id):
    round_ = _round(assessment, round_id)
    form = SignForm()
    if form.validate_on_submit():
        with domain_errors() as signing:
            replaces = int(form.replaces.data) if (form.replaces.data or "").isdigit() else None
            services.sign(round_, assessment, g.membership, decision=form.decision.data,
                          statement=form.statement.data, seen_sha256=form.sha256.data,
                          replaces=replaces)
            flash(_("Your decision is recorded."), "success")
            return redirect(url_for("validation.show", slug=assessment.slug, round_id=round_id))
        error = signing.error
        if not error.field:
            flash(str(error.message), "error")
            return redirect(url_for("validation.show", slug=assessment.slug, round_id=round_id))
        round_ = _round(assessment, round_id)
        add_field_error(form, error.field, error.message)
    return _page(assessment, round_, sign_form=form, status=422)


@bp.post("/validation/<int:round_id>/on-behalf")
@assessment_view(Action.MANAGE_VALIDATION)
def on_behalf(assessment, round_id):
    round_ = _round(assessment, round_id)
    form = OnBehalfForm()
    form.membership_id.choices = [(None, "—")] + [
        (m.id, m.user.display_name) for m in services.active_members(assessment)]
    form.meeting_id.choices = [(None, "—")] + _meetings(assessment)
    if form.validate_on_submit():
        member = db.session.get(Membership, form.membership_id.data)
        with form_errors(form, "membership_id"):
            if member is None:
                raise DomainError(_("Choose the member."), field="membership_id")
            services.record_on_behalf(round_, assessment, g.membership, member,
                                      decision=form.decision.data,
                                      statement=form.statement.data,
                                      meeting_id=form.meeting_id.data)
            flash(_("The decision is recorded on the member's behalf."), "success")
            return redirect(url_for("validation.show", slug=assessment.slug, round_id=round_id))
        round_ = _round(assessment, round_id)
    return _page(assessment, round_, behalf_form=form, status=422)


@bp.post("/validation/<int:round_id>/remind")
@assessment_view(Action.MANAGE_VALIDATION)
def remind(assessment, round_id):
    round_ = _round(assessment, round_id)
    if CsrfForm().validate_on_submit():
        with flash_errors():
            count = services.remind(round_, assessment, actor=current_user)
            flash(_("%(n)d reminders are in the outbox.", n=count), "success")
    return redirect(url_for("validation.show", slug=assessment.slug, round_id=round_id))


def _close_page(assessment, round_, form=None, status=200):
    """The confirmation: the figures the outcome will have, the deadline, who has not
    responded, the reason when early and the choice about a workshop not held."""
    groups = _groups(assessment)
    preview = services.close_preview(round_, assessment, groups)
    form = form or CloseForm(formdata=None)
    form.seen.data = preview.token
    meeting = round_.meeting
    if meeting is not None and not preview.workshop_held:
        form.workshop.choices = [
            (rules.UNLINK_WORKSHOP, _("Close without a workshop: remove the link to “%(title)s”.",
                                      title=meeting.title)),
            (rules.WORKSHOP_NOT_HELD, _("The workshop was not held: the certificate will say "
                                        "“workshop not held”."))]
    not_responded = _by_group(preview.not_responded, lambda m: m,
                              board_queries.groups(assessment))
    return render_template(
        "validation/close.html", assessment=assessment, round=round_, version=round_.version,
        draft=round_.version.draft, form=form, preview=preview,
        outcome=rules.as_dict(preview.outcome), not_responded=not_responded,
        today=assessment.today()), status


def _close_requirements(form, preview, round_) -> None:
    """Make the reason and the workshop choice required when closing needs them, so that every
    missing answer is named at once (close_round() checks them again)."""
    if preview.early:
        form.reason.validators = [InputRequired(EARLY_REASON_REQUIRED),
                                  Length(max=services.MAX_STATEMENT)]
    if round_.meeting is not None and not preview.workshop_held:
        form.workshop.validators = [InputRequired(WORKSHOP_CHOICE_REQUIRED)]
        form.workshop.choices = [(rules.UNLINK_WORKSHOP, ""), (rules.WORKSHOP_NOT_HELD, "")]


@bp.route("/validation/<int:round_id>/close", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_VALIDATION)
def close(assessment, round_id):
    round_ = _round(assessment, round_id)
    if not round_.is_open:
        flash(_("This round is already closed; closing is final."), "error")
        return redirect(url_for("validation.show", slug=assessment.slug, round_id=round_id))
    if request.method == "GET":
        return _close_page(assessment, round_)
    form = CloseForm()
    _close_requirements(form, services.close_preview(round_, assessment, _groups(assessment)),
                        round_)
    if form.validate_on_submit():
        with form_errors(form, "confirm"):
            result = services.close_round(round_, assessment, _groups(assessment),
                                          actor=current_user, reason=form.reason.data,
                                          workshop=form.workshop.data or None,
                                          seen=form.seen.data or None)
            flash(_("The round is closed: the version is validated.") if result.passed else
                  _("The round is closed: the version is not validated."),
                  "success" if result.passed else "error")
            return redirect(url_for("validation.show", slug=assessment.slug, round_id=round_id))
        round_ = _round(assessment, round_id)
    return _close_page(assessment, round_, form, status=422)


@bp.get("/validation/<int:round_id>/certificate")
@assessment_view(Action.READ_CIRCULATED)
def certificate(assessment, round_id):
    round_ = _round(assessment, round_id)
    if round_.is_open:
        flash(_("The certificate is issued when the round is closed."), "error")
        return redirect(url_for("validation.show", slug=assessment.slug, round_id=round_id))
    groups = board_queries.groups(assessment)
    current = [s for s in round_.signoffs if s.superseded_at is None]
    missing = services.did_not_respond(round_, assessment)
    return render_template("validation/certificate.html", assessment=assessment, round=round_,
                           version=round_.version, draft=round_.version.draft,
                           signatories=_by_group(current, lambda s: s.membership, groups),
                           did_not_respond=None if missing is None else
                           _by_group(missing, lambda m: m, groups),
                           rule=rules.Rule.from_snapshot(round_.rule),
                           manifest=rules.manifest_summaries(round_.editions),
                           outcome=round_.result, decision_labels=DECISION_LABELS)


def _by_group(rows, membership_of, groups) -> list[tuple]:
    """(group name or None, rows by name) in the order of the groups, the group-less last."""
    by_group: dict = {}
    for row in sorted(rows, key=lambda r: membership_of(r).user.display_name.lower()):
        by_group.setdefault(membership_of(row).group_id, []).append(row)
    ordered = [(i18n.display_name(grp), by_group.pop(grp.id)) for grp in groups
               if grp.id in by_group]
    return ordered + [(None, rows) for rows in by_group.values()]


import calendar as pycalendar
import hashlib
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from babel import dates as babel_dates
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from mab.assessments.access import assessment_view
from mab.assessments.models import Membership
from mab.auth.models import User
from mab.csvio import iter_csv
from mab.downloads import csv_response
from mab import i18n
from mab.boundary import flash_errors, form_errors, transactional
from mab.confirmation import confirm_page, confirmed
from mab.extensions import db
from mab.markdown import render_markdown
from mab.meetings import ics, queries, rules, services
from mab.meetings.forms import (
    ApproveForm,
    CancelForm,
    InviteesForm,
    MeetingForm,
    MinutesForm,
    RemindForm,
    RsvpForm,
)
from mab.meetings.models import Attendance, Invitation, Meeting, MeetingStatus, Rsvp
from mab.meetings.tokens import read_calendar_token, read_rsvp_token
from mab.permissions import Action, can
from mab.types import utcnow

bp = Blueprint("meetings", __name__)


def _meeting(assessment, meeting_id) -> Meeting:
    return queries.one(meeting_id, assessment)


def _to_utc(local: datetime, tz: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def _to_local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def _manager() -> bool:
    return can(g.membership.role, Action.MANAGE_MEETINGS)


def _member_label(membership: Membership) -> str:
    return membership.user.display_name


# --- lists ------------------------------------------------------------------------------------

@bp.get("/a/<slug>/meetings")
@assessment_view(Action.VIEW_MEETINGS)
def index(assessment):
    now = utcnow()
    upcoming = db.session.scalars(queries.upcoming(assessment, now).limit(100)).all()
    past = db.paginate(queries.past(assessment, now), per_page=20, error_out=False)
    ids = [m.id for m in upcoming] + [m.id for m in past.items]
    month = _month(assessment)
    return render_template(
        "meetings/index.html", assessment=assessment, upcoming=upcoming, past=past,
        counts=queries.answer_counts(ids), mine=queries.my_invitations(g.membership, ids),
        manager=_manager(), month=month)


def _month(assessment):
    tz = ZoneInfo(assessment.timezone)
    today = datetime.now(tz).date()
    try:
        year, month = (int(x) for x in request.args.get("month", "").split("-"))
        if not 1900 <= year <= 2200:
            raise ValueError(year)
        first = today.replace(year=year, month=month, day=1)
    except ValueError:
        first = today.replace(day=1)
    start = datetime(first.year, first.month, 1, tzinfo=tz)
    next_first = (first + timedelta(days=32)).replace(day=1)
    end = datetime(next_first.year, next_first.month, 1, tzinfo=tz)
    meetings = queries.between(assessment, start.astimezone(timezone.utc),
                               end.astimezone(timezone.utc))
    by_day: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.starts_at.astimezone(tz).day, []).append(meeting)
    weeks = pycalendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month)
    previous = (first - timedelta(days=1)).replace(day=1)
    return {"first": first, "weeks": weeks, "by_day": by_day, "today": today,
            "weekdays": weekday_names(),
            "prev": previous.strftime("%Y-%m"), "next": next_first.strftime("%Y-%m")}


def weekday_names() -> list[str]:
    """Monday to Sunday, abbreviated, from the reader's locale data (CLDR via Babel), never
    written by hand: "Mon", "Пн", "Дс"; capitalised as column heads."""
    names = babel_dates.get_day_names("abbreviated", context="stand-alone", locale=get_locale())
    return [names[day][:1].upper() + names[day][1:] for day in range(7)]


# --- scheduling -------------------------------------------------------------------------------

def _fields(form, assessment) -> dict:
    return {"kind": form.kind.data, "title": form.title.data.strip(),
            "starts_at": _to_utc(form.starts_at.data, assessment.timezone),
            "ends_at": _to_utc(form.ends_at.data, assessment.timezone),
            "place": (form.place.data or "").strip(), "online_url": form.online_url.data or "",
            "agenda": form.agenda.data or ""}


@bp.route("/a/<slug>/meetings/new", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_MEETINGS)
def new(assessment):
    form = MeetingForm()
    invitees = InviteesForm(prefix="inv", meta={"csrf": False})   # the meeting form's token covers it
    candidates = services.invitable(assessment)
    invitees.invitees.choices = [(m.id, _member_label(m)) for m in candidates]
    if request.method == "GET":
        invitees.invitees.data = [m.id for m in services.default_invitees(assessment)]
    past_warning = False
    if form.validate_on_submit() and invitees.validate():
        fields = _fields(form, assessment)
        if fields["starts_at"] < utcnow() and not form.confirm_past.data:
            past_warning = True
        else:
            chosen = [m for m in candidates if m.id in set(invitees.invitees.data or [])]
            with form_errors(form, "title"):
                meeting = services.schedule_meeting(assessment, actor=current_user,
                                                    invitees=chosen, **fields)
                if meeting.status == MeetingStatus.HELD:
                    flash(_("The past meeting has been recorded; no invitation was sent."),
                          "success")
                else:
                    flash(_("The meeting is scheduled; %(n)d invitations are in the outbox.",
                            n=len(chosen)), "success")
                return redirect(url_for("meetings.show", slug=assessment.slug,
                                        meeting_id=meeting.id))
    status = 422 if (form.errors or invitees.errors or past_warning) else 200
    return render_template("meetings/form.html", assessment=assessment, form=form,
                           invitees=invitees, meeting=None, past_warning=past_warning), status


@bp.route("/a/<slug>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_MEETINGS)
def edit(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        flash(_("A cancelled meeting cannot be changed."), "error")
        return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))
    form = MeetingForm(obj=meeting)
    if request.method == "GET":
        form.starts_at.data = _to_local(meeting.starts_at, assessment.timezone)
        form.ends_at.data = _to_local(meeting.ends_at, assessment.timezone)
    if form.validate_on_submit():
        with form_errors(form, "title"):
            changes = services.update_meeting(meeting, assessment, actor=current_user,
                                              **_fields(form, assessment))
            if any(f in changes for f in services.SCHEDULE_FIELDS):
                flash(_("Saved; every invitee is sent the updated invitation."), "success")
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))
    status = 422 if form.errors else 200
    return render_template("meetings/form.html", assessment=assessment, form=form,
                           invitees=None, meeting=meeting, past_warning=False), status


@bp.post("/a/<slug>/meetings/<int:meeting_id>/cancel")
@assessment_view(Action.MANAGE_MEETINGS)
def cancel(assessment, meeting_id):
    """Without ``confirm=1``: the confirmation page (who is emailed, a message); with it: done."""
    meeting = _meeting(assessment, meeting_id)
    form = CancelForm()
    back = url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id)
    with flash_errors() as ok:
        services.check_cancellable(meeting)
    if not ok:
        return redirect(back)
    if confirmed() and form.validate_on_submit():
        with flash_errors():
            n = services.cancel_meeting(meeting, assessment, actor=current_user,
                                        message=form.message.data or "")
            flash(ngettext("The meeting is cancelled; %(num)d invitee is told.",
                           "The meeting is cancelled; %(num)d invitees are told.", n), "success")
        return redirect(back)
    n = len(services.cancellation_recipients(meeting))
    when = i18n.in_timezone(meeting.starts_at, assessment.timezone, "full")
    return confirm_page(
        title=_("Cancel “%(title)s”?", title=meeting.title), assessment=assessment,
        consequences=[
            _("The meeting on %(when)s is cancelled for good: a cancelled meeting cannot be "
              "changed or reopened.", when=when),
            ngettext("%(num)d invitee will be emailed that the meeting is cancelled, with a "
                     "calendar file that removes it.",
                     "%(num)d invitees will be emailed that the meeting is cancelled, with a "
                     "calendar file that removes it.", n) if n else
            _("Nobody is invited: no email is sent."),
            _("Your message, if you write one, is included in the email and kept in the "
              "audit log.")],
        action=url_for("meetings.cancel", slug=assessment.slug, meeting_id=meeting.id),
        fields=[form.message], confirm_label=_("Cancel the meeting and email the invitees"),
        back_url=back, status=422 if form.errors else 200)


def _act(assessment, meeting, action, message):
    with flash_errors():
        action()
        flash(message, "success")
    return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))


@bp.post("/a/<slug>/meetings/<int:meeting_id>/invitees")
@assessment_view(Action.MANAGE_MEETINGS)
def invitees(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    form = InviteesForm(prefix="inv")
    candidates = services.invitable(assessment)
    form.invitees.choices = [(m.id, _member_label(m)) for m in candidates]
    if not form.validate_on_submit():
        abort(400)
    chosen = [m for m in candidates if m.id in set(form.invitees.data or [])]
    return _act(assessment, meeting, lambda: services.set_invitees(
        meeting, assessment, chosen, actor=current_user), _("The invitations are updated."))


# --- one meeting ------------------------------------------------------------------------------

@bp.get("/a/<slug>/meetings/<int:meeting_id>")
@assessment_view(Action.VIEW_MEETINGS)
def show(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    invitations = sorted(meeting.invitations, key=lambda i: i.membership.user.display_name)
    mine = next((i for i in invitations if i.membership_id == g.membership.id), None)
    data = {"assessment": assessment, "meeting": meeting, "invitations": invitations,
            "mine": mine, "manager": _manager(), "now": utcnow(),
            "agenda": render_markdown(meeting.agenda),
            "can_remind": rules.can_remind(meeting.status),
            # Nothing chosen until the person answers.
            "rsvp_form": RsvpForm(answer=str(mine.rsvp) if mine and mine.rsvp != Rsvp.PENDING
                                  else None),
            "viewer_tz": current_user.timezone
            if current_user.timezone and current_user.timezone != assessment.timezone else None}
    if data["manager"]:
        data.update(_expected(assessment, meeting, invitations))
        form = InviteesForm(prefix="inv")
        form.invitees.choices = [(m.id, _member_label(m))
                                 for m in services.invitable(assessment)]
        form.invitees.data = [i.membership_id for i in invitations]
        remind = RemindForm(prefix="rem")
        remind.invitations.choices = [(i.id, i.membership.user.display_name)
                                      for i in invitations if i.rsvp == Rsvp.PENDING]
        data.update(invitees_form=form, remind_form=remind)
    return render_template("meetings/show.html", **data)


def _expected(assessment, meeting, invitations):
    figures = queries.board_attendance(assessment, meeting, invitations)
    upcoming = meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at > utcnow()
    return {"expected_table": figures.expected_table, "expected_gaps": figures.expected_gaps,
            "present_table": figures.present_table, "quorum": figures.quorum,
            "board_invited": figures.invited,
            "board_unanswered": figures.invited - figures.answered,
            "expected_notice": rules.expected_notice(
                upcoming=upcoming, invited=figures.invited, answered=figures.answered,
                gaps=figures.expected_gaps)}


CALENDAR_TYPE = "text/calendar; charset=utf-8"


@bp.get("/a/<slug>/meetings/<int:meeting_id>.ics")
@assessment_view(Action.VIEW_MEETINGS)
def download_ics(assessment, meeting_id):
    """"Add to my calendar" for whoever sees the meeting: METHOD:PUBLISH, without attendees."""
    meeting = _meeting(assessment, meeting_id)
    reveal = rules.publication_shows_organizer_address(
        sees_addresses=can(g.membership.role, Action.MANAGE_BOARD), viewer_id=current_user.id,
        organizer_id=meeting.organizer_id)
    body = ics.publication(services.event_data(meeting, assessment, [],
                                               reveal_organizer=reveal))
    return Response(body, content_type=CALENDAR_TYPE, headers={
        "Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"'})


@bp.post("/a/<slug>/meetings/<int:meeting_id>/rsvp")
@assessment_view(Action.RSVP)
def rsvp_in_browser(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    invitation = next((i for i in meeting.invitations if i.membership_id == g.membership.id), None)
    if invitation is None:
        abort(403)
    form = RsvpForm()
    if not form.validate_on_submit():
        if set(form.errors) != {"answer"}:
            abort(400)   # a forged or stale form (its CSRF token)
        flash(_("Choose yes, no or maybe."), "error")   # nothing chosen: nothing changes
        return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))
    return _act(assessment, meeting, lambda: services.record_rsvp(
        invitation, form.answer.data, actor=current_user), _("Your answer is saved."))


@bp.post("/a/<slug>/meetings/<int:meeting_id>/remind")
@assessment_view(Action.MANAGE_MEETINGS)
def remind(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    form = RemindForm(prefix="rem")
    form.invitations.choices = [(i.id, "") for i in meeting.invitations]
    if not form.validate_on_submit() or not form.invitations.data:
        flash(_("Choose whom to remind."), "error")
        return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))
    chosen = [i for i in meeting.invitations if i.id in set(form.invitations.data)]

    return _act(assessment, meeting, lambda: services.remind(meeting, chosen, actor=current_user),
                _("Reminders are in the outbox."))


# --- roll call, minutes, exports -------------------------------------------------------------

@bp.route("/a/<slug>/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_MEETINGS)
def attendance(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        flash(_("This meeting was cancelled; there is no roll call."), "error")
        return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))
    invitations = sorted(meeting.invitations, key=lambda i: i.membership.user.display_name)
    if request.method == "POST":
        marks = {}
        for invitation in invitations:
            value = request.form.get(f"att-{invitation.id}")
            if value in {a.value for a in Attendance}:
                marks[invitation.id] = value
        with flash_errors():
            services.record_attendance(meeting, assessment, marks, actor=current_user)
            flash(_("The roll call is saved."), "success")
            return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))
    prefill = {i.id: str(i.attendance) if i.attendance else
               ("present" if i.rsvp == Rsvp.YES else "excused" if i.rsvp == Rsvp.NO else "absent")
               for i in invitations}
    return render_template("meetings/attendance.html", assessment=assessment, meeting=meeting,
                           invitations=invitations, prefill=prefill)


@bp.route("/a/<slug>/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
@assessment_view(Action.MANAGE_MEETINGS)
def minutes(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    owners = [(None, "—")] + [(m.id, _member_label(m)) for m in services.invitable(assessment)]
    if request.method == "GET":
        form = MinutesForm(minutes=meeting.minutes, decisions=meeting.decisions,
                           items=[{"text": a.text, "owner_id": a.owner_id, "due_on": a.due_on,
                                   "done": a.done} for a in meeting.action_items])
        form.items.append_entry()
    else:
        form = MinutesForm()
    for entry in form.items:
        entry.form.owner_id.choices = [("" if k is None else k, v) for k, v in owners]
    if form.validate_on_submit():
        with form_errors(form, "minutes"):
            services.save_minutes(meeting, assessment, actor=current_user,
                                  minutes=form.minutes.data or "",
                                  decisions=form.decisions.data or "",
                                  items=[e.form.data for e in form.items])
            flash(_("The minutes are saved."), "success")
            return redirect(url_for("meetings.show", slug=assessment.slug, meeting_id=meeting.id))
    approve = ApproveForm()
    approve.approved_in.choices = [(m.id, m.title) for m in queries.later_meetings(meeting)]
    status = 422 if form.errors else 200
    return render_template("meetings/minutes.html", assessment=assessment, meeting=meeting,
                           form=form, approve=approve), status


@bp.post("/a/<slug>/meetings/<int:meeting_id>/minutes/circulate")
@assessment_view(Action.MANAGE_MEETINGS)
def circulate_minutes(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    return _act(assessment, meeting, lambda: services.circulate_minutes(
        meeting, assessment, actor=current_user),
        _("The minutes are sent to those present for corrections."))


@bp.post("/a/<slug>/meetings/<int:meeting_id>/minutes/approve")
@assessment_view(Action.MANAGE_MEETINGS)
def approve_minutes(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    form = ApproveForm()
    later = queries.later_meetings(meeting)
    form.approved_in.choices = [(m.id, m.title) for m in later]
    if not form.validate_on_submit():
        flash(_("Choose the later meeting that approved the minutes."), "error")
        return redirect(url_for("meetings.minutes", slug=assessment.slug, meeting_id=meeting.id))
    approved_in = _meeting(assessment, form.approved_in.data)
    return _act(assessment, meeting, lambda: services.approve_minutes(
        meeting, assessment, approved_in, actor=current_user), _("The minutes are approved."))


@bp.get("/a/<slug>/meetings/<int:meeting_id>/print")
@assessment_view(Action.VIEW_MEETINGS)
def print_view(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    invitations = sorted(meeting.invitations, key=lambda i: i.membership.user.display_name)
    return render_template("meetings/print.html", assessment=assessment, meeting=meeting,
                           invitations=invitations, agenda=render_markdown(meeting.agenda),
                           minutes=render_markdown(meeting.minutes))


@bp.get("/a/<slug>/meetings/<int:meeting_id>/attendance.csv")
@assessment_view(Action.MANAGE_MEETINGS)
def attendance_csv(assessment, meeting_id):
    meeting = _meeting(assessment, meeting_id)
    rows = [[i.membership.user.name, i.membership.role,
             i.membership.group.name if i.membership.group else "", i.membership.organisation,
             i.membership.user.gender or "", i.rsvp, i.attendance or ""]
            for i in sorted(meeting.invitations, key=lambda i: i.membership.user.display_name)]
    data = iter_csv(["name", "role", "group", "organisation", "gender", "rsvp", "attendance"],
                     [[str(v) for v in row] for row in rows])
    return csv_response(data, f"meeting-{meeting.id}-attendance.csv")


# --- without login: RSVP from the email, personal calendar feed --------------------------------

RSVP_ANSWERS = tuple(str(answer) for answer in Rsvp if answer != Rsvp.PENDING)


def _rsvp_invitation(token):
    """The invitation an emailed answer link names, or the page that refuses it."""
    ids = read_rsvp_token(token)
    invitation = db.session.get(Invitation, ids[0]) if ids else None
    if invitation is None or invitation.meeting_id != ids[1]:
        return None, (render_template(
            "meetings/rsvp_error.html", message=_("This answer link is not valid. Check that you "
                                                  "copied all of it, or answer on the meeting "
                                                  "page.")), 400)
    return invitation, None


@bp.route("/rsvp/<token>", methods=["GET", "POST"])
@transactional
def rsvp(token):
    """The answer link of an invitation email, without signing in. The email has one link per
    answer (``?answer=yes``): the page opens with that answer chosen and one button to send it.
    A GET never changes anything (mail scanners open links); only the button's POST does."""
    i18n.follow_link_language()
    invitation, refusal = _rsvp_invitation(token)
    if refusal:
        return refusal
    meeting = invitation.meeting
    assessment = invitation.membership.assessment
    if meeting.status == MeetingStatus.CANCELLED:
        return render_template("meetings/rsvp_error.html", meeting=meeting,
                               message=_("This meeting has been cancelled.")), 410
    if meeting.starts_at <= utcnow():
        return render_template("meetings/rsvp_error.html", meeting=meeting,
                               message=_("This meeting has started; answers are closed.")), 410
    proposed = request.args.get("answer")
    proposed = proposed if proposed in RSVP_ANSWERS else None
    answered = invitation.rsvp != Rsvp.PENDING
    form = RsvpForm(answer=proposed or (str(invitation.rsvp) if answered else None))
    if form.validate_on_submit():
        with flash_errors():
            services.record_rsvp(invitation, form.answer.data)
            flash(_("Thank you: your answer is saved. You can change it with the same link."),
                  "success")
            return redirect(url_for("meetings.rsvp", token=token))
    return render_template("meetings/rsvp.html", meeting=meeting, invitation=invitation,
                           assessment=assessment, form=form, token=token, proposed=proposed,
                           agenda=render_markdown(meeting.agenda))


@bp.get("/rsvp/<token>/meeting.ics")
def rsvp_ics(token):
    """"Add to my calendar" from the answer page: the meeting the link's invitation is for
    (METHOD:PUBLISH, without attendees nor the organiser's address), no sign-in needed."""
    invitation, refusal = _rsvp_invitation(token)
    if refusal:
        return refusal
    meeting = invitation.meeting
    body = ics.publication(services.event_data(meeting, invitation.membership.assessment, [],
                                               reveal_organizer=False))
    return Response(body, content_type=CALENDAR_TYPE, headers={
        "Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"'})


@bp.get("/calendar/<token>.ics")
def feed(token):
    ids = read_calendar_token(token)
    user = db.session.get(User, ids[0]) if ids else None
    if user is None or user.calendar_version != ids[1] or not user.active:
        abort(404)
    rows = queries.user_meetings(user.id)
    revised = queries.calendar_revisions(meeting for meeting, _invitation in rows)
    body = ics.feed([services.event_data(meeting, invitation.membership.assessment, [],
                                         stamp=revised[meeting.id])
                     for meeting, invitation in rows], name="MAB")
    response = Response(body, content_type=CALENDAR_TYPE)
    # Calendar programs poll: they may keep it a few minutes, then ask "changed since this
    # ETag?" and get 304 without a body when nothing changed. Private: no shared cache.
    response.set_etag(hashlib.sha256(body).hexdigest())
    changed = queries.feed_changed_at(user.id, revised)
    if changed is not None:
        response.last_modified = changed
    response.cache_control.private = True
    response.cache_control.max_age = rules.FEED_MAX_AGE
    return response.make_conditional(request)


@bp.post("/account/calendar/revoke")
@login_required
@transactional
def revoke_feed():
    current_user.calendar_version += 1
    flash(_("The old calendar link no longer works; here is a new one."), "success")
    return redirect(url_for("auth.account") + "#calendar-heading")



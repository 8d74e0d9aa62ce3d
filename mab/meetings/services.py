"""Meeting use cases: they change rows, audit and queue mail (with .ics); the view commits."""
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.assessments.queries import with_person
from mab.audit.services import record_event
from mab.errors import DomainError
from mab.extensions import db
from mab.meetings import ics, rules
from mab.meetings.models import (
    ActionItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    ReminderSent,
    Rsvp,
)
from mab.meetings.tokens import rsvp_token
from mab.notify.services import external_url, queue_email
from mab.types import utcnow

FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "online_url", "agenda")
# Changing one of these sends everyone an update with a higher SEQUENCE.
SCHEDULE_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url")


def default_invitees(assessment: Assessment) -> list[Membership]:
    """Active board members and researchers (and the coordinators, who organise)."""
    return db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id,
        (Membership.role.in_([Role.RESEARCHER, Role.COORDINATOR]))
        | ((Membership.role == Role.BOARD_MEMBER)
           & (Membership.board_status == BoardStatus.ACTIVE)))
        .options(*with_person())).all()


def invitable(assessment: Assessment) -> list[Membership]:
    """Everyone who may answer an invitation (observers do not RSVP)."""
    return db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id,
        Membership.role.in_([Role.COORDINATOR, Role.RESEARCHER, Role.BOARD_MEMBER]),
        (Membership.board_status.is_(None)) | (Membership.board_status != BoardStatus.STEPPED_DOWN)
    ).options(*with_person())).all()


def calendar_organizer(meeting: Meeting, *, reveal: bool = True) -> ics.Person:
    """The ORGANIZER that iTIP messages (REQUEST, CANCEL, PUBLISH) must carry: the organiser's
    name and address; with ``reveal=False`` (someone who sees nobody's address), or when the
    organiser's account is gone, the organiser's name with the workspace's own sending address,
    as calendar services do for public calendars."""
    organizer = meeting.organizer
    if organizer is not None and reveal:
        return ics.Person(organizer.email, organizer.display_name)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    name, address = (sender if isinstance(sender, (tuple, list)) else parseaddr(sender))
    return ics.Person(address, organizer.display_name if organizer is not None else name)


def event_data(meeting: Meeting, assessment: Assessment, invitations=None, *,
               reveal_organizer: bool = True, stamp: datetime | None = None) -> ics.EventData:
    """The meeting as iCalendar values, with ``invitations`` as its ATTENDEE lines (each
    message names only its own recipient)."""
    invitations = meeting.invitations if invitations is None else invitations
    return ics.EventData(
        uid=meeting.uid, sequence=meeting.sequence, title=meeting.title,
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, tz=assessment.timezone,
        location=meeting.place or meeting.online_url, url=meeting.online_url,
        description=external_url("meetings.show", slug=assessment.slug, meeting_id=meeting.id),
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        organizer=calendar_organizer(meeting, reveal=reveal_organizer),
        attendees=tuple(ics.Person(i.membership.user.email, i.membership.user.display_name,
                                   ics.PARTSTAT[str(i.rsvp)]) for i in invitations),
        stamp=stamp)


def _calendar_attachment(body: bytes) -> dict:
    """The .ics for the outbox; the mail layer takes the part's method from the METHOD line."""
    method = next(line.split(":", 1)[1].strip() for line in body.decode("utf-8").splitlines()
                  if line.startswith("METHOD:"))
    return {"filename": "meeting.ics", "content_type": f"text/calendar; method={method}",
            "data": body}


def _send(meeting: Meeting, invitation: Invitation, template: str, subject, **context) -> None:
    assessment = invitation.membership.assessment
    language = invitation.membership.user.language or "en"   # queue_email's, the email's
    data = event_data(meeting, assessment, [invitation])
    queue_email(
        to=invitation.membership.user, template=template, subject=subject, assessment=assessment,
        attachments=[_calendar_attachment(ics.invitation(data))],
        meeting=meeting, tz=assessment.timezone,
        rsvp_link=external_url("meetings.rsvp", token=rsvp_token(invitation), lang=language),
        rsvp_links=rsvp_links(invitation, language),
        meeting_link=external_url("meetings.show", slug=assessment.slug, meeting_id=meeting.id),
        **context)


def rsvp_links(invitation: Invitation, language: str) -> dict[str, str]:
    """One answer link per answer, yes, no and maybe (RSVP_LABELS's order): each opens the
    answer page with that answer chosen and a button to send it; opening one changes nothing.
    ``lang``: the page opens in the language of the email."""
    token = rsvp_token(invitation)
    return {str(answer): external_url("meetings.rsvp", token=token, answer=str(answer),
                                      lang=language)
            for answer in (Rsvp.YES, Rsvp.NO, Rsvp.MAYBE)}


def _invite(meeting: Meeting, memberships, *, send: bool) -> list[Invitation]:
    invited = {i.membership_id for i in meeting.invitations}
    added = []
    for membership in memberships:
        if membership.id in invited:
            continue
        invitation = Invitation(meeting=meeting, membership=membership)
        db.session.add(invitation)
        added.append(invitation)
    db.session.flush()
    if send:
        for invitation in added:
            _send(meeting, invitation, "meeting_invitation",
                  _l("Invitation: %(title)s", title=meeting.title))
    return added


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError(_l("The meeting must end after it starts."), field="ends_at")


def schedule_meeting(assessment: Assessment, *, actor, invitees, **fields) -> Meeting:
    _check_times(fields["starts_at"], fields["ends_at"])
    meeting = Meeting(assessment_id=assessment.id, organizer=actor,
                      **{k: v for k, v in fields.items() if k in FIELDS})
    # Recording a meeting that has already started (the form asks to confirm): no invitation.
    past = fields["starts_at"] <= utcnow()
    if past:
        meeting.status = MeetingStatus.HELD
    db.session.add(meeting)
    db.session.flush()
    _invite(meeting, invitees, send=not past)
    record_event("meeting.scheduled", meeting, actor=actor, assessment=assessment,
                 changes={"title": meeting.title, "starts_at": meeting.starts_at,
                          "invitees": len(invitees), "past": past})
    return meeting


def update_meeting(meeting: Meeting, assessment: Assessment, *, actor, **fields) -> dict:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_l("A cancelled meeting cannot be changed."))
    _check_times(fields["starts_at"], fields["ends_at"])
    changes = {}
    for field in FIELDS:
        if field in fields and getattr(meeting, field) != fields[field]:
            changes[field] = [getattr(meeting, field), fields[field]]
            setattr(meeting, field, fields[field])
    if any(f in changes for f in SCHEDULE_FIELDS):
        meeting.sequence += 1
        if meeting.ends_at > utcnow():
            for invitation in meeting.invitations:
                _send(meeting, invitation, "meeting_updated",
                      _l("Changed: %(title)s", title=meeting.title))
    if changes:
        record_event("meeting.updated", meeting, actor=actor, assessment=assessment,
                     changes={**changes, "sequence": meeting.sequence})
    return changes


MAX_CANCEL_MESSAGE = 2000


def check_cancellable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_l("This meeting is already cancelled."))


def cancellation_recipients(meeting: Meeting) -> list[Invitation]:
    """Who is emailed when the meeting is cancelled: every invitee (the confirmation's figure)."""
    return list(meeting.invitations)


def cancel_meeting(meeting: Meeting, assessment: Assessment, *, actor, message: str = "") -> int:
    """Cancel and tell every invitee, with the coordinator's optional ``message``; returns how
    many were emailed."""
    check_cancellable(meeting)
    message = (message or "").strip()
    if len(message) > MAX_CANCEL_MESSAGE:
        raise DomainError(_l("A message can be at most %(n)d characters.", n=MAX_CANCEL_MESSAGE),
                          field="message")
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    recipients = cancellation_recipients(meeting)
    for invitation in recipients:
        _send(meeting, invitation, "meeting_cancelled",
              _l("Cancelled: %(title)s", title=meeting.title), message=message, sender=actor)
    record_event("meeting.cancelled", meeting, actor=actor, assessment=assessment,
                 changes={"sequence": meeting.sequence, "notified": len(recipients),
                          "message": message})
    return len(recipients)


def set_invitees(meeting: Meeting, assessment: Assessment, memberships, *, actor) -> None:
    """Invite the new ones (REQUEST) and uninvite the removed ones (CANCEL to them alone).

    SEQUENCE: the meeting keeps one counter for all its messages and every invitee's last
    message carried at most its current value; so it is raised once before this change is
    mailed. The removed then get a CANCEL newer than anything they received, and someone
    invited again later gets a REQUEST newer than their CANCEL (RFC 5546 §2.1.4, §3.2.5).
    The invitees who stay are not mailed: their copy remains valid, and the next update they
    get carries a higher SEQUENCE still."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_l("A cancelled meeting cannot be changed."))
    wanted = {m.id for m in memberships}
    removed = [i for i in meeting.invitations if i.membership_id not in wanted]
    for invitation in removed:
        if invitation.attendance is not None:
            raise DomainError(_l("%(name)s has an attendance record and stays invited.",
                                 name=invitation.membership.user.display_name))
    upcoming = meeting.ends_at > utcnow()
    invited = {i.membership_id for i in meeting.invitations}
    if upcoming and (removed or any(m.id not in invited for m in memberships)):
        meeting.sequence += 1
    if upcoming:
        for invitation in removed:
            # Tell the person's calendar the event is off for them (and only for them).
            data = event_data(meeting, assessment, [invitation])
            queue_email(to=invitation.membership.user, template="meeting_cancelled",
                        subject=_l("Cancelled: %(title)s", title=meeting.title),
                        assessment=assessment,
                        attachments=[_calendar_attachment(ics.uninvitation(data))],
                        meeting=meeting, tz=assessment.timezone, rsvp_link="",
                        meeting_link=external_url("meetings.show", slug=assessment.slug,
                                           meeting_id=meeting.id))
    for invitation in removed:
        meeting.invitations.remove(invitation)
    added = _invite(meeting, memberships, send=upcoming)
    if added or removed:
        record_event("meeting.invitees_changed", meeting, actor=actor, assessment=assessment,
                     changes={"added": [i.membership_id for i in added],
                              "removed": [i.membership_id for i in removed],
                              "sequence": meeting.sequence})


def record_rsvp(invitation: Invitation, answer: str, *, actor=None) -> None:
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_l("This meeting has been cancelled; there is nothing to answer."))
    if not rules.rsvp_open(meeting.starts_at, utcnow(), cancelled=False):
        raise DomainError(_l("This meeting has started; answers are closed."))
    answer = Rsvp(answer)
    if answer == Rsvp.PENDING:
        raise DomainError(_l("Choose yes, no or maybe."))
    old = invitation.rsvp
    invitation.rsvp = answer
    invitation.rsvp_at = utcnow()
    record_event("meeting.rsvp", invitation, actor=actor or invitation.membership.user,
                 assessment=invitation.membership.assessment,
                 changes={"rsvp": [old, answer], "meeting_id": meeting.id})


def remind(meeting: Meeting, invitations, *, actor=None, offset_days: int | None = None) -> int:
    """Remind pending invitees; with ``offset_days`` (the worker) at most once per offset."""
    if not rules.can_remind(meeting.status):
        raise DomainError(_l("Only a scheduled meeting can be reminded of."))
    sent = 0
    for invitation in invitations:
        if invitation.rsvp != Rsvp.PENDING or invitation.meeting_id != meeting.id:
            continue
        if offset_days is not None:
            already = db.session.scalar(select(ReminderSent.id).where(
                ReminderSent.invitation_id == invitation.id,
                ReminderSent.offset_days == offset_days))
            if already:
                continue
            db.session.add(ReminderSent(invitation_id=invitation.id, offset_days=offset_days))
        _send(meeting, invitation, "meeting_reminder",
              _l("Reminder: %(title)s", title=meeting.title))
        sent += 1
    if sent:
        record_event("meeting.reminded", meeting, actor=actor,
                     assessment=db.session.get(Assessment, meeting.assessment_id),
                     changes={"sent": sent, "offset_days": offset_days})
    return sent


def send_due_reminders(offsets: list[int], now: datetime | None = None) -> int:
    """For a timer: remind pending invitees ``offsets`` days before each scheduled meeting."""
    now = now or utcnow()
    horizon = now + timedelta(days=max(offsets, default=0))
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > now,
        Meeting.starts_at <= horizon)).all()
    sent = 0
    for meeting in meetings:
        for offset in sorted(offsets):
            if rules.reminder_due(meeting.starts_at, now, offset):
                sent += remind(meeting, meeting.invitations, offset_days=offset)
                break   # the nearest due offset only (the smallest): one reminder per run
    return sent


def record_attendance(meeting: Meeting, assessment: Assessment, marks: dict[int, str], *,
                      actor) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_l("This meeting was cancelled; there is no roll call."))
    changes = {}
    for invitation in meeting.invitations:
        value = marks.get(invitation.id)
        if value is None:
            continue
        value = Attendance(value)
        if invitation.attendance != value:
            changes[str(invitation.membership_id)] = [invitation.attendance, value]
            invitation.attendance = value
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        changes["status"] = [MeetingStatus.SCHEDULED, MeetingStatus.HELD]
    record_event("meeting.attendance", meeting, actor=actor, assessment=assessment,
                 changes=changes)


def save_minutes(meeting: Meeting, assessment: Assessment, *, actor, minutes: str,
                 decisions: str, items: list[dict]) -> None:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise DomainError(_l("Approved minutes cannot be changed."))
    changes = {}
    for field, value in (("minutes", minutes), ("decisions", decisions)):
        if getattr(meeting, field) != value:
            changes[field] = True
            setattr(meeting, field, value)
    members = {m.id for m in invitable(assessment)}
    meeting.action_items.clear()
    for item in items:
        if not (item["text"] or "").strip():
            continue
        owner = item.get("owner_id")
        if owner is not None and owner not in members:
            raise DomainError(_l("Choose an owner from this assessment."))
        meeting.action_items.append(ActionItem(text=(item["text"] or "").strip(), owner_id=owner,
                                               due_on=item.get("due_on"),
                                               done=bool(item.get("done"))))
    changes["action_items"] = len(meeting.action_items)
    record_event("meeting.minutes_saved", meeting, actor=actor, assessment=assessment,
                 changes=changes)


def circulate_minutes(meeting: Meeting, assessment: Assessment, *, actor) -> int:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise DomainError(_l("These minutes are already approved."))
    if not meeting.minutes.strip():
        raise DomainError(_l("Write the minutes before circulating them."))
    attendees = [i for i in meeting.invitations if i.attendance == Attendance.PRESENT]
    if not attendees:
        raise DomainError(_l("Take the roll call first: the minutes go to those present."))
    meeting.minutes_status = MinutesStatus.CIRCULATED
    meeting.minutes_circulated_at = utcnow()
    for invitation in attendees:
        queue_email(to=invitation.membership.user, template="minutes_circulated",
                    subject=_l("Minutes for corrections: %(title)s", title=meeting.title),
                    assessment=assessment, meeting=meeting, tz=assessment.timezone,
                    meeting_link=external_url("meetings.show", slug=assessment.slug,
                                       meeting_id=meeting.id))
    record_event("meeting.minutes_circulated", meeting, actor=actor, assessment=assessment,
                 changes={"recipients": len(attendees)})
    return len(attendees)


def approve_minutes(meeting: Meeting, assessment: Assessment, approved_in: Meeting, *,
                    actor) -> None:
    if meeting.minutes_status != MinutesStatus.CIRCULATED:
        raise DomainError(_l("Circulate the minutes for corrections before approving them."))
    if (approved_in.assessment_id != meeting.assessment_id or approved_in.id == meeting.id
            or approved_in.starts_at <= meeting.starts_at):
        raise DomainError(_l("Minutes are approved by a later meeting of the same assessment."))
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_in_id = approved_in.id
    record_event("meeting.minutes_approved", meeting, actor=actor, assessment=assessment,
                 changes={"approved_in": approved_in.id})

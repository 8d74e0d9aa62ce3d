"""Reads for the meeting pages; eager loading chosen here."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from mab.assessments.models import Assessment, Membership, Role
from mab.audit.models import AuditEvent
from mab.board import queries as board_queries
from mab.board.queries import seat_of
from mab.board.rules import Seat
from mab.extensions import db
from mab.loaders import get_or_404
from mab.meetings import rules
from mab.meetings.models import (
    ActionItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    Rsvp,
)


def _list(assessment: Assessment) -> Select:
    return select(Meeting).where(Meeting.assessment_id == assessment.id)


def upcoming(assessment: Assessment, now: datetime) -> Select:
    return _list(assessment).where(Meeting.ends_at > now).order_by(Meeting.starts_at)


def past(assessment: Assessment, now: datetime) -> Select:
    return _list(assessment).where(Meeting.ends_at <= now).order_by(Meeting.starts_at.desc())


def between(assessment: Assessment, start: datetime, end: datetime) -> list[Meeting]:
    return db.session.scalars(_list(assessment).where(
        Meeting.starts_at >= start, Meeting.starts_at < end).order_by(Meeting.starts_at)).all()


def answer_counts(meeting_ids) -> dict[int, dict[str, int]]:
    """Per meeting: invited, answered yes, recorded present, and with attendance recorded."""
    rows = db.session.execute(
        select(Invitation.meeting_id, func.count(),
               func.sum(case((Invitation.rsvp == Rsvp.YES, 1), else_=0)),
               func.sum(case((Invitation.attendance == Attendance.PRESENT, 1), else_=0)),
               func.count(Invitation.attendance))
        .where(Invitation.meeting_id.in_(list(meeting_ids))).group_by(Invitation.meeting_id)).all()
    return {meeting_id: {"invited": invited, "yes": int(yes or 0), "present": int(present or 0),
                         "recorded": recorded}
            for meeting_id, invited, yes, present, recorded in rows}


def my_invitations(membership: Membership, meeting_ids) -> dict[int, Invitation]:
    return {i.meeting_id: i for i in db.session.scalars(select(Invitation).where(
        Invitation.membership_id == membership.id, Invitation.meeting_id.in_(list(meeting_ids))))}


def seat(invitation: Invitation) -> Seat:
    """The invitee's board seat, with its status and dates as in board.queries.seats."""
    return seat_of(invitation.membership)


def with_invitees():
    """Loader option: a meeting's invitations with their memberships (person and group). The
    memberships come in a query of their own, each once: many meetings invite the same board, and
    joined to every invitation they would be read again for each one."""
    return selectinload(Meeting.invitations).selectinload(Invitation.membership).options(
        joinedload(Membership.user), joinedload(Membership.group))


def one(meeting_id: int, assessment: Assessment) -> Meeting:
    """The assessment's meeting (404 for another's) with what its pages show: invitees, action
    items and their owners (people with their names), the organiser and the meeting whose
    minutes approved it."""
    return get_or_404(Meeting, meeting_id, assessment,
                      with_invitees(),
                      selectinload(Meeting.action_items).joinedload(ActionItem.owner)
                      .joinedload(Membership.user),
                      joinedload(Meeting.organizer), joinedload(Meeting.approved_in))


def board_attendance(assessment: Assessment, meeting: Meeting,
                     invitations=None) -> rules.BoardAttendance:
    """The meeting's board attendance and quorum, as the meeting page shows it."""
    invitations = meeting.invitations if invitations is None else invitations
    invitees = [rules.Invitee(seat(i), str(i.rsvp), i.attendance == Attendance.PRESENT)
                for i in invitations if i.membership.role == Role.BOARD_MEMBER]
    return attendance_on(assessment, meeting.starts_at, invitees)


def attendance_on(assessment: Assessment, starts_at: datetime, invitees: list[rules.Invitee], *,
                  board: list | None = None, groups: list | None = None) -> rules.BoardAttendance:
    """The one rule for a meeting starting at ``starts_at``: only the board of that day (in the
    assessment's zone) counts. ``board`` (every board seat) and ``groups`` may be passed when
    measuring many meetings, as the annex does: they are the same for each."""
    board = board_queries.seats(assessment) if board is None else board
    groups = board_queries.rule_groups(assessment) if groups is None else groups
    day = starts_at.astimezone(ZoneInfo(assessment.timezone)).date()
    return rules.board_attendance(invitees, board, groups, day,
                                  members_pct=assessment.quorum_members_pct,
                                  groups_pct=assessment.quorum_groups_pct)


def next_meetings_for(membership: Membership, now: datetime, limit: int = 5) -> list[Meeting]:
    return db.session.scalars(
        select(Meeting).join(Invitation, Invitation.meeting_id == Meeting.id)
        .where(Invitation.membership_id == membership.id, Meeting.ends_at > now,
               Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Meeting.starts_at).limit(limit)).all()


def later_meetings(meeting: Meeting) -> list[Meeting]:
    return db.session.scalars(_list_for(meeting.assessment_id).where(
        Meeting.starts_at > meeting.starts_at, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.starts_at)).all()


def _list_for(assessment_id: int) -> Select:
    return select(Meeting).where(Meeting.assessment_id == assessment_id)


def user_meetings(user_id: int) -> list[tuple[Meeting, Invitation]]:
    return db.session.execute(
        select(Meeting, Invitation).join(Invitation, Invitation.meeting_id == Meeting.id)
        .join(Membership, Invitation.membership_id == Membership.id)
        .where(Membership.user_id == user_id)
        .options(joinedload(Meeting.organizer),
                 joinedload(Invitation.membership).joinedload(Membership.assessment))
        .order_by(Meeting.starts_at, Meeting.id)).all()   # a stable order: a stable ETag


# What changes a meeting as a calendar shows it (not answers, attendance or minutes).
CALENDAR_REVISIONS = ("meeting.scheduled", "meeting.updated", "meeting.cancelled")


def calendar_revisions(meetings) -> dict[int, datetime]:
    """When each meeting was last revised as a calendar shows it (the audit trail's latest
    schedule, update or cancellation; its creation when the trail has none): the DTSTAMP of a
    feed, stable from one request to the next."""
    meetings = list(meetings)
    by_id = {str(m.id): m for m in meetings}
    revised = {m.id: m.created_at for m in meetings}
    assessment_ids = {m.assessment_id for m in meetings}
    if not meetings:
        return revised
    rows = db.session.execute(
        select(AuditEvent.object_id, func.max(AuditEvent.created_at))
        .where(AuditEvent.assessment_id.in_(assessment_ids), AuditEvent.object_type == "Meeting",
               AuditEvent.action.in_(CALENDAR_REVISIONS), AuditEvent.object_id.in_(list(by_id)))
        .group_by(AuditEvent.object_id)).all()
    for object_id, moment in rows:
        if moment is not None:
            revised[by_id[object_id].id] = max(moment, revised[by_id[object_id].id])
    return revised


def feed_changed_at(user_id: int, revisions: dict[int, datetime]) -> datetime | None:
    """The feed's Last-Modified: its latest meeting revision, or a later change of who is
    invited in one of the person's assessments (being uninvited takes a meeting out of the feed
    without revising any meeting left in it). Later than the truth at worst, never earlier."""
    invitees_changed = db.session.scalar(
        select(func.max(AuditEvent.created_at))
        .where(AuditEvent.action == "meeting.invitees_changed",
               AuditEvent.assessment_id.in_(
                   select(Membership.assessment_id).where(Membership.user_id == user_id))))
    moments = [m for m in (*revisions.values(), invitees_changed) if m is not None]
    return max(moments, default=None)

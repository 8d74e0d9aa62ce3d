"""Reads for the meeting pages; eager loading chosen here."""
from datetime import datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import lazyload

from mab.assessments.models import Assessment, Membership
from mab.board.queries import seat_of
from mab.board.rules import Seat
from mab.extensions import db
from mab.meetings.models import Invitation, Meeting, MeetingStatus, Rsvp


def _list(assessment: Assessment) -> Select:
    return (select(Meeting).where(Meeting.assessment_id == assessment.id)
            .options(lazyload(Meeting.invitations), lazyload(Meeting.action_items)))


def upcoming(assessment: Assessment, now: datetime) -> Select:
    return _list(assessment).where(Meeting.ends_at > now).order_by(Meeting.starts_at)


def past(assessment: Assessment, now: datetime) -> Select:
    return _list(assessment).where(Meeting.ends_at <= now).order_by(Meeting.starts_at.desc())


def between(assessment: Assessment, start: datetime, end: datetime) -> list[Meeting]:
    return db.session.scalars(_list(assessment).where(
        Meeting.starts_at >= start, Meeting.starts_at < end).order_by(Meeting.starts_at)).all()


def answer_counts(meeting_ids) -> dict[int, dict[str, int]]:
    rows = db.session.execute(
        select(Invitation.meeting_id, func.count(),
               func.sum(case((Invitation.rsvp == Rsvp.YES, 1), else_=0)))
        .where(Invitation.meeting_id.in_(list(meeting_ids))).group_by(Invitation.meeting_id)).all()
    return {meeting_id: {"invited": invited, "yes": int(yes or 0)}
            for meeting_id, invited, yes in rows}


def my_invitations(membership: Membership, meeting_ids) -> dict[int, Invitation]:
    return {i.meeting_id: i for i in db.session.scalars(select(Invitation).where(
        Invitation.membership_id == membership.id, Invitation.meeting_id.in_(list(meeting_ids))))}


def seat(invitation: Invitation) -> Seat:
    """The invitee's board seat, with its status and dates as in board.queries.seats."""
    return seat_of(invitation.membership)


def next_meetings_for(membership: Membership, now: datetime, limit: int = 5) -> list[Meeting]:
    return db.session.scalars(
        select(Meeting).join(Invitation, Invitation.meeting_id == Meeting.id)
        .where(Invitation.membership_id == membership.id, Meeting.ends_at > now,
               Meeting.status == MeetingStatus.SCHEDULED)
        .options(lazyload(Meeting.invitations), lazyload(Meeting.action_items))
        .order_by(Meeting.starts_at).limit(limit)).all()


def later_meetings(meeting: Meeting) -> list[Meeting]:
    return db.session.scalars(_list_for(meeting.assessment_id).where(
        Meeting.starts_at > meeting.starts_at, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.starts_at)).all()


def _list_for(assessment_id: int) -> Select:
    return (select(Meeting).where(Meeting.assessment_id == assessment_id)
            .options(lazyload(Meeting.invitations), lazyload(Meeting.action_items)))


def user_meetings(user_id: int) -> list[tuple[Meeting, Invitation]]:
    return db.session.execute(
        select(Meeting, Invitation).join(Invitation, Invitation.meeting_id == Meeting.id)
        .join(Membership, Invitation.membership_id == Membership.id)
        .where(Membership.user_id == user_id)
        .options(lazyload(Meeting.invitations), lazyload(Meeting.action_items))
        .order_by(Meeting.starts_at)).all()

"""The meeting pages run as many queries for 15 meetings × 30 invitees as for 3 × 5."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.auth.models import Gender, User
from mab.board.models import StakeholderGroup
from mab.board.services import create_default_groups
from mab.extensions import db
from mab.meetings.models import (
    ActionItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Rsvp,
)
from mab.types import utcnow
from tests.factories import make_member, team
from tests.querycount import counting

A = "/a/kz-2022"
GENDERS = [Gender.WOMAN, Gender.MAN, Gender.ANOTHER, Gender.UNDISCLOSED, None]
ANSWERS = [Rsvp.YES, Rsvp.NO, Rsvp.MAYBE, Rsvp.PENDING]
MARKS = [Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED, None]


def invitable(assessment) -> list[Membership]:
    return db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role != Role.OBSERVER)
        .order_by(Membership.id)).all()


def grow_people(assessment, total):
    """Board members (of every gender, spread over the groups) until ``total`` can be invited."""
    assessment = db.session.get(Assessment, assessment.id)
    groups = db.session.scalars(select(StakeholderGroup).where(
        StakeholderGroup.assessment_id == assessment.id).order_by(StakeholderGroup.id)).all()
    i = len(invitable(assessment))
    while len(invitable(assessment)) < total:
        user = make_member(assessment, Role.BOARD_MEMBER, name=f"Член {i}",
                           gender=GENDERS[i % len(GENDERS)])
        own = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        own.board_status = BoardStatus.NOMINEE if i % 7 == 0 else BoardStatus.ACTIVE
        own.group_id = groups[i % len(groups)].id
        own.organisation = f"Организация {i}"
        own.appointed_on = date(2022, 1, 1)
        i += 1
    db.session.commit()


def grow_meetings(assessment, count, invitees):
    """Meetings around today, half past (held, with attendance and action items), half to come,
    each with ``invitees`` invitations; existing meetings get the new invitees too."""
    assessment = db.session.get(Assessment, assessment.id)
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    members = invitable(assessment)[:invitees]
    now = utcnow().replace(second=0, microsecond=0)
    existing = db.session.scalars(select(Meeting).order_by(Meeting.id)).all()
    for n in range(len(existing), count):
        offset = (n // 2 + 1) * (1 if n % 2 else -1)   # -1, +1, -2, +2, ... days
        start = now + timedelta(days=offset, hours=n % 5)
        past = offset < 0
        meeting = Meeting(assessment_id=assessment.id, kind=MeetingKind.BOARD_MEETING,
                          title=f"Заседание {n}", starts_at=start,
                          ends_at=start + timedelta(hours=2), place="Almaty",
                          status=MeetingStatus.HELD if past else MeetingStatus.SCHEDULED,
                          organizer=coordinator, agenda="1. **Balance**")
        db.session.add(meeting)
        existing.append(meeting)
    db.session.flush()
    for meeting in existing:
        invited = {i.membership_id for i in meeting.invitations}
        past = meeting.status == MeetingStatus.HELD
        for k, membership in enumerate(members):
            if membership.id in invited:
                continue
            db.session.add(Invitation(meeting=meeting, membership=membership,
                                      rsvp=ANSWERS[k % 4],
                                      attendance=MARKS[k % 4] if past else None))
            if past and k % 3 == 0:
                db.session.add(ActionItem(meeting=meeting, text=f"Action {k}",
                                          owner_id=membership.id))
    db.session.commit()


def sizes(assessment):
    meetings = db.session.scalar(select(func.count()).select_from(Meeting))
    per_meeting = set(db.session.scalars(
        select(func.count()).select_from(Invitation).group_by(Invitation.meeting_id)))
    return meetings, per_meeting


def pages(meeting_id, held_id):
    return [f"{A}/meetings", f"{A}/meetings/{meeting_id}", f"{A}/meetings/{held_id}",
            f"{A}/meetings/{held_id}/print", f"{A}/meetings/{held_id}/attendance",
            f"{A}/meetings/{held_id}/minutes", f"{A}/meetings/{held_id}/attendance.csv",
            f"{A}/meetings/{meeting_id}.ics"]


def measure(client, urls):
    """Queries per page, each request starting from an empty session as in production (rows
    left in the test's session would otherwise spare or add lazy loads)."""
    counts = {}
    for url in urls:
        client.get(url)   # warm up, so that one-off first-use queries do not count
        db.session.expunge_all()
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


@pytest.mark.parametrize("role", ["coordinator", "board_member", "observer"])
def test_query_counts_do_not_grow_with_meetings_and_invitees(client, login, role):
    assessment, people = team()
    groups = create_default_groups(assessment)
    own = db.session.scalar(select(Membership).where(
        Membership.user_id == people["board_member"].id))
    own.board_status, own.group_id = BoardStatus.ACTIVE, groups[0].id
    db.session.commit()
    grow_people(assessment, 5)
    grow_meetings(assessment, 3, 5)
    assert sizes(assessment) == (3, {5})
    upcoming = db.session.scalar(select(Meeting.id).where(
        Meeting.status == MeetingStatus.SCHEDULED).order_by(Meeting.id))
    held = db.session.scalar(select(Meeting.id).where(
        Meeting.status == MeetingStatus.HELD).order_by(Meeting.id))
    login(people[role])
    urls = pages(upcoming, held)
    if role != "coordinator":   # the coordinator's pages are 403 for the others
        urls = [u for u in urls if not u.endswith(("/attendance", "/minutes", ".csv"))]
    small = measure(client, urls)

    grow_people(assessment, 30)
    grow_meetings(assessment, 15, 30)
    assert sizes(assessment) == (15, {30})
    large = measure(client, urls)
    assert small == large
    assert all(n >= 3 for n in small.values()), small   # the listener did see the queries
    # The large pages do show the grown data.
    page = client.get(f"{A}/meetings/{held}").get_data(as_text=True)
    if role == "coordinator":
        assert "Член 29" in page

"""Meeting use cases: updates and cancellations with their .ics, invitees, reminders, minutes."""
import base64
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Membership, Role
from mab.errors import DomainError
from mab.extensions import db
from mab.meetings import services
from mab.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    ReminderSent,
    Rsvp,
)
from mab.notify.models import OutboxMessage
from mab.types import utcnow
from tests.factories import make_assessment, make_member, team


@pytest.fixture
def world(app, request_context):
    """team() with an active board member, a second one, and a nominee."""
    assessment, people = team()
    membership(people["board_member"]).board_status = BoardStatus.ACTIVE
    people["board_member_2"] = make_member(assessment, Role.BOARD_MEMBER,
                                           email="board2@example.org")
    membership(people["board_member_2"]).board_status = BoardStatus.ACTIVE
    people["nominee"] = make_member(assessment, Role.BOARD_MEMBER, email="nominee@example.org")
    membership(people["nominee"]).board_status = BoardStatus.NOMINEE
    db.session.commit()
    return assessment, people


def membership(user) -> Membership:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def schedule(assessment, people, *, start=None, hours=2, invitees=None, **fields):
    start = start or (utcnow() + timedelta(days=10)).replace(second=0, microsecond=0)
    values = {"kind": "board_meeting", "title": "Board meeting", "starts_at": start,
              "ends_at": start + timedelta(hours=hours), "place": "Almaty", "online_url": "",
              "agenda": "1. Opening"}
    values.update(fields)
    meeting = services.schedule_meeting(
        assessment, actor=people["coordinator"],
        invitees=services.default_invitees(assessment) if invitees is None else invitees,
        **values)
    db.session.commit()
    return meeting


def schedule_fields(meeting, **changes):
    values = {f: getattr(meeting, f) for f in services.FIELDS}
    values.update(changes)
    return values


def last_id() -> int:
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def mail_since(first_id, kind=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.id > first_id).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def parsed(message: OutboxMessage):
    [attachment] = message.attachments
    cal = Calendar.from_ical(base64.b64decode(attachment["data"]))
    [event] = cal.walk("VEVENT")
    return cal, event, attachment["content_type"]


def attendee_addresses(event) -> list[str]:
    values = event.get("attendee", [])
    return [str(v) for v in (values if isinstance(values, list) else [values])]


def invitation_of(meeting, user) -> Invitation:
    return next(i for i in meeting.invitations if i.membership.user_id == user.id)


INVITED = {"coordinator@example.org", "researcher@example.org", "board_member@example.org",
           "board2@example.org"}


# --- scheduling --------------------------------------------------------------------------------

def test_schedule_invites_the_defaults_each_with_their_own_request(world):
    assessment, people = world
    before = last_id()
    meeting = schedule(assessment, people)
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.sequence == 0
    # Not the observer, not the nominee.
    assert {i.membership.user.email for i in meeting.invitations} == INVITED
    mails = mail_since(before, "meeting_invitation")
    assert {m.recipient for m in mails} == INVITED
    for mail in mails:
        cal, event, content_type = parsed(mail)
        assert content_type == "text/calendar; method=REQUEST"
        assert cal["method"] == "REQUEST"
        assert event["uid"] == meeting.uid
        assert event.decoded("sequence") == 0
        assert str(event["organizer"]) == "mailto:coordinator@example.org"
        assert attendee_addresses(event) == [f"mailto:{mail.recipient}"]
        assert event.decoded("dtstart") == meeting.starts_at
        assert "/rsvp/" in mail.body_text


def test_a_meeting_that_ends_before_it_starts_is_refused(world):
    assessment, people = world
    start = utcnow() + timedelta(days=3)
    with pytest.raises(DomainError):
        schedule(assessment, people, start=start, hours=0)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_recording_a_past_meeting_sends_nothing(world):
    assessment, people = world
    before = last_id()
    meeting = schedule(assessment, people, start=utcnow() - timedelta(days=5))
    assert meeting.status == MeetingStatus.HELD
    assert len(meeting.invitations) == len(INVITED)
    assert mail_since(before) == []


def test_recording_a_meeting_that_has_started_sends_nothing(world):
    """Confirmed as past (it started an hour ago, still running): held, no invitation."""
    assessment, people = world
    before = last_id()
    meeting = schedule(assessment, people, start=utcnow() - timedelta(hours=1), hours=3)
    assert meeting.status == MeetingStatus.HELD
    assert mail_since(before) == []


# --- changes -----------------------------------------------------------------------------------

def test_reschedule_sends_everyone_an_update_with_a_higher_sequence(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    uid, old_start = meeting.uid, meeting.starts_at
    before = last_id()
    new_start = old_start + timedelta(days=1, hours=3)
    changes = services.update_meeting(meeting, assessment, actor=people["coordinator"],
                                      **schedule_fields(meeting, starts_at=new_start,
                                                        ends_at=new_start + timedelta(hours=1)))
    db.session.commit()
    assert set(changes) == {"starts_at", "ends_at"}
    assert meeting.sequence == 1 and meeting.uid == uid
    mails = mail_since(before)
    assert [m.kind for m in mails] == ["meeting_updated"] * len(INVITED)
    assert {m.recipient for m in mails} == INVITED
    for mail in mails:
        cal, event, _type = parsed(mail)
        assert cal["method"] == "REQUEST"
        assert event["uid"] == uid
        assert event.decoded("sequence") == 1
        assert event.decoded("dtstart") == new_start

    # A second reschedule goes higher again.
    before = last_id()
    services.update_meeting(meeting, assessment, actor=people["coordinator"],
                            **schedule_fields(meeting, place="Astana"))
    db.session.commit()
    assert meeting.sequence == 2
    assert {parsed(m)[1].decoded("sequence") for m in mail_since(before)} == {2}
    assert {str(parsed(m)[1]["location"]) for m in mail_since(before)} == {"Astana"}


def test_answers_are_kept_in_the_update(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    services.record_rsvp(invitation_of(meeting, people["board_member"]), "yes")
    db.session.commit()
    before = last_id()
    services.update_meeting(meeting, assessment, actor=people["coordinator"],
                            **schedule_fields(meeting, title="Board meeting (room changed)"))
    mail = next(m for m in mail_since(before) if m.recipient == "board_member@example.org")
    event = parsed(mail)[1]
    assert event["attendee"].params["PARTSTAT"] == "ACCEPTED"


@pytest.mark.parametrize("change", [{"agenda": "1. Opening\n2. Balance"}, {"kind": "training"}])
def test_a_change_outside_the_schedule_sends_nothing(world, change):
    assessment, people = world
    meeting = schedule(assessment, people)
    before = last_id()
    changes = services.update_meeting(meeting, assessment, actor=people["coordinator"],
                                      **schedule_fields(meeting, **change))
    db.session.commit()
    assert set(changes) == set(change)
    assert meeting.sequence == 0
    assert mail_since(before) == []


def test_saving_without_a_change_is_not_an_update(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    before = last_id()
    assert services.update_meeting(meeting, assessment, actor=people["coordinator"],
                                   **schedule_fields(meeting)) == {}
    assert meeting.sequence == 0 and mail_since(before) == []


def test_an_update_must_still_end_after_it_starts(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    with pytest.raises(DomainError):
        services.update_meeting(meeting, assessment, actor=people["coordinator"],
                                **schedule_fields(meeting, ends_at=meeting.starts_at))


# --- cancelling --------------------------------------------------------------------------------

def test_cancel_tells_everyone_and_freezes_the_meeting(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    services.record_rsvp(invitation_of(meeting, people["researcher"]), "no")
    db.session.commit()
    before = last_id()
    services.cancel_meeting(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    mails = mail_since(before)
    assert [m.kind for m in mails] == ["meeting_cancelled"] * len(INVITED)
    assert {m.recipient for m in mails} == INVITED   # also those who said no
    for mail in mails:
        cal, event, content_type = parsed(mail)
        assert content_type == "text/calendar; method=CANCEL"
        assert cal["method"] == "CANCEL"
        assert event["status"] == "CANCELLED"
        assert event["uid"] == meeting.uid
        assert event.decoded("sequence") == 1

    coordinator = people["coordinator"]
    before = last_id()
    with pytest.raises(DomainError):
        services.cancel_meeting(meeting, assessment, actor=coordinator)
    with pytest.raises(DomainError):
        services.update_meeting(meeting, assessment, actor=coordinator,
                                **schedule_fields(meeting, title="Revived"))
    with pytest.raises(DomainError):
        services.set_invitees(meeting, assessment, [], actor=coordinator)
    with pytest.raises(DomainError):
        services.record_rsvp(invitation_of(meeting, people["board_member"]), "yes")
    with pytest.raises(DomainError):
        services.record_attendance(meeting, assessment,
                                   {i.id: "present" for i in meeting.invitations},
                                   actor=coordinator)
    db.session.rollback()
    db.session.expire_all()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 1
    assert meeting.title == "Board meeting"
    assert len(meeting.invitations) == len(INVITED)
    assert {i.attendance for i in meeting.invitations} == {None}
    assert invitation_of(meeting, people["board_member"]).rsvp == Rsvp.PENDING
    assert mail_since(before) == []


# --- invitees ----------------------------------------------------------------------------------

def test_set_invitees_adds_with_a_request_and_removes_with_a_cancel(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    keep = [i.membership for i in meeting.invitations
            if i.membership.user_id != people["researcher"].id]
    nominee = membership(people["nominee"])
    before = last_id()
    services.set_invitees(meeting, assessment, keep + [nominee], actor=people["coordinator"])
    db.session.commit()
    db.session.expire_all()
    assert {i.membership.user.email for i in meeting.invitations} == (
        INVITED - {"researcher@example.org"} | {"nominee@example.org"})
    mails = mail_since(before)
    assert sorted((m.recipient, m.kind) for m in mails) == [
        ("nominee@example.org", "meeting_invitation"),
        ("researcher@example.org", "meeting_cancelled")]
    by_kind = {m.kind: parsed(m) for m in mails}
    cal, event, content_type = by_kind["meeting_cancelled"]
    assert cal["method"] == "CANCEL" and content_type.endswith("method=CANCEL")
    assert event["uid"] == meeting.uid
    assert attendee_addresses(event) == ["mailto:researcher@example.org"]
    # Newer than the invitation the researcher had (RFC 5546), and not a cancellation of the
    # meeting for everyone: no STATUS:CANCELLED.
    assert event.decoded("sequence") == 1 and "status" not in event
    cal, event, _type = by_kind["meeting_invitation"]
    assert cal["method"] == "REQUEST"
    assert attendee_addresses(event) == ["mailto:nominee@example.org"]
    assert event.decoded("sequence") == 1
    # The others were not bothered, and the meeting itself goes on.
    assert meeting.sequence == 1 and meeting.status == MeetingStatus.SCHEDULED


def test_someone_with_an_attendance_record_stays_invited(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    services.record_attendance(meeting, assessment,
                               {invitation_of(meeting, people["researcher"]).id: "present"},
                               actor=people["coordinator"])
    db.session.commit()
    with pytest.raises(DomainError):
        services.set_invitees(meeting, assessment, [], actor=people["coordinator"])


def test_changing_the_invitees_of_a_past_meeting_sends_nothing(world):
    assessment, people = world
    meeting = schedule(assessment, people, start=utcnow() - timedelta(days=3))
    before = last_id()
    services.set_invitees(meeting, assessment, [membership(people["nominee"])],
                          actor=people["coordinator"])
    db.session.commit()
    assert [i.membership.user_id for i in meeting.invitations] == [people["nominee"].id]
    assert mail_since(before) == []


# --- RSVP --------------------------------------------------------------------------------------

def test_rsvp_can_change_until_the_start(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    invitation = invitation_of(meeting, people["board_member"])
    services.record_rsvp(invitation, "yes")
    services.record_rsvp(invitation, "maybe")
    assert invitation.rsvp == Rsvp.MAYBE and invitation.rsvp_at is not None
    with pytest.raises(DomainError):
        services.record_rsvp(invitation, "pending")
    meeting.starts_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(DomainError):
        services.record_rsvp(invitation, "no")
    assert invitation.rsvp == Rsvp.MAYBE


# --- reminders ---------------------------------------------------------------------------------

def reminders_since(first_id):
    return sorted(m.recipient for m in mail_since(first_id, "meeting_reminder"))


def test_reminders_go_once_per_offset_and_only_to_pending(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    start = meeting.starts_at
    services.record_rsvp(invitation_of(meeting, people["board_member"]), "yes")
    services.record_rsvp(invitation_of(meeting, people["researcher"]), "no")
    db.session.commit()
    pending = ["board2@example.org", "coordinator@example.org"]

    before = last_id()
    assert services.send_due_reminders([7, 1], now=start - timedelta(days=8)) == 0
    assert services.send_due_reminders([7, 1], now=start - timedelta(days=7)) == 2
    db.session.commit()
    assert reminders_since(before) == pending
    mail = mail_since(before, "meeting_reminder")[0]
    assert "/rsvp/" in mail.body_text
    assert parsed(mail)[0]["method"] == "REQUEST"

    before = last_id()
    for days in (6, 3, 2):   # the 7-day reminder is never sent again
        assert services.send_due_reminders([7, 1], now=start - timedelta(days=days)) == 0
    assert reminders_since(before) == []

    # The 1-day reminder goes once, to whoever is still pending.
    services.record_rsvp(invitation_of(meeting, people["board_member_2"]), "maybe")
    db.session.commit()
    before = last_id()
    assert services.send_due_reminders([7, 1], now=start - timedelta(hours=20)) == 1
    db.session.commit()
    assert reminders_since(before) == ["coordinator@example.org"]
    before = last_id()
    assert services.send_due_reminders([7, 1], now=start - timedelta(hours=2)) == 0
    assert services.send_due_reminders([7, 1], now=start + timedelta(minutes=5)) == 0
    assert reminders_since(before) == []

    sent = db.session.execute(select(ReminderSent.invitation_id, ReminderSent.offset_days)).all()
    coordinator = invitation_of(meeting, people["coordinator"]).id
    board2 = invitation_of(meeting, people["board_member_2"]).id
    assert sorted(sent) == sorted([(coordinator, 7), (coordinator, 1), (board2, 7)])


def test_the_order_of_the_offsets_does_not_matter(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    start = meeting.starts_at
    assert services.send_due_reminders([1, 7], now=start - timedelta(days=5)) == len(INVITED)
    assert services.send_due_reminders([1, 7], now=start - timedelta(hours=5)) == len(INVITED)
    assert services.send_due_reminders([7, 1], now=start - timedelta(hours=4)) == 0


def test_a_late_meeting_gets_only_the_nearest_reminder(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    start = meeting.starts_at
    before = last_id()
    assert services.send_due_reminders([7, 1], now=start - timedelta(hours=12)) == len(INVITED)
    assert services.send_due_reminders([7, 1], now=start - timedelta(hours=11)) == 0
    assert len(mail_since(before, "meeting_reminder")) == len(INVITED)
    assert set(db.session.scalars(select(ReminderSent.offset_days))) == {1}


def test_no_reminders_for_a_cancelled_meeting(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    services.cancel_meeting(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    before = last_id()
    assert services.send_due_reminders([7, 1], now=meeting.starts_at - timedelta(days=2)) == 0
    assert services.send_due_reminders([7, 1], now=meeting.starts_at - timedelta(hours=2)) == 0
    assert mail_since(before) == []


def test_reminders_for_each_meeting_separately(world):
    assessment, people = world
    first = schedule(assessment, people)
    second = schedule(assessment, people, start=first.starts_at + timedelta(hours=3))
    far = schedule(assessment, people, start=first.starts_at + timedelta(days=30))
    now = first.starts_at - timedelta(days=2)
    assert services.send_due_reminders([7, 1], now=now) == 2 * len(INVITED)
    meetings = {i.meeting_id for i in db.session.scalars(select(Invitation).join(
        ReminderSent, ReminderSent.invitation_id == Invitation.id))}
    assert meetings == {first.id, second.id} and far.id not in meetings


def test_cli_send_reminders(world, runner):
    assessment, people = world
    meeting = schedule(assessment, people, start=(utcnow() + timedelta(days=3)).replace(
        second=0, microsecond=0))
    services.record_rsvp(invitation_of(meeting, people["board_member"]), "yes")
    db.session.commit()
    result = runner.invoke(args=["mab", "send-reminders", "--days", "7,1"])
    assert result.exit_code == 0, result.output
    assert "3 reminder(s) queued" in result.output
    assert len(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "meeting_reminder")).all()) == 3
    again = runner.invoke(args=["mab", "send-reminders", "--days", "7,1"])
    assert again.exit_code == 0 and "0 reminder(s) queued" in again.output
    # Too far ahead for a 2-day reminder.
    assert "0 reminder(s)" in runner.invoke(args=["mab", "send-reminders", "--days", "2"]).output


def test_cli_send_reminders_refuses_a_bad_offset(world, runner):
    result = runner.invoke(args=["mab", "send-reminders", "--days", "seven"])
    assert result.exit_code != 0
    assert "whole numbers" in result.output


def test_reminding_by_hand_only_reaches_the_chosen_pending(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    services.record_rsvp(invitation_of(meeting, people["board_member"]), "yes")
    chosen = [invitation_of(meeting, people["board_member"]),
              invitation_of(meeting, people["researcher"])]
    before = last_id()
    assert services.remind(meeting, chosen, actor=people["coordinator"]) == 1
    assert reminders_since(before) == ["researcher@example.org"]
    # By hand again: the coordinator decides, it is not limited like the timer.
    assert services.remind(meeting, chosen, actor=people["coordinator"]) == 1
    # An invitation of another meeting is never reminded through this one.
    other = schedule(assessment, people)
    assert services.remind(meeting, [invitation_of(other, people["researcher"])]) == 0


# --- roll call and minutes ---------------------------------------------------------------------

def test_roll_call_marks_the_meeting_held(world):
    assessment, people = world
    meeting = schedule(assessment, people)
    marks = {invitation_of(meeting, people["researcher"]).id: "present",
             invitation_of(meeting, people["board_member"]).id: "excused"}
    services.record_attendance(meeting, assessment, marks, actor=people["coordinator"])
    db.session.commit()
    assert meeting.status == MeetingStatus.HELD
    assert invitation_of(meeting, people["researcher"]).attendance == Attendance.PRESENT
    assert invitation_of(meeting, people["board_member"]).attendance == Attendance.EXCUSED
    assert invitation_of(meeting, people["coordinator"]).attendance is None


def held_meeting(assessment, people, days_ago=10):
    meeting = schedule(assessment, people, start=utcnow() - timedelta(days=days_ago))
    return meeting


def test_circulate_needs_minutes_and_people_present(world):
    assessment, people = world
    meeting = held_meeting(assessment, people)
    coordinator = people["coordinator"]
    with pytest.raises(DomainError):
        services.circulate_minutes(meeting, assessment, actor=coordinator)   # no minutes
    services.save_minutes(meeting, assessment, actor=coordinator, minutes="Discussed R.",
                          decisions="", items=[])
    with pytest.raises(DomainError):
        services.circulate_minutes(meeting, assessment, actor=coordinator)   # no roll call
    services.record_attendance(meeting, assessment,
                               {invitation_of(meeting, people["researcher"]).id: "present",
                                invitation_of(meeting, people["board_member"]).id: "absent"},
                               actor=coordinator)
    assert meeting.minutes_status == MinutesStatus.DRAFT
    before = last_id()
    assert services.circulate_minutes(meeting, assessment, actor=coordinator) == 1
    assert meeting.minutes_status == MinutesStatus.CIRCULATED
    assert meeting.minutes_circulated_at is not None
    mails = mail_since(before)
    assert [(m.recipient, m.kind) for m in mails] == [("researcher@example.org",
                                                       "minutes_circulated")]


def test_whitespace_is_not_minutes(world):
    assessment, people = world
    meeting = held_meeting(assessment, people)
    services.record_attendance(meeting, assessment,
                               {i.id: "present" for i in meeting.invitations},
                               actor=people["coordinator"])
    services.save_minutes(meeting, assessment, actor=people["coordinator"], minutes="  \n ",
                          decisions="", items=[])
    with pytest.raises(DomainError):
        services.circulate_minutes(meeting, assessment, actor=people["coordinator"])


def circulated(assessment, people, days_ago=10):
    meeting = held_meeting(assessment, people, days_ago)
    services.record_attendance(meeting, assessment, {i.id: "present" for i in meeting.invitations},
                               actor=people["coordinator"])
    services.save_minutes(meeting, assessment, actor=people["coordinator"], minutes="Minutes.",
                          decisions="Adopt", items=[{"text": "Draft", "owner_id": None,
                                                     "due_on": None, "done": False}])
    services.circulate_minutes(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    return meeting


def test_approval_needs_a_later_meeting_of_the_same_assessment(world):
    assessment, people = world
    coordinator = people["coordinator"]
    meeting = circulated(assessment, people, days_ago=10)
    earlier = held_meeting(assessment, people, days_ago=20)
    elsewhere_assessment = make_assessment()
    other_coordinator = make_member(elsewhere_assessment, Role.COORDINATOR)
    elsewhere = services.schedule_meeting(
        elsewhere_assessment, actor=other_coordinator, invitees=[], kind="board_meeting",
        title="Elsewhere", starts_at=utcnow() + timedelta(days=5),
        ends_at=utcnow() + timedelta(days=5, hours=1), place="Bishkek", online_url="", agenda="")
    db.session.commit()
    for wrong in (meeting, earlier, elsewhere):
        with pytest.raises(DomainError):
            services.approve_minutes(meeting, assessment, wrong, actor=coordinator)
    assert meeting.minutes_status == MinutesStatus.CIRCULATED
    assert meeting.minutes_approved_in_id is None

    later = schedule(assessment, people)
    services.approve_minutes(meeting, assessment, later, actor=coordinator)
    db.session.commit()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_in_id == later.id
    assert meeting.approved_in.title == "Board meeting"


def test_draft_minutes_cannot_be_approved(world):
    assessment, people = world
    meeting = held_meeting(assessment, people)
    services.save_minutes(meeting, assessment, actor=people["coordinator"], minutes="Text",
                          decisions="", items=[])
    later = schedule(assessment, people)
    with pytest.raises(DomainError):
        services.approve_minutes(meeting, assessment, later, actor=people["coordinator"])
    assert meeting.minutes_status == MinutesStatus.DRAFT


def test_approved_minutes_cannot_change(world):
    assessment, people = world
    coordinator = people["coordinator"]
    meeting = circulated(assessment, people)
    services.approve_minutes(meeting, assessment, schedule(assessment, people), actor=coordinator)
    db.session.commit()
    with pytest.raises(DomainError):
        services.save_minutes(meeting, assessment, actor=coordinator, minutes="Rewritten",
                              decisions="", items=[])
    with pytest.raises(DomainError):
        services.circulate_minutes(meeting, assessment, actor=coordinator)
    with pytest.raises(DomainError):
        services.approve_minutes(meeting, assessment, schedule(assessment, people),
                                 actor=coordinator)
    db.session.rollback()
    db.session.expire_all()
    assert meeting.minutes == "Minutes." and meeting.decisions == "Adopt"
    assert [a.text for a in meeting.action_items] == ["Draft"]
    assert meeting.minutes_status == MinutesStatus.APPROVED


def test_action_items_need_an_owner_from_the_assessment(world):
    assessment, people = world
    meeting = held_meeting(assessment, people)
    outsider = make_member(make_assessment(), Role.BOARD_MEMBER)
    with pytest.raises(DomainError):
        services.save_minutes(meeting, assessment, actor=people["coordinator"], minutes="M",
                              decisions="", items=[{"text": "Do", "owner_id":
                                                    membership(outsider).id}])
    db.session.rollback()
    services.save_minutes(meeting, assessment, actor=people["coordinator"], minutes="M",
                          decisions="", items=[
                              {"text": "Do it", "owner_id": membership(people["researcher"]).id,
                               "due_on": None, "done": True},
                              {"text": "   ", "owner_id": None}])
    db.session.commit()
    [item] = meeting.action_items
    assert (item.text, item.owner.user_id, item.done) == ("Do it", people["researcher"].id, True)

"""Cancelling a meeting asks first (issue 13 item 4): the POST without ``confirm=1`` shows who
will be emailed and takes an optional message; only the confirmed POST cancels, mails and audits.
"""
import html

from sqlalchemy import func, select

from mab.audit.models import AuditEvent
from mab.extensions import db
from mab.meetings.models import Meeting, MeetingStatus
from mab.notify.models import OutboxMessage
from tests.confirming import confirmation_fields
from tests.meetings.test_views import add_board_member, schedule
from tests.meetings.test_views import setup as meeting_setup

A = "/a/kz-2022"


def state(meeting_id):
    """What a cancellation changes: the meeting, the outbox, the audit log."""
    meeting = db.session.get(Meeting, meeting_id)
    db.session.refresh(meeting)
    return (meeting.status, meeting.sequence, db.session.scalar(
        select(func.count()).select_from(OutboxMessage)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)))


def body(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _meeting(app):
    assessment, people, groups = meeting_setup()
    add_board_member(assessment, groups["Academia"], "man", email="m2@example.org")
    meeting = schedule(app, assessment, people)
    return assessment, people, meeting


def test_the_first_post_shows_who_is_emailed_and_changes_nothing(app, client, login):
    _assessment, people, meeting = _meeting(app)
    invitees = len(meeting.invitations)
    assert invitees >= 3
    before = state(meeting.id)
    login(people["coordinator"])
    show = body(client.get(f"{A}/meetings/{meeting.id}"))
    assert f'action="{A}/meetings/{meeting.id}/cancel"' in show
    response = client.post(f"{A}/meetings/{meeting.id}/cancel")
    assert response.status_code == 200
    page = body(response)
    assert "Cancel “Board meeting”?" in page
    assert (f"{invitees} invitees will be emailed that the meeting is cancelled, with a calendar "
            "file that removes it.") in page
    assert 'name="message"' in page and "<textarea" in page
    assert "Cancel the meeting and email the invitees" in page
    fields = confirmation_fields(response)
    assert fields["confirm"] == "1"
    assert 'name="csrf_token"' in page
    assert state(meeting.id) == before          # nothing cancelled, mailed or audited


def test_the_confirmed_post_cancels_and_mails_the_message_escaped(app, client, login):
    _assessment, people, meeting = _meeting(app)
    invitees = len(meeting.invitations)
    mails = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    login(people["coordinator"])
    message = "The hall is flooded <b>sorry</b> & we meet in May."
    response = client.post(f"{A}/meetings/{meeting.id}/cancel",
                           data={"confirm": "1", "message": message}, follow_redirects=True)
    assert response.status_code == 200
    assert f"The meeting is cancelled; {invitees} invitees are told." in body(response)
    assert db.session.get(Meeting, meeting.id).status == MeetingStatus.CANCELLED
    sent = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "meeting_cancelled")).all()
    assert len(sent) == invitees
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == mails + invitees
    for mail in sent:
        assert message in mail.body_text
        assert "Message from" in mail.body_text
        assert "&lt;b&gt;sorry&lt;/b&gt; &amp; we meet in May." in mail.body_html
        assert "<b>sorry</b>" not in mail.body_html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "meeting.cancelled"))
    assert event.changes["message"] == message and event.changes["notified"] == invitees


def test_without_a_message_the_email_has_none(app, client, login):
    _assessment, people, meeting = _meeting(app)
    login(people["coordinator"])
    assert client.post(f"{A}/meetings/{meeting.id}/cancel",
                       data={"confirm": "1"}).status_code == 302
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "meeting_cancelled")).first()
    assert "Message from" not in mail.body_text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "meeting.cancelled"))
    assert event.changes["message"] == ""


def test_a_too_long_message_is_refused_on_the_confirmation_page(app, client, login):
    _assessment, people, meeting = _meeting(app)
    before = state(meeting.id)
    login(people["coordinator"])
    response = client.post(f"{A}/meetings/{meeting.id}/cancel",
                           data={"confirm": "1", "message": "x" * 2001})
    assert response.status_code == 422
    assert "Field cannot be longer than 2000 characters." in body(response)
    assert state(meeting.id) == before


def test_a_cancelled_meeting_gets_no_second_confirmation(app, client, login):
    _assessment, people, meeting = _meeting(app)
    login(people["coordinator"])
    client.post(f"{A}/meetings/{meeting.id}/cancel", data={"confirm": "1"})
    before = state(meeting.id)
    response = client.post(f"{A}/meetings/{meeting.id}/cancel", follow_redirects=True)
    assert "This meeting is already cancelled." in body(response)
    assert 'class="card confirm"' not in body(response)
    assert state(meeting.id) == before


def test_others_are_refused_before_and_after_the_confirmation(app, client, login):
    _assessment, people, meeting = _meeting(app)
    before = state(meeting.id)
    login(people["researcher"])
    assert client.post(f"{A}/meetings/{meeting.id}/cancel").status_code == 403
    assert client.post(f"{A}/meetings/{meeting.id}/cancel",
                       data={"confirm": "1"}).status_code == 403
    assert state(meeting.id) == before

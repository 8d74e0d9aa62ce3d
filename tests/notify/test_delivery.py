"""Real SMTP: a local aiosmtpd server receives what ``flask mab send-outbox`` delivers."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.extensions import db
from mab.notify.models import OutboxMessage, OutboxStatus
from mab.notify.services import queue_email
from tests.factories import team
from tests.smtp import inbox, mail_config, smtp_port, smtp_server  # noqa: F401 (fixtures)


@pytest.fixture
def app_overrides(smtp_port):
    return mail_config(smtp_port)


def invite(client, login):
    assessment, people = team()
    login(people["coordinator"])
    response = client.post("/a/kz-2022/people", data={
        "email": "saule@example.org", "name": "Saule", "role": "board_member", "language": "en"})
    assert response.status_code == 302
    return db.session.scalars(select(OutboxMessage)).one()


def test_invitation_delivered_by_send_outbox(client, login, runner, inbox):
    message = invite(client, login)
    result = runner.invoke(args=["mab", "send-outbox"])
    assert result.exit_code == 0 and "sent 1" in result.output
    assert len(inbox.messages) == 1
    [recipients], [email] = inbox.recipients, inbox.messages
    assert recipients == ["saule@example.org"]
    # The assessment's mail says which assessment writes (mab.notify.services.from_name).
    title = db.session.get(Assessment, message.assessment_id).title
    assert email["From"].addresses[0].display_name == f"{title} (MAB)"
    assert email["From"].addresses[0].addr_spec == "mab@example.org"
    body = email.get_body(("plain",)).get_content()
    assert "/invite/" in body
    assert "/invite/" in email.get_body(("html",)).get_content()
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.sent_at is not None
    # Idempotent: a second run sends nothing again.
    assert "sent 0" in runner.invoke(args=["mab", "send-outbox"]).output
    assert len(inbox.messages) == 1


def test_server_down_keeps_message_pending_then_delivers(client, login, runner, smtp_port):
    message = invite(client, login)
    result = runner.invoke(args=["mab", "send-outbox"])
    assert result.exit_code == 0 and "failed 1" in result.output
    db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1 and "Connection" in message.last_error
    assert message.next_attempt_at > message.created_at

    # Not due yet: nothing happens even though the server is now up.
    with smtp_server(smtp_port) as received:
        runner.invoke(args=["mab", "send-outbox"])
        assert received.messages == []
        message.next_attempt_at = message.next_attempt_at - timedelta(minutes=5)
        db.session.commit()
        assert "sent 1" in runner.invoke(args=["mab", "send-outbox"]).output
    assert received.recipients == [["saule@example.org"]]
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.last_error is None


def test_gives_up_after_max_attempts_and_coordinator_sees_it(client, login, runner, app):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 1
    message = invite(client, login)
    assert "gave up 1" in runner.invoke(args=["mab", "send-outbox"]).output
    db.session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    home = client.get("/a/kz-2022/")
    assert b"1 message could not be delivered." in home.data
    page = client.get("/outbox?status=failed")
    assert b"saule@example.org" in page.data and b"Connection" in page.data
    assert client.post(f"/outbox/{message.id}/retry").status_code == 302
    db.session.refresh(message)
    assert message.status == OutboxStatus.PENDING


def test_attachments_travel(app, runner, inbox, request_context):
    from mab.auth.models import User
    user = User(email="a@example.org", name="A")
    db.session.add(user)
    queue_email(to=user, template="password_reset", subject="Test", link="http://x/y", hours=1,
                attachments=[{"filename": "meeting.ics", "content_type": "text/calendar",
                              "data": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}])
    db.session.commit()
    runner.invoke(args=["mab", "send-outbox"])
    email = inbox.messages[0]
    attachments = list(email.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["meeting.ics"]
    content = attachments[0].get_content()
    assert "BEGIN:VCALENDAR" in (content if isinstance(content, str) else content.decode())


def test_without_mail_server_messages_wait(app, runner, client, login):
    app.config["MAIL_SERVER"] = ""
    invite(client, login)
    result = runner.invoke(args=["mab", "send-outbox"])
    assert "1 message(s) wait in the outbox" in result.output
    assert db.session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.PENDING]

"""What arrives: the outbox delivered through Flask-Mail to a local aiosmtpd server, read back with
the standard ``email`` package (headers, MIME layout, the calendar part's method) and the times
the emails give (recipient's language and timezone, one interval, no seconds)."""
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from mab.assessments.models import BoardStatus, Membership, Role
from mab.extensions import db
from mab.meetings import services as meetings
from mab.notify.models import OutboxMessage, OutboxStatus
from mab.notify.services import message_domain, queue_email
from tests.factories import make_assessment, make_member
from tests.smtp import inbox, mail_config, smtp_port, smtp_server  # noqa: F401 (fixtures)

ALMATY = ZoneInfo("Asia/Almaty")
TITLE = "Оценка универсальности интернета: Казахстан"


@pytest.fixture
def app_overrides(smtp_port):
    return mail_config(smtp_port, BASE_URL="https://mab.example.kz")


@pytest.fixture
def world(app, request_context):
    """A Russian-titled assessment in Almaty; a Russian, a Kazakh, and an English member in
    Paris; a meeting on Thursday 14 March 2030, 10:00-12:00 Almaty time, invitations queued."""
    assessment = make_assessment(slug="kz-2022", title=TITLE)
    coordinator = make_member(assessment, Role.COORDINATOR, email="coordinator@example.org")
    people = {
        "ru": make_member(assessment, email="aigerim@example.org", name="Айгерим Сәрсенова",
                          language="ru"),
        "kk": make_member(assessment, email="nurlan@example.org", name="Нұрлан", language="kk"),
        "paris": make_member(assessment, email="claire@example.org", name="Claire",
                             language="en", timezone="Europe/Paris"),
    }
    memberships = db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER)).all()
    for membership in memberships:
        membership.board_status = BoardStatus.ACTIVE
    start = datetime(2030, 3, 14, 10, 0, tzinfo=ALMATY).astimezone(timezone.utc)
    meeting = meetings.schedule_meeting(
        assessment, actor=coordinator, invitees=memberships, kind="board_meeting",
        title="Заседание совета", starts_at=start, ends_at=start + timedelta(hours=2),
        place="Алматы", online_url="", agenda="")
    db.session.commit()
    return assessment, coordinator, people, meeting


def send(runner):
    result = runner.invoke(args=["mab", "send-outbox"])
    assert result.exit_code == 0, result.output
    return result.output


def spaces(text: str) -> str:
    """Babel writes CLDR's thin and narrow no-break spaces; read them as spaces."""
    return text.replace("\u2009", " ").replace("\u202f", " ")


def calendar_part(email):
    [part] = [p for p in email.walk() if p.get_content_type() == "text/calendar"]
    return part


def test_headers_date_message_id_from_name_and_encoded_subject(world, runner, inbox):
    assessment, _coordinator, people, _meeting = world
    assert "sent 3" in send(runner)
    raw = next(r for r in inbox.raw if b"aigerim@example.org" in r.split(b"\r\n\r\n")[0])
    head = raw.split(b"\r\n\r\n")[0].decode("ascii")   # headers are ASCII: RFC 2047 words
    assert "=?utf-8?" in head.lower()
    email = inbox.to("aigerim@example.org")
    # Date: present and now.
    sent_at = parsedate_to_datetime(email["Date"])
    assert abs(sent_at - datetime.now(timezone.utc)) < timedelta(minutes=5)
    # Message-ID on BASE_URL's host, one per message.
    ids = {m["Message-ID"] for m in inbox.messages}
    assert len(ids) == 3 and all(re.fullmatch(r"<[^@<>]+@mab\.example\.kz>", i) for i in ids)
    # From: the assessment's title (encoded words decode back to it) with the configured name.
    [sender] = email["From"].addresses
    assert sender.display_name == f"{TITLE} (MAB)" and sender.addr_spec == "mab@example.org"
    # The Russian subject decodes to what was queued in Russian.
    queued = db.session.scalar(select(OutboxMessage.subject).where(
        OutboxMessage.recipient == "aigerim@example.org"))
    assert email["Subject"] == queued and "Заседание совета" in email["Subject"]
    assert email["Auto-Submitted"] == "auto-generated"


def test_a_plain_message_is_text_and_html_alternatives(app, runner, inbox, request_context):
    from mab.auth.models import User
    user = User(email="a@example.org", name="Ана", language="ru")
    db.session.add(user)
    queue_email(to=user, template="password_reset", subject="Сброс пароля",
                link="https://mab.example.kz/reset/x", hours=1)
    db.session.commit()
    assert "sent 1" in send(runner)
    [email] = inbox.messages
    assert email.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in email.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in email.iter_parts())
    assert "https://mab.example.kz/reset/x" in email.get_body(("plain",)).get_content()
    assert email["Subject"] == "Сброс пароля"
    assert email["From"].addresses[0].display_name == "MAB"   # no assessment: the plain name


def test_an_invitation_carries_a_request_calendar_alternative_and_the_ics(world, runner, inbox):
    assert "sent 3" in send(runner)
    raw = inbox.raw[0]
    # The email package quotes parameter values (RFC 2045: the same thing).
    assert re.search(rb'Content-Type: text/calendar; method="?REQUEST"?; charset="?UTF-8"?', raw)
    assert raw.count(b"MIME-Version") == 1
    for email in inbox.messages:
        assert email.get_content_type() == "multipart/mixed"
        alternative, attached = list(email.iter_parts())
        assert alternative.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in alternative.iter_parts()] == [
            "text/plain", "text/html", "text/calendar"]
        part = calendar_part(email)
        assert part.get_param("method") == "REQUEST" and part.get_content_charset() == "utf-8"
        cal = Calendar.from_ical(part.get_content())
        assert cal["METHOD"] == part.get_param("method")
        [event] = cal.walk("VEVENT")
        assert str(event["SUMMARY"]) == "Заседание совета"
        # The same calendar attached, as application/ics (Gmail's way), for clients that look
        # among the attachments.
        assert attached.get_content_type() == "application/ics"
        assert attached.get_filename() == "meeting.ics" and attached.is_attachment()
        assert attached.get_content() == part.get_content().encode("utf-8")


def test_a_cancellation_carries_method_cancel(world, runner, inbox):
    assessment, coordinator, _people, meeting = world
    send(runner)
    meetings.cancel_meeting(meeting, assessment, actor=coordinator)
    db.session.commit()
    assert "sent 3" in send(runner)
    cancellations = inbox.messages[3:]
    assert len(cancellations) == 3
    for email in cancellations:
        part = calendar_part(email)
        assert part.get_param("method") == "CANCEL" and part.get_content_charset() == "utf-8"
        assert Calendar.from_ical(part.get_content())["METHOD"] == "CANCEL"
    assert re.search(rb'text/calendar; method="?CANCEL"?; charset="?UTF-8"?', inbox.raw[3])


def test_server_down_keeps_the_message_then_the_retry_delivers_it(world, runner, smtp_port):
    _assessment, _coordinator, _people, _meeting = world
    assert "failed 3" in send(runner)
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    for row in rows:
        db.session.refresh(row)
        assert row.status == OutboxStatus.PENDING and row.attempts == 1
        assert "Connection" in row.last_error and row.next_attempt_at > row.created_at
        row.next_attempt_at = row.next_attempt_at - timedelta(minutes=5)
    db.session.commit()
    with smtp_server(smtp_port) as inbox:
        assert "sent 3" in send(runner)
    for row in rows:
        db.session.refresh(row)
        assert row.status == OutboxStatus.SENT and row.attempts == 2 and row.last_error is None
    assert sorted(m["To"] for m in inbox.messages) == [
        "aigerim@example.org", "claire@example.org", "nurlan@example.org"]
    assert all(calendar_part(m).get_param("method") == "REQUEST" for m in inbox.messages)


def test_times_in_the_recipients_language_and_timezone(world, runner, inbox):
    send(runner)
    bodies = {}
    for email in inbox.messages:
        text = spaces(email.get_body(("plain",)).get_content())
        html = spaces(email.get_body(("html",)).get_content())
        assert not re.search(r"\d:\d\d:\d\d", text + html)      # no seconds
        assert "2030" in text and not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", text)
        bodies[email["To"]] = text
    # Russian: Russian month and weekday, the day once, one interval, the zone named.
    ru = bodies["aigerim@example.org"]
    assert "четверг, 14 марта 2030 г., 10:00—12:00 (Asia/Almaty)" in ru
    assert ru.count("2030") == 1
    # Kazakh.
    kk = bodies["nurlan@example.org"]
    assert "наурыз" in kk and "10:00–12:00 (Asia/Almaty)" in kk and kk.count("2030") == 1
    # English, living in Paris: her time first, then the assessment's, each zone named.
    en = bodies["claire@example.org"]
    assert "Thursday, March 14, 2030, 6:00 – 8:00 AM (Europe/Paris)" in en
    assert "Thursday, March 14, 2030, 10:00 AM – 12:00 PM (Asia/Almaty)" in en


def test_the_message_id_domain(app):
    config = {"BASE_URL": "https://mab.example.kz/"}
    assert message_domain(config, "mab@example.org") == "mab.example.kz"
    for local in ("http://127.0.0.1:5105", "http://localhost:5000", "http://[::1]:5000"):
        assert message_domain({"BASE_URL": local}, "mab@example.org") == "example.org"

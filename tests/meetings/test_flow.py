"""The main path of meetings over HTTP: schedule, invite with .ics, RSVP by link, roll call,
minutes. Finer cases live beside this file."""
import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from mab.board.services import create_default_groups
from mab.extensions import db
from mab.meetings.models import Attendance, Invitation, Meeting, MeetingStatus, Rsvp
from mab.notify.models import OutboxMessage
from mab.types import utcnow
from tests.factories import team

A = "/a/kz-2022"


def membership_of(user):
    from mab.assessments.models import Membership
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def local(moment, assessment):
    from zoneinfo import ZoneInfo
    return moment.astimezone(ZoneInfo(assessment.timezone)).strftime("%Y-%m-%dT%H:%M")


def default_invitees(client):
    """The invitees ticked by default on the form, as a browser would post them."""
    page = client.get(f"{A}/meetings/new").get_data(as_text=True)
    return [re.search(r'value="(\d+)"', tag).group(1)
            for tag in re.findall(r"<input[^>]*>", page)
            if 'name="inv-invitees"' in tag and "checked" in tag]


def schedule(client, assessment, *, days=10, **extra):
    start = (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
    extra.setdefault("inv-invitees", default_invitees(client))
    data = {"kind": "consultation", "title": "Consultation on R", "place": "Almaty, UNESCO office",
            "online_url": "", "agenda": "1. [Balance](/a/kz-2022/balance)\n2. <script>x</script>",
            "starts_at": local(start, assessment),
            "ends_at": local(start + timedelta(hours=2), assessment), **extra}
    return client.post(f"{A}/meetings/new", data=data), start


def test_main_path(client, login, app):
    assessment, people = team()
    create_default_groups(assessment)
    membership_of(people["board_member"]).board_status = "active"
    db.session.commit()
    login(people["coordinator"])
    response, start = schedule(client, assessment)
    assert response.status_code == 302, response.data
    meeting = db.session.scalars(select(Meeting)).one()
    assert abs(meeting.starts_at - start) < timedelta(minutes=1)
    # Default invitees: coordinator, researcher, active board member (not the observer).
    roles = sorted(str(i.membership.role) for i in meeting.invitations)
    assert roles == ["board_member", "coordinator", "researcher"]
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "board_member@example.org")).one()
    [attachment] = mail.attachments
    import base64
    cal = Calendar.from_ical(base64.b64decode(attachment["data"]))
    assert cal["method"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(start.tzinfo) == start
    assert "mailto:board_member@example.org" in str(event["attendee"])
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "Asia/Almaty"

    page = client.get(f"{A}/meetings/{meeting.id}")
    assert page.status_code == 200 and b"<script>x" not in page.data
    assert b'href="/a/kz-2022/balance"' in page.data
    assert client.get(f"{A}/meetings").status_code == 200
    assert client.get(f"{A}/meetings/{meeting.id}.ics").status_code == 200

    # The board member answers from the email link without signing in.
    client.post("/logout")
    link = re.search(r"http://localhost(/rsvp/[^\s?]+)", mail.body_text).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link, data={"answer": "yes"}).status_code == 302
    invitation = db.session.scalar(select(Invitation).join(Invitation.membership).where(
        Invitation.membership.has(user_id=people["board_member"].id)))
    assert invitation.rsvp == Rsvp.YES
    assert client.post(link + "x", data={"answer": "no"}).status_code == 400
    db.session.refresh(invitation)
    assert invitation.rsvp == Rsvp.YES

    # Roll call (pre-filled from the answers) and minutes.
    login(people["coordinator"])
    form = client.get(f"{A}/meetings/{meeting.id}/attendance")
    assert form.status_code == 200
    assert f'name="att-{invitation.id}" value="present"'.encode() in form.data
    response = client.post(f"{A}/meetings/{meeting.id}/attendance",
                           data={f"att-{i.id}": "present" for i in meeting.invitations})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.HELD
    assert {i.attendance for i in meeting.invitations} == {Attendance.PRESENT}
    response = client.post(f"{A}/meetings/{meeting.id}/minutes", data={
        "minutes": "Discussed R.", "decisions": "Adopt the plan", "items-0-text": "Send draft",
        "items-0-owner_id": "", "items-0-due_on": ""})
    assert response.status_code == 302
    assert client.post(f"{A}/meetings/{meeting.id}/minutes/circulate").status_code == 302
    printed = client.get(f"{A}/meetings/{meeting.id}/print")
    assert b"Discussed R." in printed.data and b"Send draft" in printed.data
    csv = client.get(f"{A}/meetings/{meeting.id}/attendance.csv")
    assert csv.data.startswith(b"\xef\xbb\xbf") and b"present" in csv.data


def test_account_calendar_feed(client, login):
    assessment, people = team()
    membership_of(people["board_member"]).board_status = "active"
    db.session.commit()
    login(people["coordinator"])
    schedule(client, assessment)
    login(people["board_member"])
    page = client.get("/account").get_data(as_text=True)
    link = re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', page).group(1)
    feed = client.get(link)
    assert feed.status_code == 200 and b"Consultation on R" in feed.data
    client.post("/account/calendar/revoke")
    assert client.get(link).status_code == 404

"""Meetings over HTTP: who may do what, bad input, RSVP links, roll call, lists and exports."""
import base64
import csv
import io
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Membership, Role
from mab.audit.models import AuditEvent
from mab.auth.models import Gender
from mab.board.services import create_default_groups
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

A = "/a/kz-2022"
BOM = b"\xef\xbb\xbf"
ALMATY = ZoneInfo("Asia/Almaty")
OTHERS = ["researcher", "board_member", "observer"]


# --- helpers ----------------------------------------------------------------------------------

def membership_of(user, assessment=None) -> Membership:
    query = select(Membership).where(Membership.user_id == user.id)
    if assessment is not None:
        query = query.where(Membership.assessment_id == assessment.id)
    return db.session.scalar(query)


def setup():
    """team() with the default groups; the board member is an active woman for Government."""
    assessment, people = team()
    groups = {g.name: g for g in create_default_groups(assessment)}
    own = membership_of(people["board_member"])
    own.board_status = BoardStatus.ACTIVE
    own.group_id = groups["Government"].id
    people["board_member"].gender = Gender.WOMAN
    db.session.commit()
    return assessment, people, groups


def add_board_member(assessment, group, gender, *, email, status=BoardStatus.ACTIVE):
    user = make_member(assessment, Role.BOARD_MEMBER, email=email, gender=gender)
    own = membership_of(user, assessment)
    own.board_status = status
    own.group_id = group.id
    db.session.commit()
    return user


def schedule(app, assessment, people, *, start=None, hours=2, invitees=None, **fields):
    """A meeting through the service (as the coordinator), committed."""
    start = start or (utcnow() + timedelta(days=10)).replace(second=0, microsecond=0)
    values = {"kind": "board_meeting", "title": "Board meeting", "starts_at": start,
              "ends_at": start + timedelta(hours=hours), "place": "Almaty, UNESCO office",
              "online_url": "", "agenda": "1. Opening"}
    values.update(fields)
    with app.test_request_context():
        meeting = services.schedule_meeting(
            assessment, actor=people["coordinator"],
            invitees=services.default_invitees(assessment) if invitees is None else invitees,
            **values)
        db.session.commit()
    return meeting


def local(moment, tz=ALMATY) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def form_data(start, *, hours=2, **extra):
    data = {"kind": "board_meeting", "title": "Spring board meeting", "starts_at": local(start),
            "ends_at": local(start + timedelta(hours=hours)), "place": "Almaty",
            "online_url": "", "agenda": "1. Opening"}
    data.update(extra)
    return data


def future(days=10):
    return (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def invitation_of(meeting, user) -> Invitation:
    return db.session.scalar(select(Invitation).join(Invitation.membership).where(
        Invitation.meeting_id == meeting.id, Membership.user_id == user.id))


def state():
    """Everything a meeting route could change."""
    db.session.expire_all()
    meetings = sorted((m.id, m.title, str(m.status), m.sequence, m.agenda, m.minutes,
                       str(m.minutes_status), m.minutes_approved_in_id)
                      for m in db.session.scalars(select(Meeting)))
    invitations = sorted((i.id, i.meeting_id, i.membership_id, str(i.rsvp), str(i.attendance))
                         for i in db.session.scalars(select(Invitation)))
    return (meetings, invitations, count(OutboxMessage), count(AuditEvent), count(ReminderSent))


def text(response) -> str:
    return response.get_data(as_text=True)


# --- grants and denials ------------------------------------------------------------------------

@pytest.fixture
def two_meetings(app):
    """An upcoming meeting, and a past one with circulated minutes (approvable by the first)."""
    assessment, people, _groups = setup()
    upcoming = schedule(app, assessment, people, title="Upcoming")
    past = schedule(app, assessment, people, start=utcnow() - timedelta(days=20), title="Past")
    with app.test_request_context():
        services.record_attendance(past, assessment, {i.id: "present" for i in past.invitations},
                                   actor=people["coordinator"])
        services.save_minutes(past, assessment, actor=people["coordinator"], minutes="Minutes",
                              decisions="", items=[])
        services.circulate_minutes(past, assessment, actor=people["coordinator"])
        db.session.commit()
    return assessment, people, upcoming, past


def write_requests(meeting, later, slug="kz-2022"):
    base = f"/a/{slug}/meetings/{meeting.id}"
    invitations = [i.id for i in meeting.invitations]
    memberships = [i.membership_id for i in meeting.invitations]
    data = form_data(future(20), title="Changed")
    return [
        ("get", f"/a/{slug}/meetings/new", None),
        ("post", f"/a/{slug}/meetings/new", {**data, "inv-invitees": memberships}),
        ("get", f"{base}/edit", None),
        ("post", f"{base}/edit", data),
        ("post", f"{base}/cancel", {"confirm": "1"}),
        ("post", f"{base}/invitees", {"inv-invitees": memberships[:1]}),
        ("post", f"{base}/remind", {"rem-invitations": invitations}),
        ("get", f"{base}/attendance", None),
        ("post", f"{base}/attendance", {f"att-{i}": "absent" for i in invitations}),
        ("get", f"{base}/minutes", None),
        ("post", f"{base}/minutes", {"minutes": "Rewritten", "decisions": "",
                                     "items-0-text": "", "items-0-owner_id": ""}),
        ("post", f"{base}/minutes/circulate", {}),
        ("post", f"{base}/minutes/approve", {"approved_in": later.id}),
        ("get", f"{base}/attendance.csv", None),
    ]


def read_requests(meeting, slug="kz-2022"):
    base = f"/a/{slug}/meetings/{meeting.id}"
    return [f"/a/{slug}/meetings", base, f"{base}.ics", f"{base}/print"]


def send(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data=data)


@pytest.mark.parametrize("role", OTHERS)
def test_every_write_route_is_forbidden_beyond_the_coordinator(client, login, two_meetings,
                                                                role):
    _assessment, people, upcoming, past = two_meetings
    login(people[role])
    before = state()
    for meeting in (upcoming, past):
        for method, url, data in write_requests(meeting, upcoming):
            assert send(client, method, url, data).status_code == 403, (method, url)
    assert state() == before


@pytest.mark.parametrize("role", ["coordinator", *OTHERS])
def test_every_role_may_read(client, login, two_meetings, role):
    _assessment, people, upcoming, past = two_meetings
    login(people[role])
    for meeting in (upcoming, past):
        for url in read_requests(meeting):
            assert client.get(url).status_code == 200, url


def test_the_coordinator_may_open_every_write_page(client, login, two_meetings):
    _assessment, people, upcoming, past = two_meetings
    login(people["coordinator"])
    for meeting in (upcoming, past):
        for method, url, _data in write_requests(meeting, upcoming):
            if method == "get":
                assert client.get(url).status_code == 200, url


def test_the_coordinator_requests_do_act(client, login, two_meetings):
    """The same requests the others are refused change things for the coordinator."""
    _assessment, people, upcoming, past = two_meetings
    login(people["coordinator"])
    requests = {url: data for _method, url, data in write_requests(past, upcoming)}
    base = f"{A}/meetings/{past.id}"
    response = client.post(f"{base}/minutes/approve", data=requests[f"{base}/minutes/approve"])
    assert response.status_code == 302
    assert db.session.get(Meeting, past.id).minutes_status == MinutesStatus.APPROVED
    base = f"{A}/meetings/{upcoming.id}"
    before = count(OutboxMessage)
    assert client.post(f"{base}/cancel", data={"confirm": "1"}).status_code == 302
    assert db.session.get(Meeting, upcoming.id).status == MeetingStatus.CANCELLED
    assert count(OutboxMessage) > before


@pytest.mark.parametrize("who", ["other_coordinator", "outsider", "admin"])
def test_people_outside_the_assessment_get_404(client, login, two_meetings, who):
    _assessment, people, upcoming, past = two_meetings
    other = make_assessment(slug="other")
    people["other_coordinator"] = make_member(other, Role.COORDINATOR)
    db.session.commit()
    login(people[who])
    before = state()
    for meeting in (upcoming, past):
        for url in read_requests(meeting):
            assert client.get(url).status_code == 404, url
        for method, url, data in write_requests(meeting, upcoming):
            assert send(client, method, url, data).status_code == 404, (method, url)
        assert client.post(f"{A}/meetings/{meeting.id}/rsvp",
                           data={"answer": "yes"}).status_code == 404
    assert state() == before


def test_a_meeting_is_not_reachable_through_another_assessment(client, login, two_meetings):
    """The coordinator of 'other' asks for kz-2022's meetings under his own slug: 404."""
    _assessment, _people, upcoming, past = two_meetings
    other = make_assessment(slug="other")
    coordinator = make_member(other, Role.COORDINATOR)
    db.session.commit()
    login(coordinator)
    assert client.get("/a/other/meetings").status_code == 200
    assert b"Upcoming</a>" not in client.get("/a/other/meetings").data
    before = state()
    for meeting in (upcoming, past):
        for url in read_requests(meeting, slug="other")[1:]:
            assert client.get(url).status_code == 404, url
        for method, url, data in write_requests(meeting, upcoming, slug="other")[2:]:
            assert send(client, method, url, data).status_code == 404, (method, url)
    assert state() == before


def test_invitees_from_another_assessment_are_refused(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    other = make_assessment(slug="other")
    stranger = make_member(other, Role.BOARD_MEMBER)
    db.session.commit()
    login(people["coordinator"])
    before = state()
    response = client.post(f"{A}/meetings/{meeting.id}/invitees",
                           data={"inv-invitees": [membership_of(stranger).id]})
    assert response.status_code == 400
    response = client.post(f"{A}/meetings/new", data={
        **form_data(future()), "inv-invitees": [membership_of(stranger).id]})
    assert response.status_code == 422
    assert state() == before


# --- RSVP in the browser -----------------------------------------------------------------------

def test_rsvp_in_the_browser(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people["board_member"])
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "Will you attend?" in page
    response = client.post(f"{A}/meetings/{meeting.id}/rsvp", data={"answer": "maybe"})
    assert response.status_code == 302
    invitation = invitation_of(meeting, people["board_member"])
    assert invitation.rsvp == Rsvp.MAYBE
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert 'value="maybe" required checked' in page
    client.post(f"{A}/meetings/{meeting.id}/rsvp", data={"answer": "no"})
    db.session.refresh(invitation)
    assert invitation.rsvp == Rsvp.NO
    refused = client.post(f"{A}/meetings/{meeting.id}/rsvp", data={"answer": "pending"},
                          follow_redirects=True)
    assert "Choose yes, no or maybe." in text(refused)
    db.session.refresh(invitation)
    assert invitation.rsvp == Rsvp.NO


def test_observers_see_meetings_but_cannot_rsvp(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people["observer"])
    assert b"Board meeting" in client.get(f"{A}/meetings").data
    page = client.get(f"{A}/meetings/{meeting.id}")
    assert page.status_code == 200 and b"Will you attend?" not in page.data
    before = state()
    assert client.post(f"{A}/meetings/{meeting.id}/rsvp",
                       data={"answer": "yes"}).status_code == 403
    assert state() == before


def test_a_board_member_who_is_not_invited_cannot_rsvp(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people,
                       invitees=[membership_of(people["coordinator"])])
    login(people["board_member"])
    page = client.get(f"{A}/meetings/{meeting.id}")
    assert page.status_code == 200 and b"Will you attend?" not in page.data
    before = state()
    assert client.post(f"{A}/meetings/{meeting.id}/rsvp",
                       data={"answer": "yes"}).status_code == 403
    assert state() == before


def test_rsvp_in_the_browser_on_a_cancelled_meeting_changes_nothing(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people["coordinator"])
    client.post(f"{A}/meetings/{meeting.id}/cancel", data={"confirm": "1"})
    login(people["board_member"])
    assert b"Will you attend?" not in client.get(f"{A}/meetings/{meeting.id}").data
    before = state()
    response = client.post(f"{A}/meetings/{meeting.id}/rsvp", data={"answer": "yes"},
                           follow_redirects=True)
    assert "This meeting has been cancelled" in text(response)
    assert state() == before


# --- the RSVP link -----------------------------------------------------------------------------

def rsvp_link(person_email):
    mail = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == person_email,
        OutboxMessage.kind == "meeting_invitation")).first()
    return re.search(r"http://localhost(/rsvp/[^\s?]+)", mail.body_text).group(1)   # the token


def test_the_link_works_without_signing_in_and_can_be_changed(client, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    link = rsvp_link("board_member@example.org")
    page = client.get(link)
    assert page.status_code == 200
    assert "Board meeting" in text(page)
    assert client.post(link, data={"answer": "yes"}).status_code == 302
    invitation = invitation_of(meeting, people["board_member"])
    assert invitation.rsvp == Rsvp.YES
    assert 'value="yes" checked' in text(client.get(link))
    assert client.post(link, data={"answer": "no"}).status_code == 302
    db.session.refresh(invitation)
    assert invitation.rsvp == Rsvp.NO
    # Only this invitation changed.
    assert {str(i.rsvp) for i in db.session.scalars(select(Invitation))
            if i.id != invitation.id} == {"pending"}


def test_each_link_answers_for_its_own_invitee(client, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    client.post(rsvp_link("researcher@example.org"), data={"answer": "maybe"})
    assert invitation_of(meeting, people["researcher"]).rsvp == Rsvp.MAYBE
    assert invitation_of(meeting, people["board_member"]).rsvp == Rsvp.PENDING


@pytest.mark.parametrize("tamper", [
    lambda t: t + "x",
    lambda t: t[:-2],
    lambda t: "garbage",
    lambda t: t[:5] + ("A" if t[5] != "A" else "B") + t[6:],
])
def test_a_tampered_link_changes_nothing(client, app, tamper):
    assessment, people, _groups = setup()
    schedule(app, assessment, people)
    link = rsvp_link("board_member@example.org")
    token = link.removeprefix("/rsvp/")
    before = state()
    for response in (client.get("/rsvp/" + tamper(token)),
                     client.post("/rsvp/" + tamper(token), data={"answer": "yes"})):
        assert response.status_code == 400
        page = text(response)
        assert "This answer link is not valid" in page
        assert "Nothing has been changed." in page
    assert state() == before


def test_a_link_of_a_removed_invitee_no_longer_works(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    link = rsvp_link("researcher@example.org")
    login(people["coordinator"])
    keep = [i.membership_id for i in meeting.invitations
            if i.membership.user_id != people["researcher"].id]
    assert client.post(f"{A}/meetings/{meeting.id}/invitees",
                       data={"inv-invitees": keep}).status_code == 302
    client.post("/logout")
    before = state()
    assert client.post(link, data={"answer": "yes"}).status_code == 400
    assert state() == before


def test_a_signed_token_for_the_wrong_meeting_is_refused(client, app):
    from mab.meetings.tokens import _serializer
    assessment, people, _groups = setup()
    first = schedule(app, assessment, people)
    second = schedule(app, assessment, people)
    invitation = invitation_of(first, people["board_member"])
    token = _serializer("mab-rsvp").dumps([invitation.id, second.id])
    before = state()
    assert client.post(f"/rsvp/{token}", data={"answer": "yes"}).status_code == 400
    assert state() == before


def test_the_link_closes_when_the_meeting_starts(client, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    link = rsvp_link("board_member@example.org")
    meeting.starts_at = utcnow() - timedelta(minutes=1)
    meeting.ends_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    before = state()
    for response in (client.get(link), client.post(link, data={"answer": "yes"})):
        assert response.status_code == 410
        assert "answers are closed" in text(response)
        assert "Nothing has been changed." in text(response)
    assert state() == before


def test_the_link_of_a_cancelled_meeting(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    link = rsvp_link("board_member@example.org")
    login(people["coordinator"])
    assert client.post(f"{A}/meetings/{meeting.id}/cancel", data={"confirm": "1"}).status_code == 302
    client.post("/logout")
    before = state()
    for response in (client.get(link), client.post(link, data={"answer": "yes"})):
        assert response.status_code == 410
        assert "This meeting has been cancelled." in text(response)
    assert state() == before


def test_an_answer_outside_the_choices_changes_nothing(client, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    link = rsvp_link("board_member@example.org")
    for answer in ("pending", "sure", ""):
        assert client.post(link, data={"answer": answer}).status_code == 200
    assert invitation_of(meeting, people["board_member"]).rsvp == Rsvp.PENDING


# --- the meeting form --------------------------------------------------------------------------

def test_end_before_start_is_refused_and_the_input_kept(client, login):
    _assessment, people, _groups = setup()
    login(people["coordinator"])
    start = future()
    data = form_data(start, title="Autumn consultation", place="Astana")
    data["ends_at"] = local(start - timedelta(hours=1))
    response = client.post(f"{A}/meetings/new", data=data)
    assert response.status_code == 422
    page = text(response)
    assert "The meeting must end after it starts." in page
    assert 'value="Autumn consultation"' in page
    assert f'value="{data["starts_at"]}"' in page and f'value="{data["ends_at"]}"' in page
    assert 'value="Astana"' in page
    assert count(Meeting) == 0 and count(OutboxMessage) == 0


def test_equal_start_and_end_is_refused(client, login):
    _assessment, people, _groups = setup()
    login(people["coordinator"])
    start = future()
    response = client.post(f"{A}/meetings/new", data=form_data(start, hours=0))
    assert response.status_code == 422 and count(Meeting) == 0


def test_a_past_start_needs_confirmation(client, login):
    _assessment, people, _groups = setup()
    login(people["coordinator"])
    start = utcnow() - timedelta(days=3)
    data = form_data(start, title="Last week's meeting")
    response = client.post(f"{A}/meetings/new", data=data)
    assert response.status_code == 422
    page = text(response)
    assert "This meeting starts in the past" in page
    assert 'name="confirm_past"' in page
    assert 'value="Last week\'s meeting"' in page or "Last week&#39;s meeting" in page
    assert count(Meeting) == 0 and count(OutboxMessage) == 0


def test_a_confirmed_past_meeting_is_saved_as_held_without_invitations(client, login):
    assessment, people, _groups = setup()
    login(people["coordinator"])
    start = (utcnow() - timedelta(days=3)).replace(second=0, microsecond=0)
    page = text(client.get(f"{A}/meetings/new"))
    invitees = re.findall(r'name="inv-invitees" type="checkbox" value="(\d+)" checked', page) or \
        [str(m.id) for m in services.default_invitees(assessment)]
    response = client.post(f"{A}/meetings/new", data={
        **form_data(start, title="Recorded"), "confirm_past": "y", "inv-invitees": invitees})
    assert response.status_code == 302
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.starts_at == start
    assert len(meeting.invitations) == len(invitees)
    assert count(OutboxMessage) == 0
    assert "no invitation was sent" in text(client.get(response.location))


def test_a_meeting_already_under_way_can_be_recorded_without_invitations(client, login):
    assessment, people, _groups = setup()
    login(people["coordinator"])
    start = (utcnow() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    data = form_data(start, hours=2)
    assert client.post(f"{A}/meetings/new", data=data).status_code == 422
    response = client.post(f"{A}/meetings/new", data={
        **data, "confirm_past": "y",
        "inv-invitees": [m.id for m in services.default_invitees(assessment)]})
    assert response.status_code == 302
    assert db.session.scalars(select(Meeting)).one().status == MeetingStatus.HELD
    assert count(OutboxMessage) == 0


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "not a url", "https://",
                                 "https://exa mple.org", "//evil.example.org"])
def test_invalid_online_links_are_refused(client, login, url):
    _assessment, people, _groups = setup()
    login(people["coordinator"])
    response = client.post(f"{A}/meetings/new", data=form_data(future(), online_url=url))
    assert response.status_code == 422
    assert "web address" in text(response)
    assert count(Meeting) == 0


def test_an_online_link_alone_is_enough(client, login):
    _assessment, people, _groups = setup()
    login(people["coordinator"])
    response = client.post(f"{A}/meetings/new", data=form_data(
        future(), place="", online_url=" https://meet.example.org/abc "))
    assert response.status_code == 302
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.online_url == "https://meet.example.org/abc" and meeting.place == ""
    page = text(client.get(response.location))
    assert 'href="https://meet.example.org/abc"' in page


def test_neither_place_nor_link_is_refused(client, login):
    _assessment, people, _groups = setup()
    login(people["coordinator"])
    response = client.post(f"{A}/meetings/new", data=form_data(future(), place="  ",
                                                               online_url=""))
    assert response.status_code == 422
    assert "Give a place, an online link, or both." in text(response)
    assert count(Meeting) == 0


def test_the_times_are_read_in_the_assessment_timezone(client, login):
    _assessment, people, _groups = setup()
    login(people["coordinator"])
    response = client.post(f"{A}/meetings/new", data={
        **form_data(future()), "starts_at": "2030-03-10T10:00", "ends_at": "2030-03-10T12:00"})
    assert response.status_code == 302
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.starts_at == datetime(2030, 3, 10, 10, 0, tzinfo=ALMATY).astimezone(
        timezone.utc)
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)


def test_agenda_markdown_is_sanitised(client, login, app):
    assessment, people, _groups = setup()
    agenda = ("# Agenda\n\n1. [Balance](/a/kz-2022/balance)\n2. <script>alert('agenda')</script>\n"
              "3. [click](javascript:alert(1))\n4. <img src=x onerror=alert(2)>\n"
              "5. <a href=\"#\" onclick=\"alert(3)\">x</a>")
    meeting = schedule(app, assessment, people, agenda=agenda, title="<b>Bold</b> title")
    login(people["observer"])
    for url in (f"{A}/meetings/{meeting.id}", f"{A}/meetings/{meeting.id}/print"):
        page = text(client.get(url))
        assert "<script>alert(&#39;agenda&#39;)" not in page
        assert "<script>alert('agenda')" not in page
        assert "javascript:alert" not in page
        assert "onerror" not in page and "onclick" not in page
        assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt; title" in page
        assert '<a href="/a/kz-2022/balance"' in page
        assert "<h1>Agenda</h1>" in page


def test_edit_shows_local_times_and_an_agenda_change_sends_nothing(client, login, app):
    assessment, people, _groups = setup()
    start = datetime(2030, 3, 10, 10, 0, tzinfo=ALMATY).astimezone(timezone.utc)
    meeting = schedule(app, assessment, people, start=start)
    login(people["coordinator"])
    page = text(client.get(f"{A}/meetings/{meeting.id}/edit"))
    assert 'value="2030-03-10T10:00"' in page and 'value="2030-03-10T12:00"' in page
    before = count(OutboxMessage)
    data = form_data(start, title="Board meeting", place="Almaty, UNESCO office",
                     agenda="1. Opening\n2. New item")
    assert client.post(f"{A}/meetings/{meeting.id}/edit", data=data).status_code == 302
    db.session.refresh(meeting)
    assert meeting.agenda.endswith("New item") and meeting.sequence == 0
    assert count(OutboxMessage) == before

    data["starts_at"], data["ends_at"] = "2030-03-11T09:00", "2030-03-11T10:00"
    assert client.post(f"{A}/meetings/{meeting.id}/edit", data=data).status_code == 302
    db.session.refresh(meeting)
    assert meeting.sequence == 1
    assert meeting.starts_at == datetime(2030, 3, 11, 9, 0, tzinfo=ALMATY).astimezone(
        timezone.utc)
    updates = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "meeting_updated")).all()
    assert len(updates) == len(meeting.invitations) == 3
    assert all("SEQUENCE:1" in base64.b64decode(m.attachments[0]["data"]).decode()
               for m in updates)

    data["ends_at"] = "2030-03-11T08:00"
    response = client.post(f"{A}/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 422
    assert "The meeting must end after it starts." in text(response)
    db.session.refresh(meeting)
    assert meeting.sequence == 1


def test_a_cancelled_meeting_cannot_be_edited(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people["coordinator"])
    client.post(f"{A}/meetings/{meeting.id}/cancel", data={"confirm": "1"})
    before = state()
    response = client.post(f"{A}/meetings/{meeting.id}/edit",
                           data=form_data(future(3), title="Revived"))
    assert response.status_code == 302
    assert client.post(f"{A}/meetings/{meeting.id}/cancel", data={"confirm": "1"}).status_code == 302
    assert state() == before


# --- reminders by hand -------------------------------------------------------------------------

def test_remind_chosen_pending_invitees_now(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    invitation_of(meeting, people["board_member"]).rsvp = Rsvp.YES
    db.session.commit()
    login(people["coordinator"])
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    pending = set(re.findall(r'name="rem-invitations" type="checkbox" value="(\d+)"', page))
    assert pending == {str(invitation_of(meeting, people[r]).id)
                       for r in ("coordinator", "researcher")}
    chosen = [invitation_of(meeting, people["researcher"]).id,
              invitation_of(meeting, people["board_member"]).id]
    response = client.post(f"{A}/meetings/{meeting.id}/remind",
                           data={"rem-invitations": chosen})
    assert response.status_code == 302
    reminders = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "meeting_reminder")).all()
    assert [m.recipient for m in reminders] == ["researcher@example.org"]
    assert "/rsvp/" in reminders[0].body_text


# --- roll call, quorum, balance ----------------------------------------------------------------

def test_roll_call_on_a_cancelled_meeting_is_refused(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people["coordinator"])
    client.post(f"{A}/meetings/{meeting.id}/cancel", data={"confirm": "1"})
    before = state()
    for response in (client.get(f"{A}/meetings/{meeting.id}/attendance"),
                     client.post(f"{A}/meetings/{meeting.id}/attendance",
                                 data={f"att-{i.id}": "present" for i in meeting.invitations})):
        assert response.status_code == 302
        assert response.location.endswith(f"/meetings/{meeting.id}")
    assert "there is no roll call" in text(client.get(f"{A}/meetings/{meeting.id}"))
    assert state() == before
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CANCELLED


def test_roll_call_is_prefilled_from_the_answers(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    answers = {"coordinator": Rsvp.YES, "researcher": Rsvp.NO, "board_member": Rsvp.MAYBE}
    for role, answer in answers.items():
        invitation_of(meeting, people[role]).rsvp = answer
    db.session.commit()
    login(people["coordinator"])
    page = text(client.get(f"{A}/meetings/{meeting.id}/attendance"))
    for role, expected in (("coordinator", "present"), ("researcher", "excused"),
                           ("board_member", "absent")):
        i = invitation_of(meeting, people[role]).id
        assert re.search(rf'name="att-{i}" value="{expected}" id="att-{i}-{expected}" checked',
                         page), role
    # Only values it knows are recorded.
    i = invitation_of(meeting, people["researcher"]).id
    client.post(f"{A}/meetings/{meeting.id}/attendance", data={f"att-{i}": "asleep"})
    assert invitation_of(meeting, people["researcher"]).attendance is None


def test_the_expected_attendance_names_a_missing_group_and_gender(client, login, app):
    assessment, people, groups = setup()
    add_board_member(assessment, groups["Academia"], Gender.MAN, email="academic@example.org")
    meeting = schedule(app, assessment, people)
    invitation_of(meeting, people["board_member"]).rsvp = Rsvp.YES   # a woman, Government
    db.session.commit()
    login(people["coordinator"])
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "No one expected from: Academia." in page   # only groups that have members
    assert "No man is expected." in page
    assert "No woman is expected." not in page
    assert "Women: 1 · Men: 0" in page

    academic = db.session.scalar(select(Membership).join(Membership.user).where(
        Membership.user.has(email="academic@example.org")))
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.meeting_id == meeting.id, Invitation.membership_id == academic.id))
    invitation.rsvp = Rsvp.MAYBE
    db.session.commit()
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "No one expected from" not in page and "is expected." not in page
    assert "Women: 1 · Men: 1" in page
    # Not for the others.
    login(people["researcher"])
    assert "No one expected" not in text(client.get(f"{A}/meetings/{meeting.id}"))


def test_nobody_expected_yet(client, login, app):
    """Right after scheduling nobody has answered: a neutral note, not a warning that every
    group is missing (issue 15 item 9)."""
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people["coordinator"])
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "1 board member is invited and has not answered yet." in page
    assert "No one expected from" not in page and "is expected." not in page
    assert "flash--error" not in client.get(f"{A}/meetings/{meeting.id}").get_data(as_text=True)
    # Once the one member says no, the warning names what is missing.
    invitation_of(meeting, people["board_member"]).rsvp = Rsvp.NO
    db.session.commit()
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "No one expected from: Government." in page
    assert "No woman is expected." in page and "No man is expected." in page
    assert "has not answered yet" not in page


def test_quorum_with_its_figures_after_the_roll_call(client, login, app):
    assessment, people, groups = setup()   # Government: the board member (a woman)
    add_board_member(assessment, groups["Government"], Gender.MAN, email="gov2@example.org")
    add_board_member(assessment, groups["Academia"], Gender.WOMAN, email="ac1@example.org")
    add_board_member(assessment, groups["Academia"], Gender.MAN, email="ac2@example.org")
    nominee = add_board_member(assessment, groups["Academia"], Gender.MAN,
                               email="nominee@example.org", status=BoardStatus.NOMINEE)
    meeting = schedule(app, assessment, people)
    login(people["coordinator"])
    assert client.post(f"{A}/meetings/{meeting.id}/invitees", data={"inv-invitees": [
        i.membership_id for i in meeting.invitations] + [membership_of(nominee).id]}
    ).status_code == 302
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "Quorum" not in page   # not before the meeting is held

    by_email = {i.membership.user.email: i.id for i in db.session.scalars(
        select(Invitation).where(Invitation.meeting_id == meeting.id))}
    marks = {f"att-{i}": "absent" for i in by_email.values()}
    # One of four active members present: no quorum (the nominee does not count).
    marks[f"att-{by_email['board_member@example.org']}"] = "present"
    marks[f"att-{by_email['nominee@example.org']}"] = "present"
    assert client.post(f"{A}/meetings/{meeting.id}/attendance", data=marks).status_code == 302
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "Not met" in page
    assert ("Present: 1 of 4 active members (needs 2); groups represented: 1 of 2 (needs 1)."
            in page)

    # Exactly half the members, one group of two: met.
    marks[f"att-{by_email['gov2@example.org']}"] = "present"
    client.post(f"{A}/meetings/{meeting.id}/attendance", data=marks)
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert ("Present: 2 of 4 active members (needs 2); groups represented: 1 of 2 (needs 1)."
            in page)
    assert "Met" in page and "Not met" not in page
    assert "Present, by gender: women 1, men 1" in page


# --- lists and the month view ------------------------------------------------------------------

def section(page, start_id, end_id=None):
    start = page.index(f'id="{start_id}"')
    return page[start:page.index(f'id="{end_id}"')] if end_id else page[start:]


def test_upcoming_and_past_lists(client, login, app):
    assessment, people, _groups = setup()
    soon = schedule(app, assessment, people, title="Soon meeting", start=future(2))
    later = schedule(app, assessment, people, title="Later meeting", start=future(40))
    schedule(app, assessment, people, title="Old meeting", start=utcnow() - timedelta(days=40))
    schedule(app, assessment, people, title="Older meeting", start=utcnow() - timedelta(days=80))
    invitation_of(soon, people["board_member"]).rsvp = Rsvp.YES
    db.session.commit()
    login(people["board_member"])
    page = text(client.get(f"{A}/meetings"))
    upcoming = section(page, "upcoming-heading", "month-heading")
    past = section(page, "past-heading")
    assert upcoming.index("Soon meeting") < upcoming.index("Later meeting")
    assert "Old meeting" not in upcoming and "Older meeting" not in upcoming
    assert past.index("Old meeting") < past.index("Older meeting")
    assert "Soon meeting" not in past and "Later meeting" not in past
    assert "1 of 3 coming" in upcoming
    soon_row = re.search(rf'<tr>\s*<td[^>]*><a href="/a/kz-2022/meetings/{soon.id}">.*?</tr>',
                         upcoming, re.DOTALL).group(0)
    assert '<td data-label="Your answer">Yes</td>' in soon_row   # the viewer's own answer
    later_row = re.search(rf'<tr>\s*<td[^>]*><a href="/a/kz-2022/meetings/{later.id}">.*?</tr>',
                          upcoming, re.DOTALL).group(0)
    assert '<td data-label="Your answer">No answer yet</td>' in later_row and "0 of 3 coming" in later_row


def test_the_month_view_lists_the_meeting_on_its_local_day(client, login, app):
    assessment, people, _groups = setup()
    # 01:00 on 1 March in Almaty is still 28 February in UTC.
    start = datetime(2030, 3, 1, 1, 0, tzinfo=ALMATY)
    meeting = schedule(app, assessment, people, start=start.astimezone(timezone.utc),
                       title="Early bird")
    other = schedule(app, assessment, people, title="Mid-month",
                     start=datetime(2030, 3, 14, 15, 30, tzinfo=ALMATY).astimezone(timezone.utc))
    login(people["observer"])
    month = section(text(client.get(f"{A}/meetings?month=2030-03")), "month-heading",
                    "past-heading")
    assert "March 2030" in month
    assert re.search(r'<span class="day">1</span>\s*<a class="month__meeting" href="/a/kz-2022/'
                     rf'meetings/{meeting.id}">1:00\sAM Early bird</a>', month)
    assert re.search(r'<span class="day">14</span>\s*<a class="month__meeting" href="/a/kz-2022/'
                     rf'meetings/{other.id}">3:30\sPM Mid-month</a>', month)
    assert 'href="/a/kz-2022/meetings?month=2030-02"' in month
    assert 'href="/a/kz-2022/meetings?month=2030-04"' in month
    february = section(text(client.get(f"{A}/meetings?month=2030-02")), "month-heading",
                       "past-heading")
    assert "Early bird" not in february and "February 2030" in february


def test_the_month_view_marks_a_cancelled_meeting(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people,
                       start=datetime(2030, 5, 5, 10, 0, tzinfo=ALMATY).astimezone(timezone.utc))
    login(people["coordinator"])
    client.post(f"{A}/meetings/{meeting.id}/cancel", data={"confirm": "1"})
    month = text(client.get(f"{A}/meetings?month=2030-05"))
    assert f'class="month__meeting cancelled" href="/a/kz-2022/meetings/{meeting.id}"' in month


@pytest.mark.parametrize("month", ["2030-13", "abc", "2030", "0-1", "0001-01", "9999-12",
                                   "-5-3", "2030-00"])
def test_a_bad_month_shows_the_current_one(client, login, month):
    _assessment, people, _groups = setup()
    login(people["observer"])
    response = client.get(f"{A}/meetings?month={month}")
    assert response.status_code == 200
    heading = section(text(response), "month-heading", "past-heading")
    assert f"{datetime.now(ALMATY):%B %Y}" in heading


# --- timezones ---------------------------------------------------------------------------------

def account_data(user, timezone_name):
    return {"name": user.name, "language": "en", "gender": "", "timezone": timezone_name}


def test_an_unknown_timezone_is_refused(client, login):
    _assessment, people, _groups = setup()
    user = login(people["board_member"])
    for name in ("Mars/Olympus", "Europe/Pariss", "../../etc/passwd", "UTC+5"):
        response = client.post("/account", data=account_data(user, name))
        assert response.status_code == 422, name
        assert "Unknown timezone" in text(response)
    db.session.refresh(user)
    assert user.timezone is None


def test_the_viewer_timezone_is_shown_when_it_differs(client, login, app):
    assessment, people, _groups = setup()
    start = datetime(2030, 3, 10, 10, 0, tzinfo=ALMATY).astimezone(timezone.utc)
    meeting = schedule(app, assessment, people, start=start)
    user = login(people["board_member"])
    assert "Your time:" not in text(client.get(f"{A}/meetings/{meeting.id}"))
    assert client.post("/account", data=account_data(user, " Europe/Paris ")).status_code == 302
    db.session.refresh(user)
    assert user.timezone == "Europe/Paris"
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "Your time:" in page
    # One interval each (mab.i18n.interval_filter), the day once, no seconds; Babel writes
    # CLDR's thin and narrow no-break spaces, read here as spaces.
    page = page.replace("\u2009", " ").replace("\u202f", " ")
    paris = "Sunday, March 10, 2030, 6:00 – 8:00 AM"
    almaty = "Sunday, March 10, 2030, 10:00 AM – 12:00 PM"
    assert f"{paris} (Europe/Paris)" in page
    assert almaty in page and "(Asia/Almaty)" in page
    assert not re.search(r"\d:\d\d:\d\d", re.sub(r"<[^>]+>", "", page))


def test_the_same_timezone_as_the_assessment_shows_one_time(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    user = login(people["board_member"])
    assert client.post("/account", data=account_data(user, "Asia/Almaty")).status_code == 302
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "Your time:" not in page and "(Asia/Almaty)" in page


# --- exports -----------------------------------------------------------------------------------

def test_attendance_register_csv(client, login, app):
    assessment, people, _groups = setup()
    people["board_member"].name = "=HYPERLINK(\"http://evil\")"
    people["researcher"].name = "Айгерим Researcher"
    db.session.commit()
    meeting = schedule(app, assessment, people, start=utcnow() - timedelta(days=2))
    invitation_of(meeting, people["researcher"]).attendance = Attendance.PRESENT
    invitation_of(meeting, people["board_member"]).attendance = Attendance.EXCUSED
    db.session.commit()
    login(people["coordinator"])
    response = client.get(f"{A}/meetings/{meeting.id}/attendance.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(response.data[len(BOM):].decode("utf-8"))))
    assert rows[0] == ["name", "role", "group", "organisation", "gender", "rsvp", "attendance"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Айгерим Researcher"][1] == "researcher"
    assert by_name["Айгерим Researcher"][6] == "present"
    board = by_name["'=HYPERLINK(\"http://evil\")"]   # no formula in a spreadsheet
    assert board[2:7] == ["Government", "", "woman", "pending", "excused"]
    assert len(rows) == 1 + len(meeting.invitations)


@pytest.mark.parametrize("role", OTHERS)
def test_attendance_register_is_for_the_coordinator(client, login, app, role):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people)
    login(people[role])
    assert client.get(f"{A}/meetings/{meeting.id}/attendance.csv").status_code == 403


def test_print_view_has_the_attendance_and_minutes(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people, start=utcnow() - timedelta(days=2))
    login(people["coordinator"])
    client.post(f"{A}/meetings/{meeting.id}/attendance", data={
        f"att-{invitation_of(meeting, people['researcher']).id}": "present",
        f"att-{invitation_of(meeting, people['board_member']).id}": "excused"})
    client.post(f"{A}/meetings/{meeting.id}/minutes", data={
        "minutes": "**Opened** at ten.", "decisions": "Adopt the plan\nMeet again",
        "items-0-text": "Send the draft",
        "items-0-owner_id": str(membership_of(people["researcher"]).id),
        "items-0-due_on": "2030-01-31"})
    login(people["observer"])
    page = text(client.get(f"{A}/meetings/{meeting.id}/print"))
    assert "<strong>Opened</strong> at ten." in page
    assert "<li>Adopt the plan</li>" in page and "<li>Meet again</li>" in page
    assert "Send the draft" in page and people["researcher"].display_name in page
    assert "Jan 31, 2030" in page
    attendance = section(page, "att-heading")
    assert "Present" in attendance and "Excused" in attendance


def test_minutes_over_http_circulate_and_approve(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people, start=utcnow() - timedelta(days=2))
    login(people["coordinator"])
    base = f"{A}/meetings/{meeting.id}"
    response = client.post(f"{base}/minutes/circulate", follow_redirects=True)
    assert "Write the minutes before circulating them." in text(response)
    client.post(f"{base}/minutes", data={"minutes": "Text", "decisions": "",
                                         "items-0-text": "", "items-0-owner_id": ""})
    response = client.post(f"{base}/minutes/circulate", follow_redirects=True)
    assert "Take the roll call first" in text(response)
    client.post(f"{base}/attendance", data={f"att-{i.id}": "present"
                                            for i in meeting.invitations})
    assert client.post(f"{base}/minutes/circulate").status_code == 302
    db.session.refresh(meeting)
    assert meeting.minutes_status == MinutesStatus.CIRCULATED
    assert "Minutes are approved at a later meeting" in text(client.get(f"{base}/minutes"))
    # An earlier meeting is not offered and not accepted.
    earlier = schedule(app, assessment, people, start=utcnow() - timedelta(days=9))
    response = client.post(f"{base}/minutes/approve", data={"approved_in": earlier.id})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.minutes_status == MinutesStatus.CIRCULATED
    later = schedule(app, assessment, people, title="Next board meeting")
    page = text(client.get(f"{base}/minutes"))
    offered = re.search(r'<select[^>]*name="approved_in".*?</select>', page, re.DOTALL).group(0)
    assert re.findall(r'<option value="(\d+)">', offered) == [str(later.id)]
    assert f'<option value="{later.id}">Next board meeting</option>' in offered
    assert client.post(f"{base}/minutes/approve",
                       data={"approved_in": later.id}).status_code == 302
    db.session.refresh(meeting)
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_approved_in_id == later.id
    assert "approved at “Next board meeting”" in text(client.get(base))
    before = state()
    response = client.post(f"{base}/minutes", data={"minutes": "Changed", "decisions": "",
                                                    "items-0-text": "", "items-0-owner_id": ""})
    assert response.status_code == 422
    assert "Approved minutes cannot be changed." in text(response)
    assert state() == before


# --- calendar feed -----------------------------------------------------------------------------

def test_the_calendar_feed_lists_all_of_a_users_meetings(client, login, app):
    from icalendar import Calendar
    assessment, people, _groups = setup()
    other = make_assessment(slug="other", timezone="Europe/Berlin")
    other_coordinator = make_member(other, Role.COORDINATOR)
    make_member(other, Role.RESEARCHER, user=people["board_member"])
    db.session.commit()
    here = schedule(app, assessment, people, title="Here")
    cancelled = schedule(app, assessment, people, title="Called off")
    there = schedule(app, other, {"coordinator": other_coordinator}, title="There")
    not_mine = schedule(app, assessment, people, title="Not mine",
                        invitees=[membership_of(people["coordinator"])])
    with app.test_request_context():
        services.cancel_meeting(cancelled, assessment, actor=people["coordinator"])
        db.session.commit()
    user = login(people["board_member"])
    page = text(client.get("/account"))
    link = re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', page).group(1)
    client.post("/logout")
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.data)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Here", "Called off", "There"}
    assert events["Called off"]["status"] == "CANCELLED"
    assert events["There"]["dtstart"].params["TZID"] == "Europe/Berlin"
    assert events["There"].decoded("dtstart") == there.starts_at
    assert {str(t["tzid"]) for t in cal.walk("VTIMEZONE")} == {"Asia/Almaty", "Europe/Berlin"}
    assert not_mine.title not in response.get_data(as_text=True)
    assert events["Here"]["uid"] == here.uid
    assert client.get(link[:-6] + "x.ics").status_code == 404
    user.active = False
    db.session.commit()
    assert client.get(link).status_code == 404

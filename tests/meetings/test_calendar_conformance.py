"""Issue 14 item 2: every kind of .ics MAB writes, read by two independent parsers (icalendar and
vobject): the invitation (REQUEST), the update, the per-invitee cancellation, the whole
cancellation (CANCEL), the "add to calendar" download (PUBLISH) and the personal feed.

RFC 5546 (iTIP): one UID per meeting for life; SEQUENCE raised for every message that revises or
withdraws the event, so each recipient's messages carry strictly increasing values (§2.1.4);
CANCEL to an uninvited attendee names them alone and has no STATUS (§3.2.5); PUBLISH has an
ORGANIZER and no ATTENDEE (§3.2.1). The feed is a plain RFC 5545 calendar without addresses,
with an ETag, Last-Modified and Cache-Control, answering 304 when nothing changed.
"""
import base64
import hashlib
from datetime import timedelta, timezone
from email.utils import parseaddr

import icalendar
import pytest
import vobject
from sqlalchemy import func, select

from mab.assessments.models import BoardStatus, Membership, Role
from mab.extensions import db
from mab.meetings import rules, services
from mab.meetings.models import Meeting
from mab.meetings.tokens import calendar_token
from mab.notify.models import OutboxMessage
from mab.types import utcnow
from tests.factories import make_assessment, make_member, team

UTC = timezone.utc
A = "/a/kz-2022"
CALENDAR_TYPE = "text/calendar; charset=utf-8"
CSV_TYPE = "text/csv; charset=utf-8"


# --- two parsers ------------------------------------------------------------------------------

def read_both(data: bytes) -> list[dict]:
    """Each VEVENT as both parsers see it, after checking they agree on the essentials."""
    ical = icalendar.Calendar.from_ical(data)
    vcal = vobject.readOne(data.decode("utf-8"))
    i_events = ical.walk("VEVENT")
    v_events = vcal.contents.get("vevent", [])
    assert len(i_events) == len(v_events)
    i_method = str(ical["method"]) if "method" in ical else None
    v_method = vcal.method.value if "method" in vcal.contents else None
    assert i_method == v_method
    events = []
    for i_event, v_event in zip(i_events, v_events):
        seen = {
            "method": i_method,
            "uid": str(i_event["uid"]),
            "sequence": int(i_event.decoded("sequence")) if "sequence" in i_event else 0,
            "status": str(i_event["status"]) if "status" in i_event else None,
            "dtstart": i_event.decoded("dtstart"), "dtend": i_event.decoded("dtend"),
            "dtstart_tzid": i_event["dtstart"].params.get("TZID"),
            "dtend_tzid": i_event["dtend"].params.get("TZID"),
            "attendees": sorted(str(a) for a in _list(i_event.get("attendee"))),
            "organizer": str(i_event["organizer"]) if "organizer" in i_event else None,
            "dtstamp": i_event.decoded("dtstamp"),
        }
        assert v_event.uid.value == seen["uid"]
        v_sequence = int(v_event.sequence.value) if "sequence" in v_event.contents else 0
        assert v_sequence == seen["sequence"]
        assert (v_event.status.value if "status" in v_event.contents else None) == seen["status"]
        assert sorted(a.value for a in v_event.contents.get("attendee", [])) == seen["attendees"]
        assert (v_event.organizer.value if "organizer" in v_event.contents
                else None) == seen["organizer"]
        for name in ("dtstart", "dtend"):
            v_value = v_event.contents[name][0]
            # Local time with its zone (TZID and a VTIMEZONE), or UTC: never floating.
            assert seen[f"{name}_tzid"] or v_value.value.tzinfo == UTC
            assert seen[name].tzinfo is not None and v_value.value.tzinfo is not None
            assert v_value.value.astimezone(UTC) == seen[name].astimezone(UTC)
            if seen[f"{name}_tzid"]:
                # vobject resolves the TZID against the file's own VTIMEZONE.
                assert vobject.icalendar.TimezoneComponent.pickTzid(
                    v_value.value.tzinfo) == seen[f"{name}_tzid"]
                tzids = {str(t["tzid"]) for t in ical.walk("VTIMEZONE")}
                assert seen[f"{name}_tzid"] in tzids
        events.append(seen)
    return events


def _list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def read_one(data: bytes) -> dict:
    [event] = read_both(data)
    return event


# --- the world --------------------------------------------------------------------------------

@pytest.fixture
def world(app, request_context):
    assessment, people = team()
    membership(people["board_member"]).board_status = BoardStatus.ACTIVE
    db.session.commit()
    return assessment, people


def membership(user, assessment=None) -> Membership:
    query = select(Membership).where(Membership.user_id == user.id)
    if assessment is not None:
        query = query.where(Membership.assessment_id == assessment.id)
    return db.session.scalar(query)


def schedule(assessment, people, *, invitees=None, title="Board meeting") -> Meeting:
    start = (utcnow() + timedelta(days=10)).replace(second=0, microsecond=0)
    meeting = services.schedule_meeting(
        assessment, actor=people["coordinator"],
        invitees=services.default_invitees(assessment) if invitees is None else invitees,
        kind="board_meeting", title=title, starts_at=start, ends_at=start + timedelta(hours=2),
        place="Almaty", online_url="", agenda="")
    db.session.commit()
    return meeting


def last_id() -> int:
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def calendars_to(email: str, since: int = 0) -> list[tuple[str, str, bytes]]:
    """(kind, content type, .ics) of each message with a calendar sent to ``email``."""
    rows = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.id > since, OutboxMessage.recipient == email)
        .order_by(OutboxMessage.id)).all()
    return [(m.kind, a["content_type"], base64.b64decode(a["data"]))
            for m in rows for a in (m.attachments or []) if a["filename"].endswith(".ics")]


def sender_address(app) -> str:
    sender = app.config["MAIL_DEFAULT_SENDER"]
    return (sender if isinstance(sender, (tuple, list)) else parseaddr(sender))[1]


# --- one meeting's life, as one invitee receives it ---------------------------------------------

def test_request_update_uninvite_reinvite_and_cancel_share_the_uid_with_rising_sequences(world):
    assessment, people = world
    member = people["board_member"]
    meeting = schedule(assessment, people)
    uid = meeting.uid
    coordinator = people["coordinator"]

    services.update_meeting(meeting, assessment, actor=coordinator, **{
        **{f: getattr(meeting, f) for f in services.FIELDS},
        "starts_at": meeting.starts_at + timedelta(hours=1),
        "ends_at": meeting.ends_at + timedelta(hours=1)})
    db.session.commit()
    everyone = [i.membership for i in meeting.invitations]
    services.set_invitees(meeting, assessment, [m for m in everyone if m.user_id != member.id],
                          actor=coordinator)
    db.session.commit()
    services.set_invitees(meeting, assessment, everyone, actor=coordinator)
    db.session.commit()
    services.cancel_meeting(meeting, assessment, actor=coordinator)
    db.session.commit()
    assert meeting.uid == uid

    received = calendars_to(member.email)
    assert [kind for kind, _type, _data in received] == [
        "meeting_invitation", "meeting_updated", "meeting_cancelled", "meeting_invitation",
        "meeting_cancelled"]
    events = [read_one(data) for _kind, _type, data in received]
    assert [e["method"] for e in events] == ["REQUEST", "REQUEST", "CANCEL", "REQUEST", "CANCEL"]
    # The outbox's content type says the same method as the METHOD line inside.
    assert [content_type for _kind, content_type, _data in received] == [
        f"text/calendar; method={e['method']}" for e in events]
    assert {e["uid"] for e in events} == {uid}
    sequences = [e["sequence"] for e in events]
    assert sequences == sorted(set(sequences)), sequences      # strictly increasing
    # The uninvitation is a CANCEL for this invitee alone, not of the meeting...
    uninvite, cancel = events[2], events[4]
    assert uninvite["status"] is None
    assert uninvite["attendees"] == [f"mailto:{member.email}"]
    # ...the cancellation of the meeting says so.
    assert cancel["status"] == "CANCELLED" and cancel["attendees"] == [f"mailto:{member.email}"]
    # Each message names its own recipient only, and the organiser.
    for event in events:
        assert event["attendees"] == [f"mailto:{member.email}"]
        assert event["organizer"] == f"mailto:{coordinator.email}"
        assert event["dtstart_tzid"] == assessment.timezone


def test_the_uninvited_get_a_sequence_above_everything_they_had(world):
    assessment, people = world
    member, coordinator = people["board_member"], people["coordinator"]
    meeting = schedule(assessment, people)
    for title in ("Board meeting (moved)", "Board meeting (room)"):
        services.update_meeting(meeting, assessment, actor=coordinator, **{
            **{f: getattr(meeting, f) for f in services.FIELDS}, "title": title})
        db.session.commit()
    had = max(read_one(data)["sequence"] for _k, _t, data in calendars_to(member.email))
    before = last_id()
    services.set_invitees(meeting, assessment,
                          [i.membership for i in meeting.invitations
                           if i.membership.user_id != member.id], actor=coordinator)
    db.session.commit()
    [(kind, content_type, data)] = calendars_to(member.email, before)
    event = read_one(data)
    assert kind == "meeting_cancelled" and content_type == "text/calendar; method=CANCEL"
    assert event["method"] == "CANCEL" and event["uid"] == meeting.uid
    assert event["sequence"] > had
    # Those who stay are not mailed; their next message is higher still.
    assert [m for m in calendars_to(coordinator.email, before)] == []
    before = last_id()
    services.update_meeting(meeting, assessment, actor=coordinator, **{
        **{f: getattr(meeting, f) for f in services.FIELDS}, "title": "Final"})
    db.session.commit()
    [(_kind, _type, data)] = calendars_to(coordinator.email, before)
    assert read_one(data)["sequence"] > event["sequence"]


def test_a_meeting_whose_organiser_is_gone_still_has_an_organizer(world, app):
    assessment, people = world
    meeting = schedule(assessment, people)
    meeting.organizer_id = None
    db.session.commit()
    db.session.expire_all()
    before = last_id()
    services.remind(meeting, meeting.invitations)
    db.session.commit()
    [(_kind, _type, data)] = calendars_to(people["board_member"].email, before)
    event = read_one(data)
    assert event["method"] == "REQUEST"
    assert event["organizer"] == f"mailto:{sender_address(app)}"


# --- "add to calendar": PUBLISH -----------------------------------------------------------------

@pytest.mark.parametrize("role, shows_address", [("coordinator", True), ("researcher", False),
                                                 ("board_member", False),
                                                 ("observer", False)])
def test_the_download_is_publish_without_attendees(client, login, app, role, shows_address):
    assessment, people = team()
    membership(people["board_member"]).board_status = BoardStatus.ACTIVE
    db.session.commit()
    with app.test_request_context():
        meeting = schedule(assessment, people)
        services.record_rsvp(next(i for i in meeting.invitations
                                  if i.membership.user_id == people["researcher"].id), "yes")
        db.session.commit()
    login(people[role])
    response = client.get(f"{A}/meetings/{meeting.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CALENDAR_TYPE
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="meeting-{meeting.id}.ics"')
    event = read_one(response.data)
    assert event["method"] == "PUBLISH"
    assert event["attendees"] == []
    assert b"ATTENDEE" not in response.data and b"PARTSTAT" not in response.data
    assert event["uid"] == meeting.uid and event["sequence"] == meeting.sequence
    organiser = people["coordinator"].email
    assert event["organizer"] == (f"mailto:{organiser}" if shows_address
                                  else f"mailto:{sender_address(app)}")
    body = response.get_data(as_text=True)
    for person in ("researcher", "board_member", "observer"):
        assert people[person].email not in body
    if not shows_address:
        assert organiser not in body


def test_the_download_is_for_those_who_see_the_meeting(client, login, app):
    assessment, people = team()
    with app.test_request_context():
        meeting = schedule(assessment, people)
    other = make_assessment(slug="other")
    stranger = make_member(other, Role.COORDINATOR, email="stranger@example.org")
    db.session.commit()
    login(people["outsider"])
    assert client.get(f"{A}/meetings/{meeting.id}.ics").status_code in (403, 404)
    login(stranger)
    # The meeting id under another assessment is not found there.
    assert client.get(f"/a/other/meetings/{meeting.id}.ics").status_code == 404
    client.post("/logout")
    client.delete_cookie("session")
    response = client.get(f"{A}/meetings/{meeting.id}.ics")
    assert response.status_code in (302, 401)
    assert b"BEGIN:VCALENDAR" not in response.data


@pytest.mark.parametrize("sees, viewer, organiser, shown", [
    (True, 1, 2, True), (False, 2, 2, True), (False, 1, 2, False), (False, 1, None, False),
    (False, None, None, False), (True, 1, None, True)])
def test_who_sees_the_organisers_address_in_the_download(sees, viewer, organiser, shown):
    assert rules.publication_shows_organizer_address(
        sees_addresses=sees, viewer_id=viewer, organizer_id=organiser) is shown


# --- the personal feed --------------------------------------------------------------------------

def feed_setup(app):
    assessment, people = team()
    membership(people["board_member"]).board_status = BoardStatus.ACTIVE
    db.session.commit()
    with app.test_request_context():
        meeting = schedule(assessment, people)
        called_off = schedule(assessment, people, title="Called off")
        services.cancel_meeting(called_off, assessment, actor=people["coordinator"])
        db.session.commit()
    return assessment, people, meeting


def test_the_feed_has_no_addresses_and_parses_with_both(client, app):
    assessment, people, meeting = feed_setup(app)
    link = f"/calendar/{calendar_token(people['board_member'])}.ics"
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CALENDAR_TYPE
    events = {e["uid"]: e for e in read_both(response.data)}
    assert len(events) == 2 and meeting.uid in events
    for event in events.values():
        assert event["method"] is None                  # a subscription, not an iTIP message
        assert event["attendees"] == [] and event["organizer"] is None
        assert event["dtstart_tzid"] == assessment.timezone
    assert sorted(e["status"] for e in events.values()) == ["CANCELLED", "CONFIRMED"]
    body = response.get_data(as_text=True)
    assert "mailto:" not in body
    for person in people.values():
        assert person.email not in body


def test_the_feed_has_etag_last_modified_cache_control_and_answers_304(client, app):
    assessment, people, meeting = feed_setup(app)
    link = f"/calendar/{calendar_token(people['board_member'])}.ics"
    first = client.get(link)
    etag = first.headers["ETag"]
    assert etag == f'"{hashlib.sha256(first.data).hexdigest()}"'
    assert first.last_modified is not None
    assert first.cache_control.private and first.cache_control.max_age == 300
    assert not first.cache_control.public and not first.cache_control.no_store
    # The same meetings give the same bytes: DTSTAMP is when each was last revised.
    again = client.get(link)
    assert again.data == first.data and again.headers["ETag"] == etag

    unchanged = client.get(link, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag
    assert unchanged.cache_control.private and unchanged.cache_control.max_age == 300
    since = client.get(link, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304 and since.data == b""
    assert client.get(link, headers={"If-None-Match": '"something-else"'}).status_code == 200

    # A change to one of the meetings: a new ETag, a Last-Modified no earlier.
    with app.test_request_context():
        services.update_meeting(meeting, assessment, actor=people["coordinator"], **{
            **{f: getattr(meeting, f) for f in services.FIELDS}, "title": "Moved"})
        db.session.commit()
    changed = client.get(link, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"Moved" in changed.data
    assert changed.headers["ETag"] != etag
    assert changed.last_modified >= first.last_modified
    assert {e["sequence"] for e in read_both(changed.data) if e["uid"] == meeting.uid} == {1}

    # Being uninvited takes the meeting out of the feed: a new ETag too.
    etag = changed.headers["ETag"]
    with app.test_request_context():
        services.set_invitees(meeting, assessment,
                              [i.membership for i in meeting.invitations
                               if i.membership.user_id != people["board_member"].id],
                              actor=people["coordinator"])
        db.session.commit()
    gone = client.get(link, headers={"If-None-Match": etag})
    assert gone.status_code == 200 and meeting.uid.encode() not in gone.data
    assert gone.last_modified >= changed.last_modified


def test_an_answer_does_not_change_the_feed(client, app):
    """The feed shows meetings, not answers: an RSVP leaves the bytes (and the ETag) alone."""
    assessment, people, meeting = feed_setup(app)
    link = f"/calendar/{calendar_token(people['board_member'])}.ics"
    etag = client.get(link).headers["ETag"]
    with app.test_request_context():
        services.record_rsvp(next(i for i in meeting.invitations
                                  if i.membership.user_id == people["board_member"].id), "yes")
        db.session.commit()
    assert client.get(link, headers={"If-None-Match": etag}).status_code == 304


def test_a_revoked_or_wrong_feed_link_gives_no_calendar(client, app):
    assessment, people, meeting = feed_setup(app)
    user = people["board_member"]
    link = f"/calendar/{calendar_token(user)}.ics"
    etag = client.get(link).headers["ETag"]
    user.calendar_version += 1
    db.session.commit()
    response = client.get(link, headers={"If-None-Match": etag})
    assert response.status_code == 404 and "ETag" not in response.headers


# --- content types: one charset -----------------------------------------------------------------

def test_calendar_and_csv_responses_name_their_charset_once(client, login, app):
    assessment, people, meeting = feed_setup(app)
    login(people["coordinator"])
    for path, expected in ((f"{A}/meetings/{meeting.id}.ics", CALENDAR_TYPE),
                           (f"{A}/meetings/{meeting.id}/attendance.csv", CSV_TYPE),
                           (f"{A}/board.csv", CSV_TYPE),
                           (f"/calendar/{calendar_token(people['coordinator'])}.ics",
                            CALENDAR_TYPE)):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == expected, path
        assert response.headers["Content-Type"].count("charset") == 1, path

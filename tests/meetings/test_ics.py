"""mab.meetings.ics, pure: the .ics it writes parses back with the icalendar library."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from mab.meetings.ics import PARTSTAT, EventData, Person, calendar, invitation

UTC = timezone.utc
ORGANIZER = Person("coordinator@example.org", "Айгерим Coordinator")
ATTENDEES = (Person("yes@example.org", "Says Yes", "ACCEPTED"),
             Person("pending@example.org", "Not Yet"))
STAMP = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def event(**changes) -> EventData:
    values = {"uid": "7d7f3a52-meeting@mab", "sequence": 0, "title": "Board meeting",
              "starts_at": datetime(2026, 3, 28, 8, 0, tzinfo=UTC),
              "ends_at": datetime(2026, 3, 28, 10, 0, tzinfo=UTC), "tz": "Asia/Almaty",
              "location": "Almaty, UNESCO office", "url": "https://meet.example.org/abc",
              "description": "http://localhost/a/kz-2022/meetings/1", "organizer": ORGANIZER,
              "attendees": ATTENDEES, "stamp": STAMP}
    values.update(changes)
    return EventData(**values)


def parse(data: bytes):
    cal = Calendar.from_ical(data)
    [vevent] = cal.walk("VEVENT")
    return cal, vevent


def attendees(vevent) -> dict:
    values = vevent["attendee"]
    values = values if isinstance(values, list) else [values]
    return {str(a): a.params for a in values}


# --- METHOD, STATUS, SEQUENCE, UID -------------------------------------------------------------

def test_request_for_a_scheduled_meeting():
    cal, vevent = parse(invitation(event()))
    assert cal["method"] == "REQUEST"
    assert cal["version"] == "2.0"
    assert vevent["status"] == "CONFIRMED"
    assert vevent["uid"] == "7d7f3a52-meeting@mab"
    assert vevent.decoded("sequence") == 0
    assert str(vevent["summary"]) == "Board meeting"
    assert str(vevent["location"]) == "Almaty, UNESCO office"
    assert str(vevent["url"]) == "https://meet.example.org/abc"
    assert vevent.decoded("dtstamp") == STAMP


def test_cancel_keeps_the_uid_and_says_cancel():
    request = parse(invitation(event(sequence=1)))[1]
    cal, vevent = parse(invitation(event(sequence=2, cancelled=True)))
    assert cal["method"] == "CANCEL"
    assert vevent["status"] == "CANCELLED"
    assert vevent["uid"] == request["uid"]
    assert vevent.decoded("sequence") == 2
    # A cancellation still names who it is for, so calendar programs match it.
    assert "mailto:pending@example.org" in attendees(vevent)


def test_a_reschedule_is_the_same_event_with_a_higher_sequence():
    first = parse(invitation(event(sequence=0)))[1]
    later = event(sequence=1, starts_at=datetime(2026, 3, 29, 8, 0, tzinfo=UTC),
                  ends_at=datetime(2026, 3, 29, 9, 0, tzinfo=UTC))
    cal, second = parse(invitation(later))
    assert cal["method"] == "REQUEST"
    assert second["uid"] == first["uid"]
    assert second.decoded("sequence") == first.decoded("sequence") + 1
    assert second.decoded("dtstart").astimezone(UTC) == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)


def test_the_same_data_gives_the_same_bytes():
    assert invitation(event()) == invitation(event())


# --- ORGANIZER, ATTENDEE -----------------------------------------------------------------------

def test_organizer_and_attendees():
    _cal, vevent = parse(invitation(event()))
    organizer = vevent["organizer"]
    assert str(organizer) == "mailto:coordinator@example.org"
    assert organizer.params["CN"] == "Айгерим Coordinator"
    assert "RSVP" not in organizer.params
    people = attendees(vevent)
    assert set(people) == {"mailto:yes@example.org", "mailto:pending@example.org"}
    for params in people.values():
        assert params["RSVP"] == "TRUE"
        assert params["ROLE"] == "REQ-PARTICIPANT"
    assert people["mailto:yes@example.org"]["PARTSTAT"] == "ACCEPTED"
    assert people["mailto:yes@example.org"]["CN"] == "Says Yes"
    assert people["mailto:pending@example.org"]["PARTSTAT"] == "NEEDS-ACTION"


def test_a_single_attendee_is_still_an_attendee():
    _cal, vevent = parse(invitation(event(attendees=(ATTENDEES[1],))))
    assert list(attendees(vevent)) == ["mailto:pending@example.org"]


def test_an_itip_message_needs_an_organizer_a_plain_calendar_does_not():
    # RFC 5546 §3.2: REQUEST, CANCEL and PUBLISH carry an ORGANIZER (the services supply the
    # workspace's address when the organiser's account is gone).
    with pytest.raises(ValueError):
        invitation(event(organizer=None, attendees=()))
    _cal, vevent = parse(calendar([event(organizer=None, attendees=())]))
    assert "organizer" not in vevent and "attendee" not in vevent


@pytest.mark.parametrize("answer, partstat", [("yes", "ACCEPTED"), ("no", "DECLINED"),
                                              ("maybe", "TENTATIVE"), ("pending", "NEEDS-ACTION")])
def test_partstat_for_each_answer(answer, partstat):
    assert PARTSTAT[answer] == partstat
    person = Person("x@example.org", "X", PARTSTAT[answer])
    _cal, vevent = parse(invitation(event(attendees=(person,))))
    assert attendees(vevent)["mailto:x@example.org"]["PARTSTAT"] == partstat


def test_text_is_escaped_not_injected():
    title = "Review; agenda, part 2\nMETHOD:CANCEL"
    cal, vevent = parse(invitation(event(title=title)))
    assert str(vevent["summary"]) == title
    assert cal["method"] == "REQUEST"


# --- times and VTIMEZONE -----------------------------------------------------------------------

def test_almaty_local_time_with_its_vtimezone():
    start = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
    data = invitation(event(starts_at=start, ends_at=start + timedelta(hours=2)))
    cal, vevent = parse(data)
    [vtimezone] = cal.walk("VTIMEZONE")
    assert vtimezone["tzid"] == "Asia/Almaty"
    local = start.astimezone(ZoneInfo("Asia/Almaty")).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Asia/Almaty:{local}".encode() in data
    assert vevent.decoded("dtstart").astimezone(UTC) == start
    assert vevent.decoded("dtend").astimezone(UTC) == start + timedelta(hours=2)
    # The VTIMEZONE alone (without the zone database) gives the same offset.
    own = vtimezone.to_tz(lookup_tzid=False)
    naive = vevent.decoded("dtstart").replace(tzinfo=None)
    assert naive.replace(tzinfo=own).astimezone(UTC) == start


def test_berlin_across_the_daylight_saving_switch():
    # 10:00 in Berlin on both days; the clocks go forward on 2026-03-29.
    before = (datetime(2026, 3, 28, 9, 0, tzinfo=UTC), datetime(2026, 3, 28, 11, 0, tzinfo=UTC))
    after = (datetime(2026, 3, 30, 8, 0, tzinfo=UTC), datetime(2026, 3, 30, 10, 0, tzinfo=UTC))
    for (start, end), offset in ((before, timedelta(hours=1)), (after, timedelta(hours=2))):
        data = invitation(event(tz="Europe/Berlin", starts_at=start, ends_at=end))
        assert b"DTSTART;TZID=Europe/Berlin:" + start.strftime("%Y%m%d").encode() + b"T100000" \
            in data
        cal, vevent = parse(data)
        [vtimezone] = cal.walk("VTIMEZONE")
        assert vtimezone["tzid"] == "Europe/Berlin"
        assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
        dtstart = vevent.decoded("dtstart")
        assert dtstart.utcoffset() == offset
        assert dtstart.astimezone(UTC) == start
        assert vevent.decoded("dtend").astimezone(UTC) == end
        own = vtimezone.to_tz(lookup_tzid=False)
        assert dtstart.replace(tzinfo=None).replace(tzinfo=own).utcoffset() == offset


def test_times_given_in_another_zone_are_written_in_the_event_zone():
    start = datetime(2026, 3, 30, 17, 0, tzinfo=ZoneInfo("Asia/Tokyo"))   # 08:00 UTC
    data = invitation(event(tz="Europe/Berlin", starts_at=start,
                            ends_at=start + timedelta(hours=1)))
    assert b"DTSTART;TZID=Europe/Berlin:20260330T100000" in data
    _cal, vevent = parse(data)
    assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_feed_with_events_in_two_zones():
    almaty = event(uid="a@mab")
    berlin = event(uid="b@mab", tz="Europe/Berlin", title="Berlin",
                   starts_at=datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
                   ends_at=datetime(2026, 3, 30, 9, 0, tzinfo=UTC), cancelled=True)
    cal = Calendar.from_ical(calendar([almaty, berlin], name="MAB"))
    assert "method" not in cal
    assert cal["x-wr-calname"] == "MAB"
    assert sorted(str(t["tzid"]) for t in cal.walk("VTIMEZONE")) == ["Asia/Almaty",
                                                                    "Europe/Berlin"]
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert events["a@mab"]["status"] == "CONFIRMED"
    assert events["b@mab"]["status"] == "CANCELLED"
    assert events["b@mab"].decoded("dtstart").astimezone(UTC) == datetime(2026, 3, 30, 8, 0,
                                                                          tzinfo=UTC)


def test_publish_method_for_a_download():
    cal = Calendar.from_ical(calendar([event()], method="PUBLISH"))
    assert cal["method"] == "PUBLISH"

"""iCalendar (RFC 5545) invitations, updates, cancellations and feeds, via the icalendar library.

Pure: takes plain values, returns bytes. Times are stored in UTC and written in the assessment's
timezone with its VTIMEZONE, so calendar programs show local time correctly across DST changes.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//MAB advisory-board workspace//EN"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    partstat: str = "NEEDS-ACTION"   # ACCEPTED, DECLINED, TENTATIVE


@dataclass(frozen=True)
class EventData:
    uid: str
    sequence: int
    title: str
    starts_at: datetime       # aware, any zone
    ends_at: datetime
    tz: str                   # IANA name the event is written in
    location: str = ""
    url: str = ""
    description: str = ""
    cancelled: bool = False
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    stamp: datetime | None = None


PARTSTAT = {"yes": "ACCEPTED", "no": "DECLINED", "maybe": "TENTATIVE", "pending": "NEEDS-ACTION"}


def _address(person: Person, *, attendee: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name or person.email)
    if attendee:
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText(person.partstat)
        address.params["rsvp"] = vText("TRUE")
    return address


def _event(data: EventData) -> Event:
    zone = ZoneInfo(data.tz)
    event = Event()
    event.add("uid", data.uid)
    event.add("sequence", data.sequence)
    event.add("dtstamp", (data.stamp or datetime.now(timezone.utc)).astimezone(timezone.utc))
    event.add("dtstart", data.starts_at.astimezone(zone))
    event.add("dtend", data.ends_at.astimezone(zone))
    event.add("summary", data.title)
    if data.location:
        event.add("location", data.location)
    if data.url:
        event.add("url", data.url)
    if data.description:
        event.add("description", data.description)
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    if data.organizer is not None:
        event.add("organizer", _address(data.organizer, attendee=False))
    for person in data.attendees:
        event.add("attendee", _address(person, attendee=True), encode=0)
    return event


def calendar(events, *, method: str | None = None, name: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for data in events:
        cal.add_component(_event(data))
    cal.add_missing_timezones()
    return cal.to_ical()


def invitation(data: EventData) -> bytes:
    """METHOD:REQUEST for a new or rescheduled meeting; METHOD:CANCEL once it is cancelled."""
    return calendar([data], method="CANCEL" if data.cancelled else "REQUEST")

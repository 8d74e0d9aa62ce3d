"""iCalendar (RFC 5545) invitations, updates, cancellations and feeds, via the icalendar library.

Pure: takes plain values, returns bytes. Times are stored in UTC and written in the assessment's
timezone with its VTIMEZONE, so calendar programs show local time correctly across DST changes.

What each kind carries (RFC 5546, iTIP):
- ``invitation``: METHOD:REQUEST (ORGANIZER, the invitee's own ATTENDEE) or, once the meeting is
  cancelled, METHOD:CANCEL with STATUS:CANCELLED (§3.2.2, §3.2.5);
- ``uninvitation``: METHOD:CANCEL naming only the removed invitee and no STATUS: the event is off
  for them, not for everyone (§3.2.5);
- ``publication``: METHOD:PUBLISH with an ORGANIZER and no ATTENDEE at all (§3.2.1);
- ``feed``: no METHOD (a plain RFC 5545 calendar), neither ORGANIZER nor ATTENDEE: no addresses.
One UID per meeting for life; the caller raises SEQUENCE before every message that revises or
withdraws the event, so each recipient's next message always carries a higher one (§2.1.4).
"""
from dataclasses import dataclass, replace
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


def _event(data: EventData, *, status: bool = True) -> Event:
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
    if status:
        event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    if data.organizer is not None:
        event.add("organizer", _address(data.organizer, attendee=False))
    for person in data.attendees:
        event.add("attendee", _address(person, attendee=True), encode=0)
    return event


def calendar(events, *, method: str | None = None, name: str | None = None,
             status: bool = True) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for data in events:
        cal.add_component(_event(data, status=status))
    cal.add_missing_timezones()
    return cal.to_ical()


def invitation(data: EventData) -> bytes:
    """METHOD:REQUEST for a new or rescheduled meeting; METHOD:CANCEL once it is cancelled."""
    _require_organizer(data)
    return calendar([data], method="CANCEL" if data.cancelled else "REQUEST")


def uninvitation(data: EventData) -> bytes:
    """METHOD:CANCEL to the invitees in ``data.attendees`` only (they were removed): no STATUS,
    since the meeting itself goes on (RFC 5546 §3.2.5)."""
    _require_organizer(data)
    if not data.attendees:
        raise ValueError("an uninvitation names whom it removes")
    return calendar([replace(data, cancelled=False)], method="CANCEL", status=False)


def publication(data: EventData) -> bytes:
    """METHOD:PUBLISH for "add to my calendar": the organiser, never the attendees."""
    _require_organizer(data)
    return calendar([replace(data, attendees=())], method="PUBLISH")


def feed(events, *, name: str) -> bytes:
    """A subscribed calendar: no METHOD, no ORGANIZER, no ATTENDEE (nobody's address). Give
    each event a fixed ``stamp`` (when it was last revised) so the same meetings give the same
    bytes, and the feed's ETag changes only when they do."""
    return calendar([replace(e, organizer=None, attendees=()) for e in events], name=name)


def _require_organizer(data: EventData) -> None:
    if data.organizer is None:   # REQUEST, CANCEL and PUBLISH all need one (RFC 5546 §3.2)
        raise ValueError("an iTIP message needs an ORGANIZER")

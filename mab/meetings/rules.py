"""Meeting rules (DESIGN section 4): quorum and the balance of who is expected or present."""
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mab.board.rules import Seat, Table, composition, group_gender_table, serving_on


@dataclass(frozen=True)
class Quorum:
    ok: bool
    present: int
    members: int
    members_needed: int
    groups_present: int
    groups: int
    groups_needed: int


def needed(total: int, pct: int) -> int:
    """At least ``pct`` % of ``total``, as a whole number of people: half of 13 is 7."""
    return math.ceil(total * pct / 100)


def quorum(present: list[Seat], active: list[Seat], group_ids, *, members_pct: int = 50,
           groups_pct: int = 50) -> Quorum:
    """At least half the active members present, and at least half the groups represented."""
    active_groups = [g for g in group_ids if any(s.group_id == g for s in active)] or list(group_ids)
    present_groups = {s.group_id for s in present if s.group_id in set(active_groups)}
    members_needed = needed(len(active), members_pct)
    groups_needed = needed(len(active_groups), groups_pct)
    ok = (len(active) > 0 and len(present) >= members_needed
          and len(present_groups) >= groups_needed)
    return Quorum(ok, len(present), len(active), members_needed, len(present_groups),
                  len(active_groups), groups_needed)


@dataclass(frozen=True)
class Gaps:
    missing_groups: list[str]
    missing_genders: list[str]


def attendance_gaps(seats: list[Seat], groups) -> Gaps:
    """Which groups (with members) and which of women/men are absent from these seats."""
    table = group_gender_table(seats, groups)
    missing_groups = [name for name, _cells, total in table.rows if name and total == 0]
    missing_genders = [g for g in ("woman", "man") if table.totals[g] == 0]
    return Gaps(missing_groups, missing_genders)


@dataclass(frozen=True)
class Invitee:
    """A board member's invitation, as the attendance rule needs it."""
    seat: Seat
    rsvp: str            # pending, yes, no, maybe
    present: bool        # the roll call marked them present


@dataclass(frozen=True)
class BoardAttendance:
    """Who of the board is expected at and present on a meeting's day, and the quorum."""
    expected: list[Seat]
    present: list[Seat]
    active: list[Seat]
    expected_table: Table
    present_table: Table
    expected_gaps: Gaps | None    # None when no board member is invited
    quorum: Quorum
    invited: int = 0              # board members serving that day who are invited
    answered: int = 0             # ... of whom have answered (yes, no or maybe)


def board_attendance(invitees: list[Invitee], board: list[Seat], groups, day: date, *,
                     members_pct: int = 50, groups_pct: int = 50) -> BoardAttendance:
    """The one answer to "who counts" for a meeting held on ``day`` (in the assessment's zone).

    Only the board of that day counts: an invitee who had stepped down before it, or was
    appointed after it, is neither expected nor present as a member, and the quorum is measured
    against the members serving that day (``board``: every board seat of the assessment).
    """
    serving = [i for i in invitees if serving_on(i.seat, day)]
    expected = [i.seat for i in serving if str(i.rsvp) in ("yes", "maybe")]
    present = [i.seat for i in serving if i.present]
    active = composition(board, day)
    # A group is missing only if it has members who could come.
    staffed = [g for g in groups if any(s.group_id == g.id for s in active)]
    return BoardAttendance(
        expected=expected, present=present, active=active,
        expected_table=group_gender_table(expected, groups),
        present_table=group_gender_table(present, groups),
        expected_gaps=attendance_gaps(expected, staffed) if invitees else None,
        quorum=quorum(present, active, [g.id for g in groups], members_pct=members_pct,
                      groups_pct=groups_pct),
        invited=len(serving), answered=sum(1 for i in serving if str(i.rsvp) != "pending"))


# What the meeting page says about who of the board is expected.
NONE_INVITED, NO_ANSWERS, GAPS = "none_invited", "no_answers", "gaps"


def expected_notice(*, upcoming: bool, invited: int, answered: int,
                    gaps: Gaps | None) -> str | None:
    """Nothing once the meeting is past (the roll call and quorum speak then); a neutral note
    while no board member is invited or none has answered (every group would be "missing"
    right after scheduling); the warning about missing groups or genders once answers are in."""
    if not upcoming:
        return None
    if invited == 0:
        return NONE_INVITED
    if answered == 0:
        return NO_ANSWERS
    if gaps is not None and (gaps.missing_groups or gaps.missing_genders):
        return GAPS
    return None


def rsvp_open(starts_at: datetime, now: datetime, cancelled: bool) -> bool:
    return not cancelled and now < starts_at


def reminder_due(starts_at: datetime, now: datetime, offset_days: int) -> bool:
    """A reminder ``offset_days`` before the start is due once that moment has passed."""
    return starts_at - timedelta(days=offset_days) <= now < starts_at


def can_remind(status: str) -> bool:
    """Only a scheduled meeting can be reminded of (not a held or cancelled one)."""
    return str(status) == "scheduled"


def meeting_held(*, starts_at: datetime, now: datetime, cancelled: bool, minutes_approved: bool,
                 present: int) -> bool:
    """Whether a meeting took place, as the record shows it: it has started, was not cancelled,
    and either its minutes are approved or someone was recorded present. A meeting merely
    scheduled in the past, or with an empty roll call, was not shown to be held."""
    if cancelled or starts_at > now:
        return False
    return minutes_approved or present > 0


def publication_shows_organizer_address(*, sees_addresses: bool, viewer_id: int | None,
                                        organizer_id: int | None) -> bool:
    """The "add to calendar" file names the organiser by address only for someone who sees
    addresses elsewhere (the coordinator's board and people lists) or who is the organiser;
    for everyone else it carries the organiser's name and the workspace's sending address."""
    return sees_addresses or (organizer_id is not None and viewer_id == organizer_id)


# The personal feed's cache lifetime: calendar programs poll every 15 minutes or more, so five
# minutes costs nothing in freshness; they revalidate with the ETag after that.
FEED_MAX_AGE = 300

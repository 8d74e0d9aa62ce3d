"""mab.meetings.rules, pure: quorum, balance of who is expected or present, RSVP, reminders."""
from datetime import datetime, timedelta, timezone

import pytest

from mab.board.rules import Group, Seat
from mab.meetings.rules import (
    Gaps,
    Quorum,
    attendance_gaps,
    needed,
    quorum,
    reminder_due,
    rsvp_open,
)


def seat(group_id, gender="woman"):
    return Seat(group_id=group_id, gender=gender, status="active")


# --- needed ------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, pct, expected", [
    (13, 50, 7),    # half of 13 is 7 people, not 6.5
    (12, 50, 6),    # exactly half is enough
    (4, 50, 2),
    (5, 50, 3),
    (1, 50, 1),
    (0, 50, 0),
    (10, 0, 0),
    (3, 100, 3),
    (9, 67, 7),     # 6.03 rounds up
    (8, 40, 4),     # 3.2 rounds up
])
def test_needed(total, pct, expected):
    assert needed(total, pct) == expected


def test_needed_is_the_exact_ceiling_for_every_small_case():
    for total in range(60):
        for pct in range(101):
            assert needed(total, pct) == -(-total * pct // 100), (total, pct)


# --- quorum ------------------------------------------------------------------------------------

def test_exactly_half_the_members_and_half_the_groups_is_a_quorum():
    active = [seat(1), seat(2), seat(3), seat(4)]
    result = quorum(active[:2], active, [1, 2, 3, 4])
    assert result == Quorum(ok=True, present=2, members=4, members_needed=2, groups_present=2,
                            groups=4, groups_needed=2)


def test_one_member_short_of_half_is_no_quorum():
    active = [seat(1), seat(2), seat(3), seat(4)]
    result = quorum(active[:1], active, [1, 2, 3, 4])
    assert not result.ok
    assert (result.present, result.members_needed) == (1, 2)


def test_an_odd_board_needs_more_than_half():
    active = [seat(1), seat(1), seat(2), seat(2), seat(3)]
    assert quorum(active[:2] + active[2:3], active, [1, 2, 3]).ok              # 3 of 5
    result = quorum([active[0], active[2]], active, [1, 2, 3])                 # 2 of 5
    assert not result.ok and result.members_needed == 3
    assert result.groups_present == 2 and result.groups_needed == 2


def test_enough_members_but_too_few_groups():
    active = [seat(1), seat(1), seat(1), seat(2), seat(3), seat(4)]
    result = quorum(active[:3], active, [1, 2, 3, 4])   # 3 of 6, all from group 1
    assert not result.ok
    assert (result.present, result.members_needed) == (3, 3)
    assert (result.groups_present, result.groups, result.groups_needed) == (1, 4, 2)
    result = quorum([active[0], active[1], active[3]], active, [1, 2, 3, 4])
    assert result.ok and result.groups_present == 2


def test_half_of_an_odd_number_of_groups_rounds_up():
    active = [seat(1), seat(1), seat(2), seat(3)]
    result = quorum([active[0], active[1]], active, [1, 2, 3])
    assert (result.groups_present, result.groups_needed) == (1, 2) and not result.ok
    assert quorum([active[0], active[2]], active, [1, 2, 3]).ok


def test_groups_without_active_members_are_not_counted():
    active = [seat(1), seat(2)]
    result = quorum([active[0]], active, [1, 2, 3, 4, 5])   # groups 3-5 are empty
    assert (result.groups, result.groups_needed, result.groups_present) == (2, 1, 1)
    assert result.ok


def test_no_active_member_is_never_a_quorum():
    result = quorum([], [], [1, 2])
    assert not result.ok
    assert (result.present, result.members, result.members_needed) == (0, 0, 0)


def test_nobody_present_is_no_quorum():
    active = [seat(1), seat(2)]
    result = quorum([], active, [1, 2])
    assert not result.ok and result.present == 0 and result.groups_present == 0


def test_without_groups_only_members_count():
    active = [seat(None), seat(None), seat(None)]
    assert quorum(active[:2], active, []).ok
    assert not quorum(active[:1], active, []).ok


def test_the_assessment_percentages_are_used():
    active = [seat(1), seat(2), seat(3), seat(4), seat(5)]
    result = quorum(active[:3], active, [1, 2, 3, 4, 5], members_pct=60, groups_pct=60)
    assert result.ok and (result.members_needed, result.groups_needed) == (3, 3)
    result = quorum(active[:3], active, [1, 2, 3, 4, 5], members_pct=70, groups_pct=50)
    assert not result.ok and result.members_needed == 4


# --- attendance gaps ---------------------------------------------------------------------------

GROUPS = [Group(1, "Government"), Group(2, "Academia"), Group(3, "Civil society")]


def test_nobody_expected_means_every_group_and_both_genders_are_missing():
    assert attendance_gaps([], GROUPS) == Gaps(["Government", "Academia", "Civil society"],
                                               ["woman", "man"])


def test_a_missing_group_and_a_missing_gender():
    gaps = attendance_gaps([seat(1, "woman"), seat(3, "woman")], GROUPS)
    assert gaps.missing_groups == ["Academia"]
    assert gaps.missing_genders == ["man"]


def test_nothing_missing():
    seats = [seat(1, "woman"), seat(2, "man"), seat(3, "undisclosed")]
    assert attendance_gaps(seats, GROUPS) == Gaps([], [])


def test_other_identities_do_not_stand_in_for_women_or_men():
    seats = [seat(1, "another"), seat(2, None), seat(3, "undisclosed")]
    gaps = attendance_gaps(seats, GROUPS)
    assert gaps.missing_groups == []
    assert gaps.missing_genders == ["woman", "man"]


def test_a_seat_outside_the_groups_fills_no_group():
    gaps = attendance_gaps([seat(None, "man"), seat(99, "woman")], GROUPS[:2])
    assert gaps.missing_groups == ["Government", "Academia"]
    assert gaps.missing_genders == []


# --- RSVP window and reminders -----------------------------------------------------------------

START = datetime(2026, 3, 30, 8, 0, tzinfo=timezone.utc)


def test_rsvp_open_until_the_start():
    assert rsvp_open(START, START - timedelta(days=30), cancelled=False)
    assert rsvp_open(START, START - timedelta(seconds=1), cancelled=False)
    assert not rsvp_open(START, START, cancelled=False)
    assert not rsvp_open(START, START + timedelta(hours=1), cancelled=False)


def test_rsvp_closed_on_a_cancelled_meeting():
    assert not rsvp_open(START, START - timedelta(days=3), cancelled=True)


@pytest.mark.parametrize("before, offset, due", [
    (timedelta(days=7, seconds=1), 7, False),   # not yet
    (timedelta(days=7), 7, True),               # exactly seven days before
    (timedelta(days=3), 7, True),               # later runs still see it due
    (timedelta(seconds=1), 7, True),
    (timedelta(0), 7, False),                   # the meeting has started
    (-timedelta(hours=1), 1, False),
    (timedelta(days=3), 1, False),
    (timedelta(hours=23), 1, True),
])
def test_reminder_due(before, offset, due):
    assert reminder_due(START, START - before, offset) is due


# --- board attendance: who counts on the meeting's day (meeting page and annex) ---------------

def test_board_attendance_counts_only_the_board_of_the_day():
    from datetime import date

    from mab.meetings.rules import Invitee, board_attendance
    day = date(2022, 3, 29)
    groups = [Group(1, "Government", 1), Group(2, "Academia", 1), Group(3, "Media", 1)]
    serving = Seat(1, "woman", "active", appointed_on=date(2022, 1, 1))
    absent = Seat(2, "man", "active", appointed_on=date(2022, 1, 1))
    gone = Seat(3, "man", "stepped_down", appointed_on=date(2021, 1, 1),
                stepped_down_on=date(2022, 3, 1))
    late = Seat(3, "woman", "active", appointed_on=date(2022, 4, 1))
    invitees = [Invitee(serving, "yes", True), Invitee(absent, "maybe", False),
                Invitee(gone, "yes", True), Invitee(late, "yes", True)]
    figures = board_attendance(invitees, [serving, absent, gone, late], groups, day)
    assert figures.present == [serving]
    assert figures.expected == [serving, absent]
    assert figures.active == [serving, absent]
    assert figures.present_table.total == 1 and figures.expected_table.total == 2
    assert figures.quorum == Quorum(True, 1, 2, 1, 1, 2, 1)
    assert figures.expected_gaps == Gaps([], [])
    # The day after the late member's appointment, they count.
    later = board_attendance(invitees, [serving, absent, gone, late], groups, date(2022, 4, 2))
    assert later.present == [serving, late] and later.quorum.members == 3


def test_board_attendance_without_board_invitees_has_no_gaps():
    from datetime import date

    from mab.meetings.rules import board_attendance
    figures = board_attendance([], [seat(1)], [Group(1, "Government", 1)], date(2022, 3, 29))
    assert figures.expected_gaps is None and not figures.quorum.ok


@pytest.mark.parametrize("status, ok", [("scheduled", True), ("held", False),
                                        ("cancelled", False)])
def test_only_a_scheduled_meeting_can_be_reminded(status, ok):
    from mab.meetings.rules import can_remind
    assert can_remind(status) is ok

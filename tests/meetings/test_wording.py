"""Issue 15 item 9 on the meetings pages: past meetings count who attended (or who had said they
would come), not who is "coming"; the expected-attendance warning waits for answers."""
import re
from datetime import timedelta

import pytest

from mab.extensions import db
from mab.meetings.models import Attendance, MeetingStatus, Rsvp
from mab.meetings.rules import GAPS, NO_ANSWERS, NONE_INVITED, Gaps, expected_notice
from mab.types import utcnow
from tests.meetings.test_views import A, invitation_of, schedule, setup, text


# The rule ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("upcoming, invited, answered, gaps, notice", [
    (True, 0, 0, None, NONE_INVITED),
    (True, 9, 0, Gaps(["Government"], ["woman"]), NO_ANSWERS),   # right after scheduling
    (True, 9, 1, Gaps(["Government"], []), GAPS),
    (True, 9, 1, Gaps([], ["man"]), GAPS),
    (True, 9, 9, Gaps([], []), None),
    (False, 9, 0, Gaps(["Government"], ["woman"]), None),          # past: the roll call speaks
    (False, 0, 0, None, None),
])
def test_what_the_page_says_about_who_is_expected(upcoming, invited, answered, gaps, notice):
    assert expected_notice(upcoming=upcoming, invited=invited, answered=answered,
                           gaps=gaps) == notice


# The meeting page -------------------------------------------------------------------------------

def test_a_meeting_without_board_invitees_says_so_neutrally(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people, invitees=[])
    login(people["coordinator"])
    html = client.get(f"{A}/meetings/{meeting.id}").get_data(as_text=True)
    assert "No board member is invited yet." in html and "flash--error" not in html


def test_a_warning_counts_those_who_have_not_answered(client, login, app):
    from tests.meetings.test_views import add_board_member
    from mab.auth.models import Gender
    assessment, people, groups = setup()
    add_board_member(assessment, groups["Academia"], Gender.MAN, email="ac@example.org")
    meeting = schedule(app, assessment, people)
    invitation_of(meeting, people["board_member"]).rsvp = Rsvp.YES
    db.session.commit()
    login(people["coordinator"])
    html = client.get(f"{A}/meetings/{meeting.id}").get_data(as_text=True)
    assert 'class="flash flash--error"' in html
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "No one expected from: Academia." in page and "No man is expected." in page
    assert "1 invited board member has not answered yet." in page


def test_a_past_meeting_shows_no_expected_warning(client, login, app):
    assessment, people, _groups = setup()
    meeting = schedule(app, assessment, people, start=(utcnow() - timedelta(days=3)).replace(
        second=0, microsecond=0))
    login(people["coordinator"])
    page = text(client.get(f"{A}/meetings/{meeting.id}"))
    assert "No one expected" not in page and "has not answered" not in page
    assert "is expected." not in page and "invited yet" not in page


# The list of meetings ---------------------------------------------------------------------------

def past_row(page: str, title: str) -> str:
    past = page.split('id="past-heading"', 1)[1]
    match = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(title)}.*?</tr>", past, re.S)
    assert match, title
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_past_meetings_count_who_attended_or_who_had_said_they_would_come(client, login, app):
    assessment, people, _groups = setup()
    before = (utcnow() - timedelta(days=30)).replace(second=0, microsecond=0)
    held = schedule(app, assessment, people, start=before, title="Held meeting")
    unrecorded = schedule(app, assessment, people, start=before + timedelta(days=1),
                          title="Meeting without a roll call")
    cancelled = schedule(app, assessment, people, start=before + timedelta(days=2),
                         title="Cancelled meeting")
    upcoming = schedule(app, assessment, people, title="Next meeting")
    for meeting in (held, unrecorded, cancelled, upcoming):
        for invitation in meeting.invitations:
            invitation.rsvp = Rsvp.YES
    held.status = MeetingStatus.HELD
    cancelled.status = MeetingStatus.CANCELLED
    invited = len(held.invitations)
    assert invited >= 2
    for n, invitation in enumerate(held.invitations):
        invitation.attendance = Attendance.PRESENT if n else Attendance.ABSENT
    invitation_of(held, people["coordinator"]).attendance = Attendance.PRESENT
    db.session.commit()
    present = sum(1 for i in held.invitations if i.attendance == Attendance.PRESENT)

    login(people["coordinator"])
    html = client.get(f"{A}/meetings").get_data(as_text=True)
    past = html.split('id="past-heading"', 1)[1]
    assert "coming" not in past
    assert '<th scope="col">Attendance</th><th scope="col">You</th>' in past
    assert f"{present} of {invited} attended" in past_row(html, "Held meeting")
    assert "Present" in past_row(html, "Held meeting")   # the coordinator's own attendance
    row = past_row(html, "Meeting without a roll call")
    assert f"{invited} of {invited} had said they would come" in row
    assert "You answered: Yes" in row
    assert "attended" not in past_row(html, "Cancelled meeting")
    # Upcoming meetings still count who is coming.
    upcoming_part = html.split('id="upcoming-heading"', 1)[1].split('id="month-heading"', 1)[0]
    assert f"{invited} of {invited} coming" in upcoming_part

"""Issue 13, findings 3 and 4: closing a round shows the figures, the deadline and who has not
responded and asks to confirm; an early close needs a reason kept on the round and certificate;
a workshop not held cannot be named as held; "Pending" becomes "Did not respond"; the round
keeps the audit chain's head and count at closing."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mab.audit.services import chain_head
from mab.errors import DomainError
from mab.extensions import db
from mab.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from mab.meetings.rules import meeting_held
from mab.validation import rules, services
from mab.validation.models import SignOff, ValidationRound
from tests.validation.support import (
    A,
    as_request,
    count,
    events,
    fresh,
    last_mail_id,
    make_meeting,
    open_round,
    sign,
    text_of,
    world,
)

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
REASON = "The board met on 3 December and all groups gave their view there."


# --- rules -------------------------------------------------------------------------------------

class TestMeetingHeld:
    def held(self, *, starts=-1, cancelled=False, minutes=False, present=0):
        return meeting_held(starts_at=NOW + timedelta(hours=starts), now=NOW,
                            cancelled=cancelled, minutes_approved=minutes, present=present)

    def test_in_the_future_it_was_not_held_whatever_the_record(self):
        assert not self.held(starts=1, minutes=True, present=5)

    def test_from_its_start_a_roll_call_with_someone_present_shows_it_held(self):
        assert self.held(starts=0, present=1)
        assert self.held(present=1)

    def test_approved_minutes_show_it_held(self):
        assert self.held(minutes=True)

    def test_past_but_nothing_recorded_or_nobody_present_is_not_held(self):
        assert not self.held()
        assert not self.held(present=0)

    def test_a_cancelled_meeting_was_not_held(self):
        assert not self.held(cancelled=True, minutes=True, present=3)


def test_closing_early_is_before_the_deadline_day():
    today = NOW.date()
    assert rules.closes_early(today + timedelta(days=1), today)
    assert not rules.closes_early(today, today)                 # the deadline day is on time
    assert not rules.closes_early(today - timedelta(days=1), today)


@pytest.mark.parametrize("has, held, choice, expected", [
    (False, False, None, rules.WorkshopAtClose(None)),
    (False, False, "not_held", rules.WorkshopAtClose(None)),      # nothing to confirm
    (True, True, None, rules.WorkshopAtClose(True)),
    (True, True, "unlink", rules.WorkshopAtClose(True)),          # a held one stays named
    (True, False, None, None),                                    # a choice is needed
    (True, False, "anything", None),
    (True, False, "unlink", rules.WorkshopAtClose(None, unlink=True)),
    (True, False, "not_held", rules.WorkshopAtClose(False)),
])
def test_what_closing_records_about_the_workshop(has, held, choice, expected):
    assert rules.workshop_at_close(has, held, choice) == expected


# --- services ----------------------------------------------------------------------------------

@pytest.fixture
def w(app, request_context):
    return world()


def held_workshop(w, *, days=-2, present=True, minutes=False):
    meeting = make_meeting(w.assessment, "Held workshop", days=days, status=MeetingStatus.HELD)
    db.session.add(Invitation(meeting_id=meeting.id, membership_id=w.m("board_member").id,
                              attendance=Attendance.PRESENT if present else Attendance.ABSENT))
    if minutes:
        meeting.minutes_status = MinutesStatus.APPROVED
    db.session.commit()
    return meeting


def test_the_preview_has_the_figures_and_who_has_not_responded(w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    preview = services.close_preview(round_, w.assessment, w.group_names)
    responded = preview.outcome.conditions[0].figures
    assert (responded["responded"], responded["active"], responded["pct"]) == (1, 2, 50)
    assert preview.outcome.conditions[1].figures["pct"] == 100
    assert preview.outcome.conditions[2].figures["missing"] == ["Academia"]
    assert not preview.outcome.passed
    assert [m.user.name for m in preview.not_responded] == ["Second Member"]
    assert preview.early and preview.days_early == 7
    assert preview.workshop_held is None                       # opened without a workshop
    token = preview.token
    sign(w, round_, "member2", "object", "Not yet.")
    assert services.close_preview(fresh(round_), w.assessment, w.group_names).token != token


def test_the_workshop_is_held_only_when_the_record_shows_it(w):
    assert not services.workshop_held_now(w.workshop)          # in three days
    assert services.workshop_held_now(held_workshop(w))
    assert not services.workshop_held_now(held_workshop(w, present=False))
    assert services.workshop_held_now(held_workshop(w, present=False, minutes=True))


def test_a_meeting_of_another_assessment_is_refused_on_open_and_on_behalf(w):
    uz_meeting = db.session.scalar(select(Meeting).where(Meeting.assessment_id == w.other.id))
    with as_request(), pytest.raises(DomainError) as refused:
        services.open_round(w.version, w.assessment, deadline=w.assessment.today(),
                            meeting_id=uz_meeting.id, actor=w.people["coordinator"])
    assert refused.value.field == "meeting_id"
    db.session.rollback()
    assert count(ValidationRound) == 0
    round_ = open_round(w)
    with pytest.raises(DomainError) as refused:
        services.record_on_behalf(round_, w.assessment, w.m("coordinator"), w.m("member2"),
                                  decision="endorse", statement="", meeting_id=uz_meeting.id)
    assert refused.value.field == "meeting_id"
    db.session.rollback()
    assert count(SignOff) == 0


def test_closing_keeps_the_audit_head_and_count(w):
    round_ = open_round(w)
    services.close_round(round_, w.assessment, w.group_names, actor=w.people["coordinator"],
                         reason=REASON)
    db.session.commit()
    head = chain_head()
    [closed] = events("validation.closed")
    round_ = fresh(round_)
    assert (round_.audit_head, round_.audit_count) == (closed.hash, head.count)
    assert head.head == closed.hash
    assert closed.changes["reason"] == REASON and closed.changes["early"] is True


# --- over HTTP ---------------------------------------------------------------------------------

def url(round_, tail=""):
    return f"{A}/validation/{round_.id}{tail}"


def snapshot(round_):
    db.session.expire_all()
    r = db.session.get(ValidationRound, round_.id)
    return (r.closed_at, r.passed, r.result, r.close_reason, r.workshop_held, r.meeting_id,
            r.audit_head, len(events("validation.closed")), last_mail_id())


def test_the_confirmation_names_figures_deadline_and_who_has_not_responded(client, login, w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    login(w.people["coordinator"])
    page = client.get(url(round_))
    assert f'href="{url(round_, "/close")}"' in page.get_data(as_text=True)
    response = client.get(url(round_, "/close"))
    assert response.status_code == 200
    text = text_of(response)
    assert "The outcome if you close now Not validated" in text
    assert "Responded: 1 of 2 active members (50%, needs 50%)." in text
    assert "Groups responding: 1 of 2. Missing: Academia." in text
    assert "Closing now is 7 days early." in text
    assert "1 active member has not responded" in text
    missing = text[text.index("Not responded yet"):]
    assert "Second Member" in missing and "Aigerim Board" not in missing
    assert 'name="reason"' in response.get_data(as_text=True)     # early: the reason is asked


def test_a_post_without_the_confirmation_changes_nothing(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    before = snapshot(round_)
    response = client.post(url(round_, "/close"), data={"reason": REASON})
    assert response.status_code == 422
    assert "Confirm that closing is final." in text_of(response)
    assert snapshot(round_) == before and fresh(round_).is_open
    assert REASON in response.get_data(as_text=True)                # the input is kept


def test_an_early_close_without_a_reason_is_refused(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    before = snapshot(round_)
    response = client.post(url(round_, "/close"), data={"confirm": "y", "reason": "  "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="reason-error"[^>]*>Give the reason for closing before the deadline',
                     html)
    assert 'name="confirm"' in html and re.search(r'<input[^>]*checked[^>]*name="confirm"|'
                                                  r'<input[^>]*name="confirm"[^>]*checked', html)
    assert snapshot(round_) == before


def test_an_early_close_with_a_reason_keeps_it_on_the_round_and_certificate(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    response = client.post(url(round_, "/close"), data={"confirm": "y", "reason": REASON})
    assert response.status_code == 302
    round_ = fresh(round_)
    assert not round_.is_open and round_.close_reason == REASON
    assert events("validation.closed")[0].changes["reason"] == REASON
    page = text_of(client.get(url(round_)))
    assert "Closed before the deadline" in page and REASON in page
    login(w.people["observer"])
    certificate = text_of(client.get(url(round_, "/certificate")))
    assert "Closed before the deadline" in certificate and REASON in certificate


def test_closing_on_the_deadline_asks_no_reason(client, login, w):
    round_ = open_round(w, days=0)
    login(w.people["coordinator"])
    page = client.get(url(round_, "/close"))
    assert "Today is the deadline." in text_of(page)
    assert 'name="reason"' not in page.get_data(as_text=True)
    response = client.post(url(round_, "/close"), data={"confirm": "y", "reason": "ignored"})
    assert response.status_code == 302
    round_ = fresh(round_)
    assert not round_.is_open and round_.close_reason == ""
    assert "Closed before the deadline" not in text_of(client.get(url(round_, "/certificate")))


def test_figures_that_changed_since_the_confirmation_are_shown_again(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    page = client.get(url(round_, "/close")).get_data(as_text=True)
    seen = re.search(r'name="seen"[^>]*value="([^"]+)"', page).group(1)
    sign(w, round_, "board_member", "endorse")           # a decision arrives meanwhile
    before = snapshot(round_)
    response = client.post(url(round_, "/close"),
                           data={"confirm": "y", "reason": REASON, "seen": seen})
    assert response.status_code == 422
    assert "check them again and confirm" in text_of(response)
    assert "Responded: 1 of 2" in text_of(response)
    assert snapshot(round_) == before


def test_a_workshop_not_held_blocks_closing_until_unlinked_or_confirmed(client, login, w):
    round_ = open_round(w, meeting=w.workshop)                # in three days
    login(w.people["coordinator"])
    page = client.get(url(round_, "/close"))
    text = text_of(page)
    assert "has not been held" in text and "Close without a workshop" in text
    before = snapshot(round_)
    refused = client.post(url(round_, "/close"), data={"confirm": "y", "reason": REASON})
    assert refused.status_code == 422
    assert "Choose: remove the link to the workshop, or confirm that it was not held." \
        in text_of(refused)
    assert snapshot(round_) == before
    response = client.post(url(round_, "/close"), data={"confirm": "y", "reason": REASON,
                                                        "workshop": "not_held"})
    assert response.status_code == 302
    round_ = fresh(round_)
    assert round_.workshop_held is False and round_.meeting_id == w.workshop.id
    event = events("validation.closed")[0]
    assert event.changes["workshop"] == w.workshop.id and event.changes["workshop_held"] is False
    certificate = text_of(client.get(url(round_, "/certificate")))
    assert "Validation workshop Validation workshop, scheduled for" in certificate
    assert "workshop not held" in certificate and "held on" not in certificate


def test_a_workshop_not_held_can_be_unlinked_at_closing(client, login, w):
    round_ = open_round(w, meeting=w.workshop)
    login(w.people["coordinator"])
    response = client.post(url(round_, "/close"), data={"confirm": "y", "reason": REASON,
                                                        "workshop": "unlink"})
    assert response.status_code == 302
    round_ = fresh(round_)
    assert round_.meeting_id is None and round_.workshop_held is None
    event = events("validation.closed")[0]
    assert event.changes["workshop_unlinked"] == w.workshop.id and event.changes["workshop"] is None
    assert "Validation workshop" not in text_of(client.get(url(round_, "/certificate")))


def test_the_service_refuses_a_workshop_not_held_without_a_choice(w):
    round_ = open_round(w, meeting=w.workshop)
    with pytest.raises(DomainError) as refused:
        services.close_round(round_, w.assessment, w.group_names, actor=w.people["coordinator"],
                             reason=REASON)
    assert refused.value.field == "workshop"


def test_a_held_workshop_is_named_held_with_its_date(client, login, w):
    meeting = held_workshop(w)
    round_ = open_round(w, meeting=meeting)
    login(w.people["coordinator"])
    page = client.get(url(round_, "/close"))
    assert "was held on" in text_of(page) and 'name="workshop"' not in page.get_data(as_text=True)
    assert client.post(url(round_, "/close"),
                       data={"confirm": "y", "reason": REASON}).status_code == 302
    assert fresh(round_).workshop_held is True
    certificate = text_of(client.get(url(round_, "/certificate")))
    day = re.search(r"Held workshop, held on ([^.]+?\d{4})", certificate)
    assert day is not None, certificate
    assert "not held" not in certificate


def test_after_closing_pending_is_did_not_respond(client, login, w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    login(w.people["coordinator"])
    open_page = text_of(client.get(url(round_)))
    assert "Pending Second Member" in open_page and "Did not respond" not in open_page
    client.post(url(round_, "/close"), data={"confirm": "y", "reason": REASON})
    closed_page = text_of(client.get(url(round_)))
    assert "Did not respond Second Member" in closed_page and "Pending" not in closed_page
    assert fresh(round_).result["did_not_respond"] == [w.m("member2").id]
    certificate = text_of(client.get(url(round_, "/certificate")))
    assert re.search(r"Did not respond Academia Second Member, KazNU", certificate), certificate


def test_the_audit_head_is_printed_on_the_certificate_and_annex(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    client.post(url(round_, "/close"), data={"confirm": "y", "reason": REASON})
    round_ = fresh(round_)
    [closed] = events("validation.closed")
    assert round_.audit_head == closed.hash and round_.audit_count == chain_head().count
    certificate = text_of(client.get(url(round_, "/certificate")))
    assert (f"Audit record at closing: the closing is event {round_.audit_count} of the audit "
            f"chain, whose head was then: {round_.audit_head}") in certificate
    annex = text_of(client.get(f"{A}/annex?lang=en"))   # the annex speaks Russian by default
    assert f"Audit record at closing: event {round_.audit_count}, head {round_.audit_head}" \
        in annex

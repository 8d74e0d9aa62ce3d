"""Issue 15 item 7: each role's home page puts the person's own work first.

The order rule (pure), then the pages: a board member's first card is the decision awaited,
then the drafts to review (only the latest circulated version of each), then the meetings to
answer, the balance last; a researcher sees the comments awaiting a response per draft; the
coordinator sees the balance and what is held up (the board member does not); an observer sees
the drafts to read; and the page's queries do not grow with the data."""
import re
from datetime import timedelta

import pytest

from mab.assessments.rules import (
    AWAITING_RESPONSE, BALANCE, BLOCKED, DECISIONS, MEETINGS, MEETINGS_TO_ANSWER, MY_DRAFTS,
    NEWS, ROUNDS, TO_REVIEW, home_cards)
from mab.extensions import db
from mab.meetings.models import Invitation, Meeting, MeetingKind, Rsvp
from mab.notify.models import OutboxMessage, OutboxStatus
from mab.types import utcnow
from mab.validation.models import ValidationRound
from tests.comments.support import comment, dispose, world
from tests.drafts.support import A, circulate, make_draft, new_version
from tests.factories import make_member
from tests.querycount import counting
from tests.visits.support import end_visit


# --- the order (pure) -------------------------------------------------------------------------

def test_a_board_member_sees_the_decision_awaited_first_and_the_balance_last():
    cards = home_cards("board_member", signs_off=True)
    assert cards.needs == (DECISIONS, TO_REVIEW, MEETINGS_TO_ANSWER)
    assert cards.info[-1] == BALANCE and NEWS in cards
    # A member who may not sign off (a candidate, a former member) has no decision card.
    assert DECISIONS not in home_cards("board_member", signs_off=False)
    assert home_cards("board_member", signs_off=False).needs[0] == TO_REVIEW


def test_the_other_roles_see_their_own_work_first():
    assert home_cards("researcher", signs_off=False).needs[:2] == (AWAITING_RESPONSE, MY_DRAFTS)
    assert home_cards("coordinator", signs_off=False).needs[:2] == (BALANCE, BLOCKED)
    observer = home_cards("observer", signs_off=False)
    assert observer.needs == (TO_REVIEW,) and BALANCE not in observer
    assert BLOCKED not in home_cards("board_member", signs_off=True)
    assert {ROUNDS, MEETINGS} <= set(home_cards("researcher", signs_off=False).info)


# --- the pages --------------------------------------------------------------------------------

@pytest.fixture
def w(app):
    return world()


def html_of(client, url=f"{A}/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def cards_in_order(html):
    return re.findall(r'data-card="([a-z_]+)"', html)


def card(html, name):
    return html.split(f'data-card="{name}"')[1].split("</section>")[0]


def open_round(w, title="In validation", deadline_days=7):
    draft = make_draft(w.assessment, w.people["researcher"], "Text.", title=title)
    version = circulate(draft, w.assessment, w.people["researcher"])
    round_ = ValidationRound(assessment_id=w.assessment.id, version_id=version.id,
                             version_sha256=version.sha256 or "0" * 64, rule={},
                             deadline=w.assessment.today() + timedelta(days=deadline_days))
    db.session.add(round_)
    db.session.commit()
    return round_


def invite(w, who, title="Board meeting", rsvp=Rsvp.PENDING):
    start = utcnow() + timedelta(days=3)
    meeting = Meeting(assessment_id=w.assessment.id, kind=MeetingKind.BOARD_MEETING, title=title,
                      starts_at=start, ends_at=start + timedelta(hours=2))
    db.session.add(meeting)
    db.session.flush()
    db.session.add(Invitation(meeting_id=meeting.id, membership_id=w.m(who).id, rsvp=rsvp))
    db.session.commit()
    return meeting


def test_a_board_members_first_card_is_the_decision_awaited(client, login, w):
    round_ = open_round(w)
    invite(w, "board_member")
    invite(w, "board_member", "Answered meeting", Rsvp.YES)
    login(w.people["board_member"])
    html = html_of(client)
    order = cards_in_order(html)
    assert order[:3] == ["decisions", "to_review", "meetings_to_answer"]
    assert order[-1] == "balance"
    assert "In validation, version 1" in card(html, "decisions")
    assert "Access findings" in card(html, "to_review")
    assert "Board meeting" in card(html, "meetings_to_answer")
    assert "Answered meeting" not in card(html, "meetings_to_answer")
    assert "Answered meeting" in card(html, "meetings")
    # Once the decision is given, the card says so and the round stays listed below.
    from mab.validation.models import SignDecision, SignOff
    db.session.add(SignOff(round_id=round_.id, membership_id=w.m("board_member").id,
                           decision=SignDecision.ENDORSE, statement="Agreed.",
                           version_sha256=round_.version_sha256))
    db.session.commit()
    html = html_of(client)
    assert "No validation round awaits your decision." in card(html, "decisions")
    assert "Your decision is recorded" in card(html, "rounds")


def test_only_the_latest_circulated_version_is_to_review(client, login, w):
    new_version(w.draft, w.assessment, w.people["researcher"], "Reworked.\n\nText.")
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["board_member"])
    to_review = card(html_of(client), "to_review")
    assert f"/drafts/{w.draft.id}/v/2" in to_review
    assert f"/drafts/{w.draft.id}/v/1" not in to_review
    assert to_review.count("Access findings") == 1


def test_a_researcher_sees_comments_awaiting_a_response_per_draft(client, login, w):
    other = make_draft(w.assessment, w.people["coordinator"], "Other.", title="Other draft")
    other_version = circulate(other, w.assessment, w.people["coordinator"])
    comment(w, "board_member", "One.")
    comment(w, "member2", "Two.")
    answered = comment(w, "member2", "Three.")
    dispose(w, answered)
    comment(w, "member2", "Elsewhere.", version=other_version)
    login(w.people["researcher"])
    html = html_of(client)
    assert cards_in_order(html)[:2] == ["awaiting_response", "my_drafts"]
    awaiting = card(html, "awaiting_response")
    assert re.search(rf'href="{A}/drafts/{w.draft.id}/responses">Access findings</a>:\s*2 comments',
                     awaiting)
    assert re.search(rf'href="{A}/drafts/{other.id}/responses">Other draft</a>:\s*1 comment',
                     awaiting)
    assert awaiting.index("Access findings") < awaiting.index("Other draft")   # their own first
    mine = card(html, "my_drafts")
    assert "Access findings" in mine and "Other draft" not in mine and "In consultation" in mine


def test_the_coordinator_sees_the_balance_and_what_is_held_up(client, login, w):
    make_member(w.assessment, "board_member", email="invitee@example.org", password=None)
    db.session.add(OutboxMessage(assessment_id=w.assessment.id, kind="test",
                                 recipient="x@example.org", subject="S", body_text="B",
                                 status=OutboxStatus.FAILED))
    overdue = open_round(w, "Overdue round", deadline_days=-1)
    comment(w, "member2", "Unanswered.")
    w.version.circulation.deadline = w.assessment.today() - timedelta(days=1)
    db.session.commit()
    login(w.people["coordinator"])
    html = html_of(client)
    assert cards_in_order(html)[:2] == ["balance", "blocked"]
    blocked = card(html, "blocked")
    assert "1 person has not accepted the invitation yet." in blocked
    assert "1 message could not be delivered." in blocked
    assert "Overdue round" in blocked and f"/validation/{overdue.id}" in blocked
    assert "The consultation on Access findings has ended with 1 comment still awaiting" in blocked
    # None of it is shown to a board member.
    login(w.people["board_member"])
    html = html_of(client)
    assert 'data-card="blocked"' not in html
    assert "could not be delivered" not in html and "not accepted the invitation" not in html


def test_the_coordinator_is_told_when_nothing_is_held_up(client, login, w):
    login(w.people["coordinator"])
    assert "Nothing is held up" in card(html_of(client), "blocked")


def test_an_observer_sees_the_drafts_to_read_first(client, login, w):
    login(w.people["observer"])
    html = html_of(client)
    assert cards_in_order(html)[0] == "to_review"
    assert "Drafts to read" in card(html, "to_review") and "Access findings" in html
    assert 'data-card="balance"' not in html and 'data-card="decisions"' not in html


@pytest.mark.parametrize("who", ["coordinator", "researcher", "board_member", "observer"])
def test_the_home_page_runs_as_many_queries_for_many_drafts_as_for_few(client, login, w, who):
    def grow(n):
        for i in range(n):
            draft = make_draft(w.assessment, w.people["researcher"], "Text.",
                               title=f"Grown {n}-{i}")
            version = circulate(draft, w.assessment, w.people["researcher"])
            first = comment(w, "member2", "A comment.", version=version)
            comment(w, "board_member", "Another.", version=version)
            if i % 2:
                dispose(w, first)
        open_round(w, f"Round {n}")
        invite(w, who, f"Meeting {n}")

    def measure():
        with counting() as statements:
            html_of(client)
        return len([s for s in statements if not s.startswith(("INSERT INTO visits",))])

    login(w.people[who])
    grow(1)
    client.get(f"{A}/")
    # A second visit: the "new since" counts run too.
    end_visit(w, who, "home")
    few = measure()
    grow(6)
    end_visit(w, who, "home")
    many = measure()
    assert many == few
    assert "Grown 6-5" in html_of(client)


def test_the_people_page_runs_as_many_queries_for_a_large_team_as_for_a_small_one(client, login,
                                                                                     w):
    """Each row names its person: loaded with the memberships, not one query per row."""
    login(w.people["coordinator"])

    def measure():
        with counting() as statements:
            assert client.get(f"{A}/people").status_code == 200
        return len(statements)

    few = measure()
    for n in range(8):
        make_member(w.assessment, email=f"extra{n}@example.org")
    db.session.commit()
    assert measure() == few

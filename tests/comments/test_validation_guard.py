"""Comments close on a version in validation and after its round (issue 13): the rules at their
edges, and each refusal over HTTP with its message, the database unchanged and no form shown.
The research team may still reply and respond, so that every comment gets its answer."""
from datetime import date, timedelta

import pytest

from mab.comments import rules
from mab.comments.models import Comment, CommentRevision
from mab.drafts.rules import IN_VALIDATION, NOT_VALIDATED, VALIDATED
from mab.extensions import db
from mab.validation.models import ValidationRound
from tests.comments.support import comment, dispose, reply
from tests.validation.support import (
    A,
    circulate,
    close,
    count,
    events,
    fresh,
    new_version,
    open_round,
    sign,
    text_of,
    world,
)

TODAY = date(2026, 3, 10)
LATER = TODAY + timedelta(days=5)


# --- the rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize("has_round, round_open, passed, state", [
    (False, False, None, None), (True, True, None, IN_VALIDATION),
    (True, False, True, VALIDATED), (True, False, False, NOT_VALIDATED)])
def test_a_versions_validation_state(has_round, round_open, passed, state):
    assert rules.round_state(has_round, round_open, passed) == state


@pytest.mark.parametrize("validation", [IN_VALIDATION, VALIDATED, NOT_VALIDATED])
def test_no_new_comment_once_a_round_opened_even_before_the_deadline(validation):
    assert rules.comment_problem(circulated=True, deadline=LATER, today=TODAY) is None
    assert rules.comment_problem(circulated=True, deadline=TODAY, today=TODAY) is None
    assert rules.comment_problem(circulated=True, deadline=LATER, today=TODAY,
                                 validation=validation) == validation


def test_replies_in_validation_are_for_the_research_team_only():
    common = {"deadline": LATER, "today": TODAY, "root_withdrawn": False}
    for validation in (IN_VALIDATION, VALIDATED):
        assert rules.reply_problem(by_team=False, team_in_thread=True, validation=validation,
                                   **common) == validation
        assert rules.reply_problem(by_team=True, team_in_thread=False, validation=validation,
                                   **common) is None
    assert rules.reply_problem(by_team=False, team_in_thread=False, **common) is None
    # A withdrawn comment takes no reply at all, the team's neither.
    assert rules.reply_problem(by_team=True, team_in_thread=False, validation=IN_VALIDATION,
                               deadline=LATER, today=TODAY, root_withdrawn=True) == rules.WITHDRAWN


def test_edits_and_withdrawals_close_with_the_round():
    edit = {"is_author": True, "withdrawn": False, "has_replies": False, "disposed": False,
            "deadline": LATER, "today": TODAY}
    assert rules.edit_problem(**edit) is None
    assert rules.edit_problem(**edit, validation=IN_VALIDATION) == IN_VALIDATION
    assert rules.edit_problem(**{**edit, "is_author": False},
                              validation=VALIDATED) == rules.NOT_AUTHOR
    assert rules.withdraw_problem(is_author=True, withdrawn=False, disposed=False) is None
    assert rules.withdraw_problem(is_author=True, withdrawn=False, disposed=False,
                                  validation=VALIDATED) == VALIDATED
    assert rules.withdraw_problem(is_author=True, withdrawn=True, disposed=False,
                                  validation=VALIDATED) == rules.WITHDRAWN


def test_the_thread_follows_its_newest_version_and_keeps_a_validated_one():
    assert rules.thread_validation([]) is None
    assert rules.thread_validation([None]) is None
    assert rules.thread_validation([IN_VALIDATION]) == IN_VALIDATION
    # The newest version's round decides, whatever its outcome.
    assert rules.thread_validation([None, NOT_VALIDATED]) == NOT_VALIDATED
    assert rules.thread_validation([NOT_VALIDATED, IN_VALIDATION]) == IN_VALIDATION
    # A version not validated was revised: its threads go on in the next consultation.
    assert rules.thread_validation([NOT_VALIDATED, None]) is None
    # A validated (or in-validation) earlier version keeps its threads as the board saw them.
    assert rules.thread_validation([VALIDATED, None]) == VALIDATED
    assert rules.thread_validation([IN_VALIDATION, None]) == IN_VALIDATION


# --- over HTTP ---------------------------------------------------------------------------------

MESSAGES = {
    IN_VALIDATION: "The board is validating this version",
    VALIDATED: "The board has validated this version",
    NOT_VALIDATED: "A validation round on this version has closed",
}


@pytest.fixture
def w(app, request_context):
    w = world(other=False)
    w.assessment.require_dispositions = False     # comments stay open through the round
    db.session.commit()
    w.mine = comment(w, body="Cite the 2023 survey.", block_id=w.version.blocks[0]["id"],
                     quote="Policy is sound.")
    w.answered = comment(w, "member2", body="Good.")
    reply(w, w.answered, "researcher", body="Thanks; which source?")
    w.mine_reply = reply(w, w.answered, "board_member", body="Also the census.")
    return w


def put_in(w, state):
    round_ = open_round(w)
    if state == VALIDATED:
        sign(w, round_, "board_member")
        sign(w, round_, "member2")
    elif state == NOT_VALIDATED:
        sign(w, round_, "board_member", "object", "Not sound.")
        sign(w, round_, "member2", "object", "Not sound.")
    if state != IN_VALIDATION:
        close(w, round_)
        assert fresh(round_).passed is (state == VALIDATED)
    return round_


def record():
    """Every comment as it stands: the rows, their text, withdrawals and revisions."""
    db.session.expire_all()
    return (sorted((c.id, c.body, c.quote, c.withdrawn_at, c.edited_at)
                   for c in db.session.scalars(db.select(Comment))), count(CommentRevision))


@pytest.mark.parametrize("state", [IN_VALIDATION, VALIDATED, NOT_VALIDATED])
def test_a_member_can_no_longer_comment_reply_edit_or_withdraw(client, login, w, state):
    put_in(w, state)
    message = MESSAGES[state]
    before = record()
    login(w.people["board_member"])
    page = client.get(f"{A}/drafts/{w.draft.id}/v/1")
    html = page.get_data(as_text=True)
    assert message in text_of(page)
    assert f'action="{A}/drafts/{w.draft.id}/v/1/comments"' not in html
    assert f'action="{A}/comments/{w.answered.id}/replies"' not in html
    assert f'href="{A}/comments/{w.mine.id}/edit"' not in html
    assert f'href="{A}/comments/{w.mine_reply.id}/edit"' not in html

    response = client.post(f"{A}/drafts/{w.draft.id}/v/1/comments", data={"body": "Late."})
    assert response.status_code == 422 and message in text_of(response)
    response = client.post(f"{A}/comments/{w.answered.id}/replies", data={"body": "Late."})
    assert response.status_code == 422 and message in text_of(response)
    response = client.post(f"{A}/comments/{w.mine.id}/edit",
                           data={"body": "Rewritten.", "quote": "Policy is sound."})
    assert message in text_of(response) and 'name="body"' not in response.get_data(as_text=True)
    edit_page = client.get(f"{A}/comments/{w.mine.id}/edit").get_data(as_text=True)
    assert "Withdraw this comment" not in edit_page
    response = client.post(f"{A}/comments/{w.mine.id}/withdraw", follow_redirects=True)
    assert message in text_of(response)
    response = client.post(f"{A}/comments/{w.mine_reply.id}/withdraw", follow_redirects=True)
    assert message in text_of(response)
    assert record() == before
    for action in ("comment.added", "comment.replied", "comment.edited", "comment.withdrawn"):
        assert len(events(action)) == {"comment.added": 2, "comment.replied": 2}.get(action, 0)


@pytest.mark.parametrize("state", [IN_VALIDATION, VALIDATED])
def test_the_team_still_replies_and_responds(client, login, w, state):
    put_in(w, state)
    login(w.people["researcher"])
    html = client.get(f"{A}/drafts/{w.draft.id}/v/1").get_data(as_text=True)
    assert f'action="{A}/comments/{w.mine.id}/replies"' in html
    assert f'action="{A}/comments/{w.mine.id}/disposition"' in html
    assert f'action="{A}/drafts/{w.draft.id}/v/1/comments"' not in html   # no new comments
    assert "The research team may still respond" in text_of(client.get(
        f"{A}/drafts/{w.draft.id}/v/1"))
    response = client.post(f"{A}/comments/{w.mine.id}/replies",
                           data={"body": "We will add it."})
    assert response.status_code == 302
    response = client.post(f"{A}/comments/{w.mine.id}/disposition",
                           data={"disposition": "accepted", "response": "Added.",
                                 "addressed_in": ""})
    assert response.status_code == 302
    assert fresh(w.mine).disposition == "accepted"
    # The commenter still says whether the response satisfies them.
    login(w.people["board_member"])
    client.post(f"{A}/comments/{w.mine.id}/verdict", data={"satisfied": "yes"})
    assert fresh(w.mine).satisfied is True


def test_comments_made_before_stay_with_their_dispositions(client, login, w):
    dispose(w, w.answered, response="Fixed in the text.")
    put_in(w, VALIDATED)
    login(w.people["observer"])
    page = text_of(client.get(f"{A}/drafts/{w.draft.id}/v/1"))
    assert "Cite the 2023 survey." in page and "Fixed in the text." in page
    assert "Response: Accepted" in page


def test_the_deadline_cannot_be_extended_once_a_round_exists(client, login, w):
    put_in(w, NOT_VALIDATED)
    deadline = fresh(w.version.circulation).deadline
    login(w.people["coordinator"])
    response = client.post(f"{A}/drafts/{w.draft.id}/v/1/deadline",
                           data={"deadline": (deadline + timedelta(days=10)).isoformat()})
    assert "its comment period cannot be extended" in text_of(response)
    assert fresh(w.version.circulation).deadline == deadline
    assert events("draft.deadline_extended") == []


def test_a_thread_of_a_version_not_validated_goes_on_in_the_next_consultation(client, login, w):
    put_in(w, NOT_VALIDATED)
    new_version(w.draft, w.assessment, w.people["researcher"], "Policy is sound.\n\nRevised.")
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["board_member"])
    html = client.get(f"{A}/drafts/{w.draft.id}/v/2").get_data(as_text=True)
    assert f'action="{A}/drafts/{w.draft.id}/v/2/comments"' in html
    assert f'action="{A}/comments/{w.answered.id}/replies"' in html
    response = client.post(f"{A}/comments/{w.answered.id}/replies",
                           data={"body": "Better now.", "v": "2"})
    assert response.status_code == 302
    # Version 1 itself stays closed.
    response = client.post(f"{A}/drafts/{w.draft.id}/v/1/comments", data={"body": "Late."})
    assert response.status_code == 422 and MESSAGES[NOT_VALIDATED] in text_of(response)
    assert count(ValidationRound) == 1

"""Comments over HTTP: who may do what (grants and denials per role), bad input, carried-over
comments, the responses table, the matrix and its CSV, participation, the account preference."""
import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.audit.models import AuditEvent
from mab.auth.models import CommentEmails
from mab.comments import services
from mab.comments.models import Comment, CommentRevision, Disposition
from mab.drafts.models import Circulation, DraftVersion
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.comments.support import (
    A,
    add_board_member,
    as_request,
    comment,
    count,
    dispose,
    events,
    fresh,
    membership_of,
    reply,
    set_deadline,
    world,
)
from tests.drafts.support import Inspector, circulate, make_draft, new_version

TEAM = ["coordinator", "researcher"]
COMMENTERS = ["coordinator", "researcher", "board_member"]
OUTSIDERS = ["other_coordinator", "other_researcher", "other_member", "outsider", "admin"]


@pytest.fixture
def w(app):
    return world()


def text(response) -> str:
    return response.get_data(as_text=True)


def snapshot():
    return ([(c.id, c.body, c.quote, c.withdrawn_at, c.disposition, c.response, c.satisfied,
              c.edited_at) for c in db.session.scalars(select(Comment).order_by(Comment.id))],
            count(CommentRevision), count(OutboxMessage),
            [(c.id, c.deadline) for c in db.session.scalars(select(Circulation))])


def urls(w, target, draft=None, number=1):
    """(method, url, data) for every comments URL, aimed at ``target`` (a comment)."""
    draft_id = (draft or w.draft).id
    base = A
    return [
        ("POST", f"{base}/drafts/{draft_id}/v/{number}/comments", {"body": "Sneaky"}),
        ("POST", f"{base}/comments/{target.id}/replies", {"body": "Sneaky"}),
        ("GET", f"{base}/comments/{target.id}/edit", None),
        ("POST", f"{base}/comments/{target.id}/edit", {"body": "Sneaky"}),
        ("POST", f"{base}/comments/{target.id}/withdraw", {}),
        ("POST", f"{base}/comments/{target.id}/disposition",
         {"disposition": "accepted", "response": "Sneaky"}),
        ("POST", f"{base}/comments/{target.id}/verdict", {"satisfied": "yes"}),
        ("POST", f"{base}/drafts/{draft_id}/v/{number}/deadline", {"deadline": "2099-01-01"}),
        ("GET", f"{base}/drafts/{draft_id}/responses", None),
        ("POST", f"{base}/drafts/{draft_id}/responses",
         {f"disposition-{target.id}": "accepted", f"response-{target.id}": "Sneaky"}),
        ("GET", f"{base}/comments", None),
        ("GET", f"{base}/comments.csv", None),
        ("GET", f"{base}/comments?print=1", None),
        ("GET", f"{base}/participation", None),
    ]


def call(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data=data)


def post_comment(client, w, body="A comment.", block_id=None, quote=None, number=1, draft=None):
    data = {"body": body}
    if block_id is not None:
        data["block_id"] = block_id
    if quote is not None:
        data["quote"] = quote
    return client.post(f"{A}/drafts/{(draft or w.draft).id}/v/{number}/comments", data=data)


# --- no access from outside ------------------------------------------------------------------

@pytest.mark.parametrize("who", OUTSIDERS)
def test_people_outside_the_assessment_get_404_on_every_comments_url(client, login, w, who):
    target = comment(w, block_id="p1")
    dispose(w, target)
    login(w.people[who])
    before = snapshot()
    for method, url, data in urls(w, target):
        response = call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


def foreign_world(w):
    """uz-2023 with a circulated draft and a comment on it."""
    uz = db.session.scalar(select(Assessment).where(Assessment.slug == "uz-2023"))
    draft = make_draft(uz, w.people["other_researcher"], "Uzbek text.", title="Uzbek draft")
    circulate(draft, uz, w.people["other_researcher"])
    with as_request():
        made = services.add_comment(draft.versions[0], uz,
                                    membership_of(w.people["other_member"], uz), body="Uz")
    db.session.commit()
    return uz, draft, made


@pytest.mark.parametrize("who", ["coordinator", "researcher", "board_member", "observer"])
def test_ids_of_another_assessment_give_404_or_403_never_access(client, login, w, who):
    _uz, foreign_draft, foreign = foreign_world(w)
    login(w.people[who])
    before = snapshot()
    for method, url, data in urls(w, foreign, draft=foreign_draft):
        if url.endswith(("/comments", "/comments.csv", "?print=1", "/participation")):
            continue
        response = call(client, method, url, data)
        assert response.status_code in (403, 404), (method, url, response.status_code)
        if who == "coordinator":    # every grant is there: only the object check stops it
            assert response.status_code == 404, (method, url)
    # Nor does the foreign comment show in kz-2022's matrix.
    if who != "board_member":
        assert "Uzbek draft" not in text(client.get(f"{A}/comments"))
        assert "Uzbek" not in text(client.get(f"{A}/comments.csv"))
    assert snapshot() == before


def test_the_other_coordinator_cannot_reach_kz_comments_under_their_own_slug(client, login, w):
    target = comment(w, block_id="p1")
    login(w.people["other_coordinator"])
    before = snapshot()
    for method, url, data in urls(w, target):
        if url.endswith(("/comments", "/comments.csv", "?print=1", "/participation")):
            continue
        url = url.replace("/a/kz-2022/", "/a/uz-2023/")
        response = call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before
    assert "A comment." not in text(client.get("/a/uz-2023/comments"))


def test_anonymous_visitors_are_sent_to_sign_in(client, w):
    target = comment(w)
    for method, url, data in urls(w, target):
        response = call(client, method, url, data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


# --- commenting and replying, per role -------------------------------------------------------

@pytest.mark.parametrize("who", COMMENTERS)
def test_the_team_and_board_members_comment_and_reply(client, login, w, who):
    login(w.people[who])
    response = post_comment(client, w, body=f"Comment by {who}", block_id="p2",
                            quote="cheap in cities")
    assert response.status_code == 302
    made = db.session.scalar(select(Comment).where(Comment.body == f"Comment by {who}"))
    assert made.author_id == membership_of(w.people[who], w.assessment).id
    assert (made.block_id, made.paragraph, made.quote) == ("p2", 2, "cheap in cities")
    assert response.headers["Location"].endswith(f"/drafts/{w.draft.id}/v/1#c{made.id}")
    response = client.post(f"{A}/comments/{made.id}/replies", data={"body": f"Reply by {who}"})
    assert response.status_code == 302
    answer = db.session.scalar(select(Comment).where(Comment.body == f"Reply by {who}"))
    assert answer.parent_id == made.id
    assert response.headers["Location"].endswith(f"#c{answer.id}")
    page = text(client.get(w.url))
    assert f"Comment by {who}" in page and f"Reply by {who}" in page


def test_observers_may_read_but_not_comment_or_reply(client, login, w):
    target = comment(w, body="Visible to observers")
    login(w.people["observer"])
    before = snapshot()
    assert post_comment(client, w, body="Observer speaks").status_code == 403
    assert client.post(f"{A}/comments/{target.id}/replies",
                       data={"body": "Observer speaks"}).status_code == 403
    assert client.get(f"{A}/comments/{target.id}/edit").status_code == 403
    assert client.post(f"{A}/comments/{target.id}/verdict",
                       data={"satisfied": "yes"}).status_code == 403
    page = client.get(w.url)
    assert page.status_code == 200 and "Visible to observers" in text(page)
    # No forms to comment or reply are offered.
    assert 'name="body"' not in text(page)
    assert snapshot() == before


def test_board_members_do_not_see_comment_forms_on_versions_they_cannot_comment(client, login, w):
    login(w.people["board_member"])
    assert 'name="body"' in text(client.get(w.url))
    set_deadline(w.version, -1)
    page = text(client.get(w.url))
    assert "The comment period for this version ended" in page
    assert f'action="{A}/drafts/{w.draft.id}/v/1/comments"' not in page


# --- dispositions, the responses table and the deadline, per role ---------------------------

@pytest.mark.parametrize("who", ["board_member", "observer"])
def test_readers_may_not_dispose_nor_open_the_responses_table(client, login, w, who):
    target = comment(w, "member2")
    login(w.people[who])
    before = snapshot()
    assert client.post(f"{A}/comments/{target.id}/disposition", data={
        "disposition": "accepted", "response": "Yes"}).status_code == 403
    assert client.get(f"{A}/drafts/{w.draft.id}/responses").status_code == 403
    assert client.post(f"{A}/drafts/{w.draft.id}/responses", data={
        f"disposition-{target.id}": "accepted",
        f"response-{target.id}": "Yes"}).status_code == 403
    assert "Respond in a table" not in text(client.get(w.url))
    assert snapshot() == before


@pytest.mark.parametrize("who", TEAM)
def test_the_team_disposes_one_by_one(client, login, w, who):
    target = comment(w, "member2", block_id="p3")
    login(w.people[who])
    page = text(client.get(w.url))
    assert f'action="{A}/comments/{target.id}/disposition"' in page
    response = client.post(f"{A}/comments/{target.id}/disposition", data={
        "disposition": "not_accepted", "response": "Out of scope.", "v": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/v/1#c{target.id}")
    target = fresh(target)
    assert target.disposition == Disposition.NOT_ACCEPTED and target.response == "Out of scope."
    assert target.disposed_by_id == membership_of(w.people[who], w.assessment).id
    page = text(client.get(w.url))
    assert "Response: Not accepted" in page and "Out of scope." in page


def test_a_disposition_without_a_response_is_sent_back_with_the_choice_kept(client, login, w):
    target = comment(w, "member2")
    login(w.people["researcher"])
    response = client.post(f"{A}/comments/{target.id}/disposition", data={
        "disposition": "partly_accepted", "response": ""})
    assert response.status_code == 422
    page = text(response)
    assert "Write the response the commenter will read." in page
    assert re.search(r'<option value="partly_accepted" selected>', page)
    assert fresh(target).disposition is None


def test_addressed_in_must_be_a_later_version_over_http(client, login, w):
    target = comment(w, "member2")
    other = make_draft(w.assessment, w.people["researcher"], "Other.", title="Other draft")
    login(w.people["researcher"])
    response = client.post(f"{A}/comments/{target.id}/disposition", data={
        "disposition": "accepted", "response": "Done", "addressed_in": str(other.versions[0].id)})
    assert response.status_code == 422 and fresh(target).disposition is None
    v2 = new_version(w.draft, w.assessment, w.people["researcher"], "New text.")
    response = client.post(f"{A}/comments/{target.id}/disposition", data={
        "disposition": "accepted", "response": "Done", "addressed_in": str(v2.id)})
    assert response.status_code == 302 and fresh(target).addressed_in_id == v2.id


def test_replies_and_withdrawn_comments_cannot_be_disposed_over_http(client, login, w):
    root = comment(w, "member2")
    answer = reply(w, root, "board_member")
    gone = comment(w, "member2", body="Gone")
    login(w.people["member2"])
    assert client.post(f"{A}/comments/{gone.id}/withdraw").status_code == 302
    login(w.people["researcher"])
    for target in (answer, gone):
        response = client.post(f"{A}/comments/{target.id}/disposition", data={
            "disposition": "accepted", "response": "Done"})
        assert response.status_code == 422
        assert fresh(target).disposition is None


def test_only_the_coordinator_extends_the_deadline(client, login, w):
    first = w.version.circulation.deadline
    new = (first + timedelta(days=5)).isoformat()
    for who in ("researcher", "board_member", "observer"):
        login(w.people[who])
        assert client.post(f"{A}/drafts/{w.draft.id}/v/1/deadline",
                           data={"deadline": new}).status_code == 403, who
        assert "Extend the comment deadline" not in text(client.get(w.url))
    assert fresh(w.version.circulation).deadline == first
    login(w.people["coordinator"])
    assert "Extend the comment deadline" in text(client.get(w.url))
    before = count(OutboxMessage)
    response = client.post(f"{A}/drafts/{w.draft.id}/v/1/deadline", data={"deadline": new})
    assert response.status_code == 302
    circulation = fresh(w.version.circulation)
    assert circulation.deadline.isoformat() == new and circulation.original_deadline == first
    assert count(OutboxMessage) == before + 3   # two active members and the observer
    assert "extended from" in text(client.get(w.url))
    # An earlier date is refused, with the message, on the page.
    response = client.post(f"{A}/drafts/{w.draft.id}/v/1/deadline",
                           data={"deadline": first.isoformat()})
    assert response.status_code == 422 and "Give a date after the current deadline" in \
        text(response)
    assert fresh(w.version.circulation).deadline.isoformat() == new


def test_an_uncirculated_version_has_no_deadline_to_extend(client, login, w):
    new_version(w.draft, w.assessment, w.people["researcher"], "Working text.")
    login(w.people["coordinator"])
    assert client.post(f"{A}/drafts/{w.draft.id}/v/2/deadline",
                       data={"deadline": "2099-01-01"}).status_code == 404


# --- uncirculated versions ---------------------------------------------------------------------

def test_comments_on_an_uncirculated_version_are_hidden_from_the_board(client, login, w):
    v2 = new_version(w.draft, w.assessment, w.people["researcher"], BODY_V2, "Reworked")
    # No service makes such a comment; a row left behind must still not leak.
    hidden = Comment(assessment_id=w.assessment.id, draft_id=w.draft.id, version_id=v2.id,
                     body="Hidden remark", author_id=w.m("board_member").id)
    db.session.add(hidden)
    db.session.commit()
    login(w.people["board_member"])
    before = snapshot()
    for method, url, data in urls(w, hidden, number=2):
        if url.endswith(("/comments", "/comments.csv", "?print=1", "/participation",
                         "/responses", "/disposition", "/deadline")):
            continue    # not the board's to use anywhere (403, tested elsewhere)
        response = call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert client.get(f"{A}/drafts/{w.draft.id}/v/2").status_code == 404
    assert "Hidden remark" not in text(client.get(w.url))
    assert snapshot() == before
    # The team reaches it.
    login(w.people["researcher"])
    assert "Hidden remark" in text(client.get(f"{A}/drafts/{w.draft.id}/v/2"))
    # Posting on the working version is refused with a message, not stored.
    response = post_comment(client, w, body="Too early", number=2)
    assert response.status_code == 422
    assert "Comments open when the version is circulated." in text(response)
    assert db.session.scalar(select(Comment).where(Comment.body == "Too early")) is None


# --- edit and withdraw -----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["member2", "researcher", "coordinator"])
def test_only_the_author_edits_or_withdraws(client, login, w, who):
    target = comment(w, body="Mine alone")
    login(w.people[who])
    before = snapshot()
    assert client.get(f"{A}/comments/{target.id}/edit").status_code == 403
    assert client.post(f"{A}/comments/{target.id}/edit",
                       data={"body": "Hijacked"}).status_code == 403
    assert client.post(f"{A}/comments/{target.id}/withdraw").status_code == 403
    assert client.post(f"{A}/comments/{target.id}/verdict",
                       data={"satisfied": "no"}).status_code == 403
    assert snapshot() == before


def test_the_author_edits_and_the_page_shows_the_history(client, login, w):
    target = comment(w, body="First wording", block_id="p2", quote="cheap")
    login(w.people["board_member"])
    page = client.get(f"{A}/comments/{target.id}/edit")
    assert page.status_code == 200 and "First wording" in text(page)
    response = client.post(f"{A}/comments/{target.id}/edit",
                           data={"body": "Second wording", "quote": "cheap in cities"})
    assert response.status_code == 302
    target = fresh(target)
    assert (target.body, target.quote) == ("Second wording", "cheap in cities")
    assert [r.body for r in target.revisions] == ["First wording"]
    assert len(events("comment.edited")) == 1
    page = text(client.get(w.url))
    assert "Second wording" in page and "Edited once: earlier wording" in page
    assert "First wording" in page


def test_a_bad_edit_is_sent_back_and_changes_nothing(client, login, w):
    target = comment(w, body="Keep me", block_id="p1")
    login(w.people["board_member"])
    response = client.post(f"{A}/comments/{target.id}/edit", data={"body": ""})
    assert response.status_code == 422 and "Write your comment." in text(response)
    response = client.post(f"{A}/comments/{target.id}/edit",
                           data={"body": "New words kept", "quote": "not in the text"})
    assert response.status_code == 422
    assert "not in this paragraph" in text(response) and "New words kept" in text(response)
    assert fresh(target).body == "Keep me" and count(CommentRevision) == 0


def test_no_editing_after_a_reply_but_withdrawing_still_works(client, login, w):
    target = comment(w, body="Answered")
    reply(w, target, "researcher")
    login(w.people["board_member"])
    page = client.get(f"{A}/comments/{target.id}/edit")
    assert page.status_code == 200
    assert "This comment has replies and can no longer be edited." in text(page)
    response = client.post(f"{A}/comments/{target.id}/edit", data={"body": "Changed"})
    assert fresh(target).body == "Answered"
    assert response.status_code == 200
    assert "Withdraw this comment" in text(page)


def test_withdrawing_leaves_a_placeholder_on_the_page(client, login, w):
    target = comment(w, body="Words to take back", block_id="p1", quote="grew fast")
    login(w.people["board_member"])
    response = client.post(f"{A}/comments/{target.id}/withdraw")
    assert response.status_code == 302
    assert fresh(target).withdrawn
    for who in ("board_member", "researcher", "observer"):
        login(w.people[who])
        page = text(client.get(w.url))
        assert f'id="c{target.id}"' in page
        assert "Withdrawn by the author on" in page, who
        assert "Words to take back" not in page, who
    assert len(events("comment.withdrawn")) == 1
    # In the matrix the row stays, without its text.
    login(w.people["coordinator"])
    matrix = text(client.get(f"{A}/comments"))
    assert "Withdrawn by the author" in matrix and "Words to take back" not in matrix


def test_a_withdrawn_comment_cannot_be_withdrawn_or_edited_again(client, login, w):
    target = comment(w)
    login(w.people["board_member"])
    client.post(f"{A}/comments/{target.id}/withdraw")
    first = fresh(target).withdrawn_at
    client.post(f"{A}/comments/{target.id}/withdraw")
    assert fresh(target).withdrawn_at == first and len(events("comment.withdrawn")) == 1
    client.post(f"{A}/comments/{target.id}/edit", data={"body": "Back again"})
    assert fresh(target).body == "A comment."


def test_the_author_gives_a_verdict_on_the_response(client, login, w):
    target = comment(w)
    login(w.people["board_member"])
    client.post(f"{A}/comments/{target.id}/verdict", data={"satisfied": "yes"})
    assert fresh(target).satisfied is None        # no response yet: nothing to judge
    dispose(w, target)
    page = text(client.get(w.url))
    assert "Is this response satisfactory?" in page
    response = client.post(f"{A}/comments/{target.id}/verdict", data={"satisfied": "no"})
    assert response.status_code == 302 and fresh(target).satisfied is False
    login(w.people["researcher"])
    assert "The commenter does not find this response satisfactory." in text(client.get(w.url))


# --- bad input is sent back with the text kept ------------------------------------------------

def test_an_empty_comment_is_sent_back(client, login, w):
    login(w.people["board_member"])
    response = post_comment(client, w, body="")
    assert response.status_code == 422
    assert "Write your comment." in text(response)
    assert count(Comment) == 0


def test_a_too_long_comment_is_sent_back_with_the_text(client, login, w):
    login(w.people["board_member"])
    body = "Длинный комментарий " * 600          # 12,000 characters
    response = post_comment(client, w, body=body, block_id="p1")
    assert response.status_code == 422
    page = text(response)
    assert "at most 10000 characters" in page
    assert body.strip()[:200] in page
    assert 'aria-invalid="true"' in page
    assert count(Comment) == 0


def test_a_50000_character_comment_is_refused(client, login, w):
    login(w.people["board_member"])
    response = post_comment(client, w, body="x" * 50_000)
    assert response.status_code == 422 and count(Comment) == 0


def test_a_bad_quote_is_sent_back_with_the_typed_comment(client, login, w):
    login(w.people["board_member"])
    response = post_comment(client, w, body="My carefully typed remark", block_id="p2",
                            quote="expensive in villages")
    assert response.status_code == 422
    page = text(response)
    assert "The quoted passage is not in this paragraph" in page
    assert "My carefully typed remark" in page
    assert 'value="expensive in villages"' in page
    # The paragraph's form is the one open again.
    assert re.search(r'<details class="comment-new" data-block="p2"\s+open>', page)
    assert count(Comment) == 0


def test_an_unknown_paragraph_is_offered_the_general_form(client, login, w):
    login(w.people["board_member"])
    response = post_comment(client, w, body="Lost paragraph text", block_id="p42")
    assert response.status_code == 422
    page = text(response)
    assert "That paragraph is not in version 1" in page and "Lost paragraph text" in page
    assert count(Comment) == 0


def test_a_late_comment_is_sent_back_with_the_text_to_keep(client, login, w):
    set_deadline(w.version, -1)
    login(w.people["board_member"])
    response = post_comment(client, w, body="I was travelling")
    assert response.status_code == 422
    page = text(response)
    assert "The comment period ended" in page
    assert "Your text, so that you can keep it" in page and "I was travelling" in page
    assert count(Comment) == 0


def test_a_late_reply_is_refused_where_the_team_is_silent(client, login, w):
    quiet = comment(w, "member2", body="Quiet thread")
    asked = comment(w, "member2", body="Asked thread")
    reply(w, asked, "researcher", "Which year?")
    set_deadline(w.version, -1)
    login(w.people["board_member"])
    page = text(client.get(w.url))
    assert f'action="{A}/comments/{asked.id}/replies"' in page
    assert f'action="{A}/comments/{quiet.id}/replies"' not in page
    response = client.post(f"{A}/comments/{quiet.id}/replies", data={"body": "Late words"})
    assert response.status_code == 422
    assert "The comment period ended" in text(response) and "Late words" in text(response)
    response = client.post(f"{A}/comments/{asked.id}/replies", data={"body": "2021."})
    assert response.status_code == 302
    assert [r.body for r in fresh(asked).replies] == ["Which year?", "2021."]
    assert fresh(quiet).replies == []


def test_an_empty_reply_is_sent_back(client, login, w):
    target = comment(w)
    login(w.people["researcher"])
    response = client.post(f"{A}/comments/{target.id}/replies", data={"body": ""})
    assert response.status_code == 422 and "Write your comment." in text(response)
    assert fresh(target).replies == []


# --- carried across versions -----------------------------------------------------------------

BODY_V2 = ("Internet use grew fast in **2021**.\n\n"
           "Mobile data is cheap in most large cities.")


def test_comments_follow_their_paragraph_into_the_next_version(client, login, w):
    on_edited = comment(w, body="Cheap compared to what?", block_id="p2", quote="cheap")
    on_removed = comment(w, "member2", body="Which regions?", block_id="p3")
    on_same = comment(w, body="Good point", block_id="p1")
    general = comment(w, body="Overall fine")
    login(w.people["researcher"])
    response = client.post(f"{A}/drafts/{w.draft.id}/edit", data={
        "body": BODY_V2, "change_summary": "Took comments into account",
        "base_revision": str(w.version.revision), "base_number": "1"})
    assert response.status_code == 302
    v2 = db.session.scalar(select(DraftVersion).where(DraftVersion.draft_id == w.draft.id,
                                                      DraftVersion.number == 2))
    assert [b["id"] for b in v2.blocks] == ["p1", "p2"]
    page = text(client.get(f"{A}/drafts/{w.draft.id}/v/2"))
    blocks = {m.group(1): m.group(2) for m in re.finditer(
        r'<div class="block" id="(p\d+)">(.*?)(?=<div class="block" id=|</article>)', page, re.DOTALL)}
    assert "Cheap compared to what?" in blocks["p2"]
    assert "Paragraph changed since this comment" in blocks["p2"]
    assert "<ins>most large </ins>" in blocks["p2"] or "<ins>" in blocks["p2"]
    assert "on version 1" in blocks["p2"]
    assert "Good point" in blocks["p1"] and "Paragraph changed" not in blocks["p1"]
    removed = page.split('id="removed-heading"')[1]
    assert "Comments on paragraphs removed since" in page
    assert "Which regions?" in removed and "Rural coverage is poor." in removed
    assert "Which regions?" not in "".join(blocks.values())
    general_part = page.split('id="general-heading"')[1].split('id="removed-heading"')[0]
    assert "Overall fine" in general_part
    # Version 1 itself is unchanged: nothing is marked there.
    page1 = text(client.get(w.url))
    assert "Paragraph changed since this comment" not in page1
    assert "Comments on paragraphs removed since" not in page1
    for made in (on_edited, on_removed, on_same, general):
        assert f'id="c{made.id}"' in page1


def test_a_carried_comment_made_via_the_service_shows_on_v2_for_the_researcher(client, login, w):
    comment(w, body="Edited paragraph comment", block_id="p2")
    new_version(w.draft, w.assessment, w.people["researcher"], BODY_V2)
    login(w.people["researcher"])
    page = text(client.get(f"{A}/drafts/{w.draft.id}/v/2"))
    assert "Edited paragraph comment" in page and "Paragraph changed since this comment" in page
    # The board member does not see v2 before it is circulated.
    login(w.people["board_member"])
    assert client.get(f"{A}/drafts/{w.draft.id}/v/2").status_code == 404


def test_replying_and_disposing_from_a_later_version_page_returns_there(client, login, w):
    target = comment(w, body="Carried", block_id="p1")
    new_version(w.draft, w.assessment, w.people["researcher"], BODY_V2)
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["researcher"])
    response = client.post(f"{A}/comments/{target.id}/replies", data={"body": "Seen", "v": "2"})
    assert response.status_code == 302 and "/v/2#c" in response.headers["Location"]
    v2 = fresh(w.draft).versions[1]
    response = client.post(f"{A}/comments/{target.id}/disposition", data={
        "disposition": "accepted", "response": "Fixed", "addressed_in": str(v2.id), "v": "2"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/v/2#c{target.id}")
    assert "addressed in version 2" in text(client.get(f"{A}/drafts/{w.draft.id}/v/2"))


# --- XSS ---------------------------------------------------------------------------------------

PAYLOADS = ['<script>alert("body")</script>', "<img src=x onerror=alert(1)>",
            '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
            '"><svg onload=alert(1)>', "[click](javascript:alert(1))"]
XSS_BODY = "\n\n".join(PAYLOADS)
XSS_PARAGRAPH = 'Price <img src=x onerror=alert(1)> and "><script>alert(2)</script> here.'


def assert_inert(html):
    scripts = [attrs.get("src") for tag, attrs in Inspector(html).tags if tag == "script"]
    assert all(src == "/static/js/comments.js" for src in scripts), scripts
    assert html.lower().count("<script") == len(scripts)
    assert not [a for a in Inspector(html).attributes() if a.startswith("on")]
    assert "<img" not in html.lower() and "<svg" not in html.lower()
    assert "javascript:" not in "".join(Inspector(html).urls()).lower()


def test_payloads_in_comments_and_quotes_are_inert_everywhere(client, login, w):
    draft = make_draft(w.assessment, w.people["researcher"], XSS_PARAGRAPH + "\n\nSafe.",
                       title="Prices")
    version = circulate(draft, w.assessment, w.people["researcher"])
    made = comment(w, body=XSS_BODY, block_id="p1", version=version,
                   quote='<img src=x onerror=alert(1)> and "><script>alert(2)</script>')
    assert "onerror" in fresh(made).quote         # stored as typed
    reply(w, made, "researcher", XSS_BODY)
    dispose(w, made, response=XSS_BODY)
    with as_request():
        services.set_verdict(fresh(made), w.assessment, w.m("board_member"), satisfied=True)
    db.session.commit()
    pages = [f"{A}/drafts/{draft.id}/v/1", f"{A}/comments", f"{A}/comments?print=1",
             f"{A}/drafts/{draft.id}/responses?all=1", f"{A}/participation"]
    for who in ("researcher", "coordinator"):
        login(w.people[who])
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_inert(text(response))
        # The quote is shown as text, escaped, not dropped.
        assert "&lt;img src=x onerror=alert(1)&gt;" in text(client.get(f"{A}/comments"))
    login(w.people["board_member"])
    for url in (f"{A}/drafts/{draft.id}/v/1", f"{A}/comments/{made.id}/edit"):
        response = client.get(url)
        assert response.status_code == 200
        assert_inert(text(response))
    login(w.people["observer"])
    for url in (f"{A}/drafts/{draft.id}/v/1", f"{A}/comments", f"{A}/comments?print=1"):
        assert_inert(text(client.get(url)))


def test_a_refused_payload_is_echoed_inert(client, login, w):
    login(w.people["board_member"])
    response = post_comment(client, w, body=XSS_BODY, block_id="p1",
                            quote='"><script>alert(3)</script>')
    assert response.status_code == 422
    assert_inert(text(response))
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in text(response) or \
        "&#34;&gt;&lt;script&gt;alert(3)" in text(response)


# --- the responses table ---------------------------------------------------------------------

def test_the_responses_table_saves_several_at_once(client, login, w):
    first = comment(w, body="One")
    second = comment(w, "member2", body="Two", block_id="p2")
    third = comment(w, body="Three")
    v2 = new_version(w.draft, w.assessment, w.people["researcher"], BODY_V2)
    login(w.people["researcher"])
    page = client.get(f"{A}/drafts/{w.draft.id}/responses")
    assert page.status_code == 200
    assert all(body in text(page) for body in ("One", "Two", "Three"))
    before = count(OutboxMessage)
    response = client.post(f"{A}/drafts/{w.draft.id}/responses", data={
        f"disposition-{first.id}": "accepted", f"response-{first.id}": "Yes",
        f"addressed-{first.id}": str(v2.id),
        f"disposition-{second.id}": "noted", f"response-{second.id}": "Thanks",
        f"disposition-{third.id}": "", f"response-{third.id}": ""})
    assert response.status_code == 302
    assert (fresh(first).disposition, fresh(first).addressed_in_id) == ("accepted", v2.id)
    assert (fresh(second).disposition, fresh(second).response) == ("noted", "Thanks")
    assert fresh(third).disposition is None
    assert count(OutboxMessage) == before + 2     # both commenters are told
    # Only the open one is left in the default view.
    page = text(client.get(f"{A}/drafts/{w.draft.id}/responses"))
    assert "Three" in page and f'name="response-{first.id}"' not in page
    assert f'name="response-{first.id}"' in text(
        client.get(f"{A}/drafts/{w.draft.id}/responses?all=1"))


def test_one_incomplete_row_saves_nothing_and_keeps_the_input(client, login, w):
    first = comment(w, body="One")
    second = comment(w, "member2", body="Two")
    login(w.people["researcher"])
    before = snapshot()
    response = client.post(f"{A}/drafts/{w.draft.id}/responses", data={
        f"disposition-{first.id}": "accepted", f"response-{first.id}": "A complete answer",
        f"disposition-{second.id}": "partly_accepted", f"response-{second.id}": ""})
    assert response.status_code == 422
    page = text(response)
    assert "A complete answer" in page
    assert "Write the response the commenter will read." in page
    assert re.search(rf'<select id="disp-{second.id}"[^>]*>.*?<option value="partly_accepted"'
                     r' selected>', page, re.DOTALL)
    assert snapshot() == before
    assert fresh(first).disposition is None and not events("comment.disposed")


def test_an_empty_responses_form_saves_nothing(client, login, w):
    comment(w, body="One")
    login(w.people["coordinator"])
    before = snapshot()
    response = client.post(f"{A}/drafts/{w.draft.id}/responses", data={})
    assert response.status_code == 422
    assert "Choose a disposition and write a response for at least one comment." in text(response)
    assert snapshot() == before


def test_the_responses_table_refuses_a_bad_disposition_value(client, login, w):
    target = comment(w, body="One")
    login(w.people["researcher"])
    response = client.post(f"{A}/drafts/{w.draft.id}/responses", data={
        f"disposition-{target.id}": "ignored", f"response-{target.id}": "Hmm"})
    assert response.status_code == 422 and fresh(target).disposition is None


# --- the matrix ------------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [("coordinator", 200), ("researcher", 200),
                                         ("observer", 200), ("board_member", 403)])
def test_who_sees_the_matrix(client, login, w, who, status):
    comment(w, body="In the matrix")
    login(w.people[who])
    for url in (f"{A}/comments", f"{A}/comments.csv", f"{A}/comments?print=1"):
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        if status == 200:
            assert "In the matrix" in text(response)


@pytest.mark.parametrize("who, status", [("coordinator", 200), ("researcher", 200),
                                         ("observer", 403), ("board_member", 403)])
def test_who_sees_participation(client, login, w, who, status):
    login(w.people[who])
    assert client.get(f"{A}/participation").status_code == status


def matrix_world(w):
    """Comments on two drafts by members of two groups and the team, in every state."""
    other = make_draft(w.assessment, w.people["researcher"], "Other draft text.",
                       title="Broadband chapter")
    other_v = circulate(other, w.assessment, w.people["researcher"])
    made = {
        "gov_open": comment(w, "board_member", "Gov open", block_id="p1"),
        "aca_accepted": comment(w, "member2", "Aca accepted", block_id="p2"),
        "gov_noted": comment(w, "board_member", "Gov noted"),
        "team": comment(w, "coordinator", "Team remark"),
        "other_draft": comment(w, "member2", "Other draft remark", version=other_v),
        "withdrawn": comment(w, "board_member", "Withdrawn remark"),
    }
    reply(w, made["gov_open"], "researcher", "A reply is no row")
    dispose(w, made["aca_accepted"], disposition="accepted", response="Agreed")
    dispose(w, made["gov_noted"], disposition="noted", response="Noted it")
    with as_request():
        services.withdraw(made["withdrawn"], w.assessment, w.m("board_member"))
    db.session.commit()
    return other, made


def matrix_bodies(client, query=""):
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"{A}/comments.csv{query}").data.decode("utf-8-sig"))))
    return sorted(r["comment"] for r in rows)


def test_matrix_filters(client, login, w):
    other, _made = matrix_world(w)
    login(w.people["researcher"])
    everything = ["", "Aca accepted", "Gov noted", "Gov open", "Other draft remark",
                  "Team remark"]
    assert matrix_bodies(client) == everything
    assert matrix_bodies(client, "?disposition=open") == ["Gov open", "Other draft remark",
                                                          "Team remark"]
    assert matrix_bodies(client, "?disposition=accepted") == ["Aca accepted"]
    assert matrix_bodies(client, "?disposition=noted") == ["Gov noted"]
    assert matrix_bodies(client, "?disposition=not_accepted") == []
    assert matrix_bodies(client, f"?group={w.groups[0].id}") == ["", "Gov noted", "Gov open"]
    assert matrix_bodies(client, f"?group={w.groups[1].id}") == ["Aca accepted",
                                                                 "Other draft remark"]
    assert matrix_bodies(client, f"?draft={other.id}") == ["Other draft remark"]
    assert matrix_bodies(client, f"?draft={w.draft.id}&group={w.groups[1].id}") == [
        "Aca accepted"]
    # Unknown values are ignored rather than failing or leaking.
    assert matrix_bodies(client, "?draft=999999&group=abc&disposition=bogus") == everything
    # The page filters the same way.
    page = text(client.get(f"{A}/comments?disposition=open"))
    assert "Gov open" in page and "Team remark" in page and "Aca accepted" not in page
    assert "Gov noted" not in page
    page = text(client.get(f"{A}/comments?group={w.groups[1].id}"))
    assert "Aca accepted" in page and "Gov open" not in page
    page = text(client.get(f"{A}/comments?print=1&draft={other.id}"))
    assert "Other draft remark" in page and "Gov open" not in page


def test_the_matrix_page_shows_each_row(client, login, w):
    _other, made = matrix_world(w)
    login(w.people["observer"])
    page = text(client.get(f"{A}/comments"))
    assert "3 awaiting a response" in page
    assert "Government" in page and "Academia" in page and "Research team" in page
    assert "1 reply" in page and "A reply is no row" not in page
    gov_open = made["gov_open"].id   # opened from the matrix, the page marks its quote
    assert f'href="{A}/drafts/{w.draft.id}/v/1?comment={gov_open}#c{gov_open}"' in page
    assert "6 comments" in page


def test_the_csv(client, login, w):
    _other, made = matrix_world(w)
    cyrillic = comment(w, "member2", "Доступ в сёлах — хуже; «важно».", block_id="p3",
                       quote="Rural coverage")
    formula = comment(w, "member2", '=HYPERLINK("http://evil.example","x")')
    comment(w, "member2", "+1 agree")
    login(w.people["coordinator"])
    response = client.get(f"{A}/comments.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "kz-2022-comments.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["draft", "version", "paragraph", "quote", "comment", "language",
                       "translation", "translation_language", "stakeholder_group",
                       "date", "disposition", "response", "addressed_in_version",
                       "commenter_satisfied", "replies", "withdrawn", "link"]
    body = rows[1:]
    assert len(body) == count(Comment, Comment.parent_id.is_(None)) == 9
    by_comment = {r[4]: dict(zip(rows[0], r)) for r in body}
    row = by_comment["Доступ в сёлах — хуже; «важно»."]
    assert (row["paragraph"], row["quote"], row["stakeholder_group"]) == (
        "3", "Rural coverage", "Academia")
    assert row["link"] == (f"http://localhost/a/kz-2022/drafts/{w.draft.id}/v/1"
                           f"?comment={cyrillic.id}#c{cyrillic.id}")
    assert by_comment["'" + formula.body]["comment"].startswith("'=")
    assert "'+1 agree" in by_comment
    accepted = by_comment["Aca accepted"]
    assert (accepted["disposition"], accepted["response"]) == ("accepted", "Agreed")
    assert by_comment["Gov open"]["replies"] == "1"
    assert by_comment["Team remark"]["stakeholder_group"] == "Research team"
    assert by_comment[""]["withdrawn"] == "yes"
    assert "Withdrawn remark" not in response.data.decode("utf-8-sig")
    assert by_comment["Gov noted"]["link"].endswith(f"#c{made['gov_noted'].id}")


def test_the_csv_is_empty_but_valid_without_comments(client, login, w):
    login(w.people["observer"])
    response = client.get(f"{A}/comments.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0][0] == "draft"
    assert "No comment matches." in text(client.get(f"{A}/comments"))


# --- participation ---------------------------------------------------------------------------

def test_participation_counts_board_voices_by_group_and_names_the_silent(client, login, w):
    silent_user = add_board_member(w.assessment, "silent@example.org", w.groups[2],
                                   name="Silent Member")
    # A comment withdrawn by its author does not count as a voice.
    taken_back = comment(w, "board_member", "Taken back")
    with as_request():
        services.add_comment(w.version, w.assessment, membership_of(silent_user, w.assessment),
                             body="Never mind")
        services.withdraw(db.session.scalar(select(Comment).where(Comment.body == "Never mind")),
                          w.assessment, membership_of(silent_user, w.assessment))
        services.withdraw(taken_back, w.assessment, w.m("board_member"))
    db.session.commit()
    gov = comment(w, "board_member", "One")
    reply(w, gov, "board_member", "Two")
    comment(w, "member2", "Three")
    comment(w, "researcher", "The team is not counted")
    login(w.people["coordinator"])
    page = text(client.get(f"{A}/participation"))
    assert "3 comments and replies by board members" in page
    assert "2 members commented" in page
    silent = page.split('id="silent-heading"')[1]
    assert "Silent Member" in silent and "Second Member" not in silent
    # Per draft: another draft where only member2 spoke.
    other = make_draft(w.assessment, w.people["researcher"], "Other.", title="Other draft")
    version = circulate(other, w.assessment, w.people["researcher"])
    comment(w, "member2", "Four", version=version)
    page = text(client.get(f"{A}/participation?draft={other.id}"))
    assert "1 comment or reply by board members" in page
    silent = page.split('id="silent-heading"')[1]
    assert "Silent Member" in silent and w.people["board_member"].name in silent
    # The balance dashboard shows the same totals.
    balance = text(client.get(f"{A}/balance"))
    assert "4 comments and replies by board members" in balance


# --- the account preference ------------------------------------------------------------------

def test_the_comment_email_preference(client, login, w):
    user = w.people["board_member"]
    login(user)
    page = text(client.get("/account"))
    assert re.search(r'<input[^>]*checked[^>]*value="immediate"|'
                     r'<input[^>]*value="immediate"[^>]*checked', page)
    response = client.post("/account/notifications", data={"comment_emails": "daily"})
    assert response.status_code == 302
    assert fresh(user).comment_emails == CommentEmails.DAILY
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "account.comment_emails")).all()
    assert event.changes["comment_emails"] == ["immediate", "daily"]
    page = text(client.get("/account"))
    assert re.search(r'<input[^>]*checked[^>]*value="daily"|<input[^>]*value="daily"[^>]*checked',
                     page)
    for bad in ({"comment_emails": "weekly"}, {}):
        response = client.post("/account/notifications", data=bad)
        assert response.status_code == 422
        assert fresh(user).comment_emails == CommentEmails.DAILY
    # Saving the same value again records nothing new.
    client.post("/account/notifications", data={"comment_emails": "daily"})
    assert len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "account.comment_emails")).all()) == 1
    # And it takes effect: the next comment waits for the digest.
    assert client.post("/account/notifications",
                       data={"comment_emails": "daily"}).status_code == 302
    root = comment(w, body="Root")
    before = count(OutboxMessage)
    reply(w, root, "researcher", "Answer for the digest")
    assert count(OutboxMessage) == before


# --- replies: editing, withdrawing; versions; former members ---------------------------------

def test_a_reply_is_edited_and_withdrawn_by_its_author_only(client, login, w):
    root = comment(w, body="Root")
    answer = reply(w, root, "member2", "First reply wording")
    login(w.people["board_member"])
    assert client.get(f"{A}/comments/{answer.id}/edit").status_code == 403
    login(w.people["member2"])
    page = client.get(f"{A}/comments/{answer.id}/edit")
    assert page.status_code == 200 and 'name="quote"' not in text(page)
    assert client.post(f"{A}/comments/{answer.id}/edit",
                       data={"body": "Second reply wording"}).status_code == 302
    answer = fresh(answer)
    assert answer.body == "Second reply wording" and answer.quote == ""
    assert [r.body for r in answer.revisions] == ["First reply wording"]
    # A later reply in the thread ends editing of this one.
    reply(w, root, "researcher", "Later")
    client.post(f"{A}/comments/{answer.id}/edit", data={"body": "Third"})
    assert fresh(answer).body == "Second reply wording"
    assert client.post(f"{A}/comments/{answer.id}/withdraw").status_code == 302
    page = text(client.get(w.url))
    assert f'id="c{answer.id}"' in page and "Second reply wording" not in page
    assert "Withdrawn by the author on" in page and "Later" in page


def test_comments_on_a_later_version_do_not_show_on_an_earlier_one(client, login, w):
    comment(w, body="Said on version one", block_id="p1")
    new_version(w.draft, w.assessment, w.people["researcher"], BODY_V2)
    v2 = circulate(w.draft, w.assessment, w.people["researcher"])
    comment(w, "member2", body="Said on version two", block_id="p1", version=v2)
    login(w.people["board_member"])
    page1 = text(client.get(w.url))
    page2 = text(client.get(f"{A}/drafts/{w.draft.id}/v/2"))
    assert "Said on version one" in page1 and "Said on version two" not in page1
    assert "Said on version one" in page2 and "Said on version two" in page2
    assert "1 comment or reply" in page1 and "2 comments and replies" in page2


def test_comments_of_a_member_who_left_stay_as_a_former_members(client, login, w):
    gone = comment(w, "member2", body="Words of a departed member", block_id="p2")
    dispose(w, gone, response="Thanks anyway")
    reply(w, gone, "researcher", "Noted")
    db.session.delete(membership_of(w.people["member2"], w.assessment))
    db.session.commit()
    assert fresh(gone).author_id is None
    login(w.people["researcher"])
    for url in (w.url, f"{A}/comments", f"{A}/comments?print=1",
                f"{A}/drafts/{w.draft.id}/responses?all=1", f"{A}/participation"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Former member" in text(client.get(w.url))
    assert "Words of a departed member" in text(client.get(f"{A}/comments"))
    assert "Words of a departed member" in client.get(f"{A}/comments.csv").data.decode()
    # The thread still works: a reply tells the owner, nobody else.
    before = count(OutboxMessage)
    reply(w, gone, "coordinator", "Closing this")
    assert count(OutboxMessage) == before + 1


class TestWithCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_comment_forms_need_the_token_their_page_carries(self, client, login, app):
        w = world(other=False)
        target = comment(w, "member2")
        login(w.people["board_member"])
        before = snapshot()
        assert post_comment(client, w, body="Forged").status_code == 400
        assert client.post(f"{A}/comments/{target.id}/replies",
                           data={"body": "Forged"}).status_code == 400
        assert snapshot() == before
        page = text(client.get(w.url))
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post(f"{A}/drafts/{w.draft.id}/v/1/comments",
                               data={"body": "Genuine", "csrf_token": token})
        assert response.status_code == 302
        assert db.session.scalar(select(Comment).where(Comment.body == "Genuine")) is not None
        login(w.people["researcher"])
        assert client.post(f"{A}/drafts/{w.draft.id}/responses", data={
            f"disposition-{target.id}": "noted",
            f"response-{target.id}": "Forged"}).status_code == 400
        assert fresh(target).disposition is None

"""Who hears of a comment, a reply or a response: an email at once, or one daily digest."""
import re

import pytest
from sqlalchemy import select

from mab.assessments.models import Assessment, Role
from mab.auth.models import CommentEmails
from mab.comments import services
from mab.comments.models import CommentNotice, NoticeReason
from mab.extensions import db
from tests.comments.support import (
    World,
    add_board_member,
    as_request,
    comment,
    daily,
    dispose,
    last_mail_id,
    mail,
    membership_of,
    reply,
    world,
)
from tests.drafts.support import Inspector, circulate, make_draft
from tests.factories import make_member


@pytest.fixture
def w(app):
    return world()


def notices(kind="comment_notices", since=0):
    return [(m.recipient, m.subject) for m in mail(since, kind)]


def recipients(since=0):
    return sorted(m.recipient for m in mail(since, "comment_notices"))


def pending() -> list[CommentNotice]:
    return db.session.scalars(select(CommentNotice).where(CommentNotice.sent_at.is_(None))
                              .order_by(CommentNotice.id)).all()


def link(w, made) -> str:
    return f"http://localhost/a/kz-2022/drafts/{w.draft.id}/v/1?comment={made.id}#c{made.id}"


# --- who is told ----------------------------------------------------------------------------

def test_a_new_comment_tells_the_drafts_owner_at_once(w):
    before = last_mail_id()
    made = comment(w, body="Which survey is this?", block_id="p2", quote="cheap in cities")
    [message] = mail(before, "comment_notices")
    assert message.recipient == "researcher@example.org"
    assert message.subject == "New comment on Access findings"
    assert "Which survey is this?" in message.body_text and "cheap in cities" in message.body_text
    assert link(w, made) in message.body_text
    assert link(w, made).replace("&", "&amp;") in message.body_html
    [notice] = db.session.scalars(select(CommentNotice)).all()
    assert notice.reason == NoticeReason.NEW_COMMENT and notice.sent_at is not None


def test_the_owner_is_not_told_of_their_own_comment(w):
    before = last_mail_id()
    comment(w, "researcher", body="A note to myself")
    assert mail(before, "comment_notices") == []
    assert db.session.scalars(select(CommentNotice)).all() == []


def test_a_draft_without_an_owner_tells_nobody(w):
    w.draft.owner_id = None
    db.session.commit()
    before = last_mail_id()
    comment(w)
    assert mail(before, "comment_notices") == []


def test_a_reply_tells_the_thread_but_not_the_replier(w):
    root = comment(w, "board_member", body="Root")
    reply(w, root, "member2", body="I agree")
    before = last_mail_id()
    reply(w, root, "coordinator", body="We will check")
    # Root author, the other replier, the owner; never the coordinator who wrote.
    assert recipients(before) == ["board_member@example.org", "member2@example.org",
                                  "researcher@example.org"]
    assert all(s == "New reply on Access findings" for _, s in notices(since=before))
    before = last_mail_id()
    reply(w, root, "researcher", body="Here is the source")
    # The owner replied: told once of nothing; the coordinator now hears as a replier.
    assert recipients(before) == ["board_member@example.org", "coordinator@example.org",
                                  "member2@example.org"]
    [to_member] = [m for m in mail(before) if m.recipient == "board_member@example.org"]
    assert "Here is the source" in to_member.body_text


def test_each_person_is_told_once_even_with_several_roles_in_the_thread(w):
    root = comment(w, "board_member")
    reply(w, root, "board_member", "Adding to my own comment")
    before = last_mail_id()
    reply(w, root, "researcher", "Answer")     # the owner answers: the member hears once
    assert recipients(before) == ["board_member@example.org"]


def test_a_disposition_tells_the_commenter(w):
    made = comment(w, "member2", body="Please add rural data")
    before = last_mail_id()
    dispose(w, made, "coordinator", "not_accepted", "Out of scope for this chapter.")
    [message] = mail(before, "comment_notices")
    assert message.recipient == "member2@example.org"
    assert message.subject == "Response to your comment on Access findings"
    assert "Not accepted" in message.body_text
    assert "Out of scope for this chapter." in message.body_text
    assert link(w, made) in message.body_text


def test_inactive_accounts_are_not_told(w):
    w.people["researcher"].active = False
    db.session.commit()
    before = last_mail_id()
    comment(w)
    assert mail(before, "comment_notices") == [] and pending() == []


# --- the daily digest -----------------------------------------------------------------------

def test_daily_readers_get_nothing_until_the_digest(w, runner):
    daily(w.people["researcher"], w.people["board_member"])
    before = last_mail_id()
    first = comment(w, "board_member", body="First point", block_id="p1")
    second = comment(w, "member2", body="Second point")
    answer = reply(w, first, "researcher", "Thanks, we will look")
    dispose(w, second, "researcher", "accepted", "Added a table")
    # Only member2 (immediate) heard at once: of the disposition.
    assert recipients(before) == ["member2@example.org"]
    assert len(pending()) == 3      # two comments for the researcher, one reply for the member

    result = runner.invoke(args=["mab", "send-digests"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "2 digest(s) queued" in result.output
    digests = {m.recipient: m for m in mail(before, "comment_notices")
               if m.recipient != "member2@example.org"}
    assert sorted(digests) == ["board_member@example.org", "researcher@example.org"]
    to_researcher = digests["researcher@example.org"].body_text
    assert "First point" in to_researcher and "Second point" in to_researcher
    assert link(w, first) in to_researcher and link(w, second) in to_researcher
    assert "Thanks, we will look" not in to_researcher         # their own reply
    to_member = digests["board_member@example.org"].body_text
    assert "Thanks, we will look" in to_member and link(w, answer) in to_member
    assert pending() == []

    again = runner.invoke(args=["mab", "send-digests"])
    assert again.exit_code == 0 and "0 digest(s) queued" in again.output
    assert len(mail(before, "comment_notices")) == 3


def test_one_digest_per_person_and_assessment(w, runner):
    """A researcher on two assessments gets two digests, each with its own comments."""
    uz = db.session.scalar(select(Assessment).where(Assessment.slug == "uz-2023"))
    researcher = w.people["researcher"]
    make_member(uz, Role.RESEARCHER, user=researcher)
    db.session.commit()
    daily(researcher)
    uz_draft = make_draft(uz, researcher, "Uzbek text.", title="Uzbek findings")
    circulate(uz_draft, uz, researcher)

    uz_world = World(uz, w.people, uz_draft, uz_draft.versions[0], [])
    uz_world.m = lambda who: membership_of(w.people[who], uz)
    comment(w, "board_member", body="Kazakh comment")
    comment(w, "member2", body="Another Kazakh comment")
    comment(uz_world, "other_member", body="Uzbek comment")
    before = last_mail_id()
    result = runner.invoke(args=["mab", "send-digests"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    sent = mail(before, "comment_notices")
    assert [m.recipient for m in sent] == ["researcher@example.org"] * 2
    bodies = sorted((m.assessment_id, m.body_text) for m in sent)
    kz = next(b for a, b in bodies if a == w.assessment.id)
    uzb = next(b for a, b in bodies if a == uz.id)
    assert "Kazakh comment" in kz and "Another Kazakh comment" in kz and "Uzbek" not in kz
    assert "Uzbek comment" in uzb and "Kazakh" not in uzb
    assert f"/a/uz-2023/drafts/{uz_draft.id}/v/1?comment=" in uzb


def test_a_digest_of_one_notice_still_reads_as_a_digest(w, runner):
    daily(w.people["researcher"])
    made = comment(w, body="Only one")
    before = last_mail_id()
    assert runner.invoke(args=["mab", "send-digests"]).exit_code == 0
    [message] = mail(before, "comment_notices")
    assert "Only one" in message.body_text and link(w, made) in message.body_text
    assert "Here is what happened in the comments" in message.body_text


def test_switching_to_immediate_does_not_lose_waiting_notices(w, runner):
    daily(w.people["researcher"])
    comment(w, body="Waiting")
    w.people["researcher"].comment_emails = CommentEmails.IMMEDIATE
    db.session.commit()
    before = last_mail_id()
    comment(w, "member2", body="Sent at once")
    assert recipients(before) == ["researcher@example.org"]
    assert runner.invoke(args=["mab", "send-digests"]).exit_code == 0
    [digest] = mail(before + 1, "comment_notices")
    assert "Waiting" in digest.body_text and "Sent at once" not in digest.body_text


def test_a_withdrawn_comment_is_not_quoted_in_the_digest(w, runner):
    daily(w.people["researcher"])
    made = comment(w, body="Regrettable words")
    with as_request():
        services.withdraw(made, w.assessment, w.m("board_member"))
    db.session.commit()
    before = last_mail_id()
    assert runner.invoke(args=["mab", "send-digests"]).exit_code == 0
    [digest] = mail(before, "comment_notices")
    assert "Regrettable words" not in digest.body_text
    assert "withdrawn" in digest.body_text
    assert re.search(rf"#c{made.id}\b", digest.body_text)


def test_a_board_member_added_later_is_told_in_a_digest_too(w, runner):
    late = add_board_member(w.assessment, "late@example.org", w.groups[2])
    late.comment_emails = CommentEmails.DAILY
    db.session.commit()
    root = comment(w, "board_member")
    membership = membership_of(late, w.assessment)
    with as_request():
        services.reply(root, w.assessment, membership, body="Late voice")
    db.session.commit()
    daily(w.people["board_member"])
    reply(w, root, "researcher", body="Answer to both")
    before = last_mail_id()
    assert runner.invoke(args=["mab", "send-digests"]).exit_code == 0
    assert sorted(m.recipient for m in mail(before, "comment_notices")) == [
        "board_member@example.org", "late@example.org"]


def test_comment_emails_carry_payloads_as_text(w, runner):
    payload = ('<script>alert(1)</script> <img src=x onerror=alert(2)> '
               'https://evil.example/"onmouseover="alert(3)')
    daily(w.people["board_member"])
    before = last_mail_id()
    made = comment(w, "member2", body=payload)                 # immediate, to the owner
    reply(w, made, "board_member", body=payload)
    root = comment(w, "board_member", body="Mine")
    reply(w, root, "member2", body=payload)                    # waits for the digest
    assert runner.invoke(args=["mab", "send-digests"]).exit_code == 0
    sent = mail(before, "comment_notices")
    carrying = [m for m in sent if payload in m.body_text]
    # The owner three times at once, member2 at once, the board member in the digest.
    assert sorted(m.recipient for m in carrying) == [
        "board_member@example.org", "member2@example.org"] + ["researcher@example.org"] * 3
    for message in carrying:
        html = message.body_html
        page = Inspector(html)
        assert "script" not in page.names() and "img" not in page.names()
        assert not [a for a in page.attributes() if a.startswith("on")]
        assert "&lt;script&gt;" in html
        hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
        assert all(h.startswith("http") and '"' not in h for h in hrefs)
        assert any("#c" in h for h in hrefs)      # the link to the comment is clickable

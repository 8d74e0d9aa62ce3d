"""Comment use cases against the database: what they store, what they refuse, what they audit."""
from datetime import timedelta

import pytest
from babel.dates import format_date

from mab.comments import services
from mab.comments.models import Comment, CommentRevision, Disposition
from mab.drafts.models import Circulation
from mab.errors import DomainError
from mab.extensions import db
from tests.comments.support import (
    as_request,
    comment,
    count,
    dispose,
    events,
    fresh,
    last_mail_id,
    mail,
    reply,
    set_deadline,
    world,
)
from tests.drafts.support import circulate, make_draft, new_version


@pytest.fixture
def w(app):
    return world(other=False)


def refused(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info, as_request():
        call(*args, **kwargs)
    db.session.rollback()
    return info.value


# --- adding ---------------------------------------------------------------------------------

def test_a_comment_on_a_paragraph_stores_its_anchor_number_and_quote(w):
    made = comment(w, body="  Which survey?  ", block_id="p2", quote="  cheap in\n cities ")
    made = fresh(made)
    assert (made.block_id, made.paragraph, made.quote) == ("p2", 2, "cheap in cities")
    assert made.body == "Which survey?"
    assert made.version_id == w.version.id and made.draft_id == w.draft.id
    assert made.assessment_id == w.assessment.id and made.author_id == w.m("board_member").id
    assert made.parent_id is None and made.disposition is None
    [event] = events("comment.added")
    assert event.changes["block_id"] == "p2" and event.changes["quote"] == "cheap in cities"
    assert event.actor_id == w.people["board_member"].id


def test_a_quote_may_be_taken_as_shown_or_as_written(w):
    shown = comment(w, block_id="p1", quote="grew fast in 2021.")
    written = comment(w, block_id="p1", quote="in **2021**")
    assert fresh(shown).paragraph == fresh(written).paragraph == 1


def test_a_general_comment_has_no_anchor_and_drops_a_quote(w):
    made = fresh(comment(w, body="On the whole draft.", quote="anything at all"))
    assert (made.block_id, made.paragraph, made.quote) == (None, None, "")


def test_an_uncirculated_version_takes_no_comment(w):
    hidden = make_draft(w.assessment, w.people["researcher"], "Not yet sent.", title="Hidden")
    error = refused(services.add_comment, hidden.versions[0], w.assessment, w.m("board_member"),
                    body="Early")
    assert "circulated" in str(error)
    # Nor the working version 2 of a circulated draft.
    v2 = new_version(w.draft, w.assessment, w.people["researcher"], "Rewritten.")
    refused(services.add_comment, v2, w.assessment, w.m("coordinator"), body="Early")
    assert count(Comment) == 0


def test_comments_close_after_the_deadline_day_in_the_assessments_today(w):
    set_deadline(w.version, 0)        # due today: still open
    comment(w, body="Just in time")
    set_deadline(w.version, -1)
    error = refused(services.add_comment, w.version, w.assessment, w.m("board_member"),
                    body="Too late")
    assert "period ended" in str(error)
    # The team is held to the deadline for new comments too.
    refused(services.add_comment, w.version, w.assessment, w.m("researcher"), body="Late")
    assert count(Comment) == 1


def test_an_unknown_paragraph_is_refused(w):
    error = refused(services.add_comment, w.version, w.assessment, w.m("board_member"),
                    body="Here", block_id="p99")
    assert error.field == "block_id"
    assert count(Comment) == 0


@pytest.mark.parametrize("quote", ["grew slowly", "Mobile data", "cities. Rural"])
def test_a_quote_not_in_its_paragraph_is_refused(w, quote):
    error = refused(services.add_comment, w.version, w.assessment, w.m("board_member"),
                    body="Here", block_id="p1", quote=quote)
    assert error.field == "quote" and "not in this paragraph" in str(error)
    assert count(Comment) == 0


def test_a_quote_over_the_limit_is_refused(w):
    version = make_draft(w.assessment, w.people["researcher"], "word " * 400,
                         title="Long").versions[0]
    circulate(version.draft, w.assessment, w.people["researcher"])
    error = refused(services.add_comment, version, w.assessment, w.m("board_member"),
                    body="Here", block_id="p1", quote=("word " * 250).strip())
    assert error.field == "quote"


@pytest.mark.parametrize("body", ["", "   \n\t ", "x" * 50_000, "y" * 10_001])
def test_an_empty_or_too_long_body_is_refused(w, body):
    error = refused(services.add_comment, w.version, w.assessment, w.m("board_member"),
                    body=body)
    assert error.field == "body"
    assert count(Comment) == 0


def test_a_body_at_the_limit_is_taken(w):
    assert len(fresh(comment(w, body="z" * 10_000)).body) == 10_000


# --- replies ----------------------------------------------------------------------------------

def test_a_reply_joins_the_thread_of_its_root(w):
    root = comment(w, block_id="p3", body="Source?")
    first = reply(w, root, "researcher", "The 2021 census.")
    second = reply(w, first, "board_member", "Thanks.")      # a reply to a reply
    first, second = fresh(first), fresh(second)
    assert first.parent_id == second.parent_id == root.id
    assert (second.block_id, second.paragraph, second.quote) == ("p3", 3, "")
    assert [r.id for r in fresh(root).replies] == [first.id, second.id]
    assert [e.changes["parent_id"] for e in events("comment.replied")] == [root.id, root.id]


def test_after_the_deadline_board_members_reply_only_where_the_team_wrote(w):
    quiet = comment(w, body="Nobody answers")
    asked = comment(w, "member2", body="The researchers will answer")
    set_deadline(w.version, -1)
    error = refused(services.reply, quiet, w.assessment, w.m("member2"), body="Me too")
    assert "period ended" in str(error)
    # The team may always reply ...
    reply(w, asked, "researcher", "Can you say which survey?")
    reply(w, quiet, "coordinator", "Noted, thanks.")
    # ... and then the board may answer them in those threads.
    reply(w, asked, "member2", "The 2021 one.")
    reply(w, quiet, "board_member", "Thanks.")
    assert count(Comment, Comment.parent_id.is_not(None)) == 4


def test_a_thread_carried_to_a_circulated_later_version_follows_its_deadline(w):
    thread = comment(w, body="On version 1")
    set_deadline(w.version, -1)
    refused(services.reply, thread, w.assessment, w.m("member2"), body="Too late for v1")
    # Version 2 is circulated with a new deadline: the thread shows on it and is open again.
    new_version(w.draft, w.assessment, w.people["researcher"], "Revised text.", "Revised")
    circulate(w.draft, w.assessment, w.people["researcher"], days=7)
    reply(w, thread, "member2", "Still relevant to version 2.")
    assert count(Comment, Comment.parent_id == thread.id) == 1


def test_no_reply_under_a_withdrawn_comment(w):
    root = comment(w)
    with as_request():
        services.withdraw(root, w.assessment, w.m("board_member"))
    db.session.commit()
    error = refused(services.reply, root, w.assessment, w.m("researcher"), body="Too late")
    assert "withdrawn" in str(error)


def test_an_empty_reply_is_refused(w):
    root = comment(w)
    assert refused(services.reply, root, w.assessment, w.m("researcher"), body=" ").field == "body"


# --- editing and withdrawing ----------------------------------------------------------------

def test_an_edit_keeps_the_earlier_wording_and_is_audited(w):
    made = comment(w, body="First wording", block_id="p2", quote="cheap")
    with as_request():
        services.edit(made, w.assessment, w.m("board_member"), body="Second wording",
                      quote="cheap in cities")
    db.session.commit()
    first_edit = fresh(made).edited_at
    assert first_edit is not None
    with as_request():
        services.edit(made, w.assessment, w.m("board_member"), body="Third wording")
    db.session.commit()
    made = fresh(made)
    assert (made.body, made.quote) == ("Third wording", "cheap in cities")
    revisions = made.revisions
    assert [(r.body, r.quote) for r in revisions] == [("First wording", "cheap"),
                                                      ("Second wording", "cheap in cities")]
    assert revisions[0].written_at == made.created_at
    assert revisions[1].written_at == first_edit
    edited = events("comment.edited")
    assert edited[0].changes == {"body": ["First wording", "Second wording"],
                                 "quote": ["cheap", "cheap in cities"]}
    assert edited[1].changes == {"body": ["Second wording", "Third wording"]}


def test_an_edit_that_changes_nothing_leaves_no_trace(w):
    made = comment(w, body="Same")
    with as_request():
        services.edit(made, w.assessment, w.m("board_member"), body=" Same ")
    db.session.commit()
    assert count(CommentRevision) == 0 and not events("comment.edited")
    assert fresh(made).edited_at is None


def test_edit_refusals(w):
    made = comment(w, body="Mine", block_id="p1")
    assert "Only the author" in str(refused(services.edit, made, w.assessment, w.m("member2"),
                                            body="Theirs"))
    error = refused(services.edit, made, w.assessment, w.m("board_member"), body="x",
                    quote="not there")
    assert error.field == "quote"
    reply(w, made, "researcher")
    assert "has replies" in str(refused(services.edit, made, w.assessment,
                                        w.m("board_member"), body="Changed"))
    other = comment(w, body="Late edit")
    set_deadline(w.version, -1)
    assert "period ended" in str(refused(services.edit, other, w.assessment,
                                         w.m("board_member"), body="Changed"))
    assert fresh(made).body == "Mine" and fresh(other).body == "Late edit"
    assert count(CommentRevision) == 0


def test_withdrawal_keeps_a_placeholder_and_is_audited(w):
    made = comment(w, body="Second thoughts")
    with as_request():
        services.withdraw(made, w.assessment, w.m("board_member"))
    db.session.commit()
    made = fresh(made)
    assert made.withdrawn and made.withdrawn_at is not None
    assert count(Comment) == 1                 # the row stays, for the record
    assert [e.object_id for e in events("comment.withdrawn")] == [str(made.id)]
    assert "withdrawn" in str(refused(services.withdraw, made, w.assessment,
                                      w.m("board_member")))


def test_only_the_author_withdraws_and_not_after_a_response(w):
    made = comment(w)
    assert "Only the author" in str(refused(services.withdraw, made, w.assessment,
                                            w.m("researcher")))
    dispose(w, made)
    assert "has a response" in str(refused(services.withdraw, fresh(made), w.assessment,
                                           w.m("board_member")))
    assert not fresh(made).withdrawn


# --- dispositions ---------------------------------------------------------------------------

def test_a_disposition_records_who_what_and_where(w):
    made = comment(w, block_id="p2")
    v2 = new_version(w.draft, w.assessment, w.people["researcher"], "Changed text.")
    dispose(w, made, "researcher", "partly_accepted", "  Reworded.  ", addressed_in=v2)
    made = fresh(made)
    assert made.disposition == Disposition.PARTLY_ACCEPTED and made.response == "Reworded."
    assert made.addressed_in_id == v2.id and made.disposed_by_id == w.m("researcher").id
    assert made.disposed_at is not None
    [event] = events("comment.disposed")
    assert event.changes["disposition"] == [None, "partly_accepted"]
    assert event.changes["addressed_in"] == [None, 2]


def test_a_disposition_needs_a_valid_choice_and_a_response(w):
    made = comment(w)
    assert refused(services.dispose, made, w.assessment, w.m("researcher"),
                   disposition="accepted", response="  ", addressed_in=None).field == "response"
    assert refused(services.dispose, made, w.assessment, w.m("researcher"),
                   disposition="maybe", response="Ok", addressed_in=None).field == "disposition"
    assert refused(services.dispose, made, w.assessment, w.m("researcher"),
                   disposition="accepted", response="r" * 10_001,
                   addressed_in=None).field == "response"
    assert fresh(made).disposition is None and not events("comment.disposed")


def test_replies_and_withdrawn_comments_get_no_disposition(w):
    root = comment(w)
    answer = reply(w, root, "board_member", "Adding to my comment")
    assert "respond to the comment" in str(refused(
        services.dispose, answer, w.assessment, w.m("researcher"), disposition="noted",
        response="Ok", addressed_in=None))
    gone = comment(w, body="Withdrawn later")
    with as_request():
        services.withdraw(gone, w.assessment, w.m("board_member"))
    db.session.commit()
    assert "withdrawn" in str(refused(services.dispose, gone, w.assessment, w.m("researcher"),
                                      disposition="noted", response="Ok", addressed_in=None))
    assert fresh(answer).disposition is None and fresh(gone).disposition is None


def test_addressed_in_must_be_a_later_version_of_the_same_draft(w):
    made = comment(w)
    other = make_draft(w.assessment, w.people["researcher"], "Other text.", title="Other")
    circulate(other, w.assessment, w.people["researcher"])
    other_v2 = new_version(other, w.assessment, w.people["researcher"], "Other, revised.")
    # The same version; another draft's version 1; another draft's (later-numbered) version 2.
    for wrong in (w.version, other.versions[0], other_v2):
        error = refused(services.dispose, made, w.assessment, w.m("researcher"),
                        disposition="accepted", response="Done", addressed_in=wrong)
        assert error.field == "addressed_in"
    # A comment carried over to v2 and made on v2 cannot be addressed in v2 either.
    v2 = new_version(w.draft, w.assessment, w.people["researcher"], BODY_V2)
    circulate(w.draft, w.assessment, w.people["researcher"])
    on_v2 = comment(w, version=v2)
    assert refused(services.dispose, on_v2, w.assessment, w.m("researcher"),
                   disposition="accepted", response="Done",
                   addressed_in=v2).field == "addressed_in"
    dispose(w, made, addressed_in=v2)
    assert fresh(made).addressed_in_id == v2.id


BODY_V2 = "Internet use grew fast in **2021**.\n\nMobile data is cheap in most cities."


def test_a_new_response_asks_the_commenter_again(w):
    made = comment(w)
    dispose(w, made, response="First answer")
    with as_request():
        services.set_verdict(fresh(made), w.assessment, w.m("board_member"), satisfied=False)
    db.session.commit()
    assert fresh(made).satisfied is False
    # The same response again changes nothing ...
    dispose(w, fresh(made), response="First answer")
    assert len(events("comment.disposed")) == 1 and fresh(made).satisfied is False
    # ... a different one clears the earlier verdict.
    dispose(w, fresh(made), disposition="noted", response="Second answer")
    made = fresh(made)
    assert made.satisfied is None and made.satisfied_at is None
    assert events("comment.disposed")[-1].changes["response"] == ["First answer",
                                                                  "Second answer"]


def test_only_the_author_gives_a_verdict_and_only_after_a_response(w):
    made = comment(w)
    assert "no response" in str(refused(services.set_verdict, made, w.assessment,
                                        w.m("board_member"), satisfied=True))
    dispose(w, made)
    assert "Only the author" in str(refused(services.set_verdict, fresh(made), w.assessment,
                                            w.m("member2"), satisfied=True))
    with as_request():
        services.set_verdict(fresh(made), w.assessment, w.m("board_member"), satisfied=True)
    db.session.commit()
    made = fresh(made)
    assert made.satisfied is True and made.satisfied_at is not None
    assert events("comment.verdict")[-1].changes == {"satisfied": True}


# --- extending the deadline -----------------------------------------------------------------

def test_extending_the_deadline(w):
    circulation = w.version.circulation
    first = circulation.deadline
    before = last_mail_id()
    for wrong in (first, first - timedelta(days=1)):
        assert refused(services.extend_deadline, circulation, w.assessment, deadline=wrong,
                       actor=w.people["coordinator"]).field == "deadline"
    assert mail(before) == []
    with as_request():
        services.extend_deadline(fresh(circulation), w.assessment,
                                 deadline=first + timedelta(days=7),
                                 actor=w.people["coordinator"])
    db.session.commit()
    circulation = fresh(circulation)
    assert circulation.deadline == first + timedelta(days=7)
    assert circulation.original_deadline == first
    [event] = events("draft.deadline_extended")
    assert event.changes["deadline"] == [first.isoformat(), (first + timedelta(days=7))
                                         .isoformat()]
    sent = mail(before, "deadline_extended")
    # Active board members and observers; not the team.
    assert sorted(m.recipient for m in sent) == ["board_member@example.org",
                                                 "member2@example.org", "observer@example.org"]
    # The date in words in the recipient's language (English here), never ISO.
    new_day = format_date(first + timedelta(days=7), "medium", locale="en")
    assert all(new_day in m.body_text for m in sent)
    assert not any((first + timedelta(days=7)).isoformat() in m.body_text for m in sent)
    assert all(f"/a/kz-2022/drafts/{w.draft.id}/v/1" in m.body_text for m in sent)
    # A second extension keeps the deadline first given.
    with as_request():
        services.extend_deadline(circulation, w.assessment, deadline=first + timedelta(days=9),
                                 actor=w.people["coordinator"])
    db.session.commit()
    assert fresh(circulation).original_deadline == first


def test_an_extension_after_the_deadline_must_reach_today(w):
    set_deadline(w.version, -10)
    circulation = db.session.get(Circulation, w.version.circulation.id)
    error = refused(services.extend_deadline, circulation, w.assessment,
                    deadline=w.assessment.today() - timedelta(days=2),
                    actor=w.people["coordinator"])
    assert "today or later" in str(error)
    with as_request():
        services.extend_deadline(fresh(circulation), w.assessment,
                                 deadline=w.assessment.today(), actor=w.people["coordinator"])
    db.session.commit()
    # Open again: a new comment is taken.
    comment(w, version=fresh(w.version), body="Reopened")

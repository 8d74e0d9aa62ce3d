"""Issue 15 item 7: "new since your last visit" on the home page and on a draft's page, over
HTTP: counted from the end of the member's last visit, what others did (comments, replies,
responses, circulated versions), within their own assessment only."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from mab.extensions import db
from mab.types import utcnow
from tests.visits.support import end_visit, visit_of
from tests.comments.support import A, comment, dispose, reply, world
from tests.drafts.support import circulate, make_draft, membership_of, new_version


@pytest.fixture
def w(app):
    return world()


def news_card(client):
    html = client.get(f"{A}/").get_data(as_text=True)
    return html.split('data-card="news"')[1].split("</section>")[0]


def since_line(client, w):
    html = client.get(w.url).get_data(as_text=True)
    if 'class="flash new-since"' not in html:
        return None
    return html.split('class="flash new-since" role="status">')[1].split("</p>")[0]


def test_the_home_page_counts_what_others_did_since_the_last_visit(client, login, w):
    login(w.people["board_member"])
    assert "From your next visit" in news_card(client)             # a first visit
    row = visit_of(w, "board_member", "home")
    assert row.previous_at is None and row.last_at is not None

    end_visit(w, "board_member", "home")
    mine = comment(w, "board_member", "My own comment.")            # not news to me
    theirs = comment(w, "member2", "A comment by someone else.")
    card = news_card(client)
    assert "Access findings" in card and "1 new comment" in card
    assert "repl" not in card and "response" not in card
    assert f'/drafts/{w.draft.id}"' in card
    # A reload, or a view within the same visit, keeps the counts.
    assert "1 new comment" in news_card(client)
    reply(w, mine, "researcher")
    dispose(w, theirs, "researcher")
    # Two minutes on, still the same visit (its last view is now noted: reloads within a minute
    # write nothing).
    end_visit(w, "board_member", "home", timedelta(minutes=2))
    card = news_card(client)
    assert "1 new comment, 1 new reply, 1 new response" in card

    # The next visit counts from the end of this one: nothing new any more.
    end_visit(w, "board_member", "home")
    card = news_card(client)
    assert "Nothing new on the drafts." in card and "Your last visit:" in card
    # And a later comment by someone else is new again on the visit after.
    end_visit(w, "board_member", "home")
    comment(w, "member2", "Another one.")
    assert "1 new comment" in news_card(client)


def test_a_new_circulated_version_is_news_to_the_board_not_to_who_circulated_it(client, login, w):
    for who in ("board_member", "researcher"):
        login(w.people[who])
        client.get(f"{A}/")
        end_visit(w, who, "home")
    new_version(w.draft, w.assessment, w.people["researcher"], "Reworked.\n\nText.")
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["board_member"])
    assert "1 new version" in news_card(client)
    login(w.people["researcher"])
    assert "Nothing new on the drafts." in news_card(client)


def test_the_draft_page_says_what_is_new_on_that_draft(client, login, w):
    login(w.people["researcher"])
    assert since_line(client, w) is None                              # a first visit
    end_visit(w, "researcher", f"draft:{w.draft.id}")
    assert since_line(client, w) == "Nothing new since your last visit."
    end_visit(w, "researcher", f"draft:{w.draft.id}")
    first = comment(w, "board_member", "One.")
    comment(w, "member2", "Two.")
    second = comment(w, "member2", "Three.")
    reply(w, first, "member2")
    dispose(w, second, "coordinator")
    dispose(w, first, "researcher")                                  # mine: not counted
    assert since_line(client, w) == "Since your last visit: 3 new comments, 1 new reply, 1 new response."
    # Another draft's comments are not counted on this one.
    other = make_draft(w.assessment, w.people["researcher"], "Other text.", title="Other draft")
    circulate(other, w.assessment, w.people["researcher"])
    comment(w, "member2", "Elsewhere.", version=other.versions[0])
    assert since_line(client, w) == "Since your last visit: 3 new comments, 1 new reply, 1 new response."
    # The home page's visit and the draft's are apart: reading the draft resets only its own.
    end_visit(w, "researcher", f"draft:{w.draft.id}")
    assert since_line(client, w) == "Nothing new since your last visit."


def test_another_assessments_comments_are_not_counted(client, login, w):
    from mab.assessments.models import Assessment
    uz = db.session.scalar(select(Assessment).where(Assessment.slug == "uz-2023"))
    login(w.people["board_member"])
    client.get(f"{A}/")
    end_visit(w, "board_member", "home")
    draft = make_draft(uz, w.people["other_researcher"], "Uz text.", title="Uzbek findings")
    version = circulate(draft, uz, w.people["other_researcher"])
    from mab.comments import services
    from tests.comments.support import as_request
    with as_request():
        services.add_comment(version, uz, membership_of(w.people["other_member"], uz),
                             body="Not in Kazakhstan.")
    db.session.commit()
    card = news_card(client)
    assert "Uzbek findings" not in card and "Nothing new on the drafts." in card
    # And the other assessment's member sees it as news only in their own assessment.
    login(w.people["other_member"])
    client.get("/a/uz-2023/")
    assert "Access findings" not in client.get("/a/uz-2023/").get_data(as_text=True)


def test_a_reload_writes_no_visit(client, login, w):
    from tests.querycount import counting
    login(w.people["board_member"])
    client.get(f"{A}/")
    with counting() as statements:
        client.get(f"{A}/")
    assert not [s for s in statements if s.startswith(("INSERT INTO visits", "UPDATE visits"))]
    row = visit_of(w, "board_member", "home")
    row.last_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    with counting() as statements:
        client.get(f"{A}/")
    assert [s for s in statements if s.startswith("INSERT INTO visits")]   # the upsert
    assert visit_of(w, "board_member", "home").previous_at is None        # still the first visit

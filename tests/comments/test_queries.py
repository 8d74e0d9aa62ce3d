"""The comment pages run as many SQL statements for many comments as for a few: no N+1."""
import itertools

import pytest
from sqlalchemy import select

from mab.assessments.models import BoardStatus
from mab.auth.models import CommentEmails, Gender
from mab.comments import queries, services
from mab.comments.models import Comment
from mab.drafts.models import DraftVersion
from mab.extensions import db
from tests.comments.support import (
    A,
    add_board_member,
    as_request,
    count,
    membership_of,
    world,
)
from tests.drafts.support import circulate, make_draft, new_version
from tests.querycount import counting

GENDERS = [Gender.WOMAN, Gender.MAN, Gender.ANOTHER, Gender.UNDISCLOSED, None]
BODY_V2 = ("Internet use grew fast in **2021**.\n\n"
           "Mobile data is cheap in most cities.\n\n"
           "A new paragraph on affordability.")


# Bookkeeping of a read (a first opening, a visit) is written once, not a cost that grows.
BOOKKEEPING = ("INSERT INTO version_views", "INSERT INTO visits")


@pytest.fixture
def w(app):
    w = world(other=False)
    # Mail is not what is measured here: keep the comment loops quick.
    for user in w.people.values():
        user.comment_emails = CommentEmails.DAILY
    db.session.commit()
    # The draft gets a circulated version 2: comments sit on both, carried and removed ones.
    new_version(w.draft, w.assessment, w.people["researcher"], BODY_V2)
    circulate(w.draft, w.assessment, w.people["researcher"])
    return w


_serial = itertools.count()


def voices(w, n):
    """Board members (each with a new account) spread over the groups and genders."""
    people = []
    for i in range(n):
        k = next(_serial)
        user = add_board_member(w.assessment, f"voice{k}@example.org", w.groups[k % 9],
                                gender=GENDERS[k % 5], name=f"Голос {k}")
        user.comment_emails = CommentEmails.DAILY
        people.append(user)
    db.session.commit()
    return people


def grow(w, n, *, members, draft=None):
    """``n`` more top-level comments (numbered on from those there) on the draft's two versions by ``members`` and the team, with
    replies, edits, dispositions (by the researcher and the coordinator), verdicts, withdrawals."""
    draft = draft or w.draft
    versions = db.session.scalars(select(DraftVersion).where(
        DraftVersion.draft_id == draft.id).order_by(DraftVersion.number)).all()
    team = [membership_of(w.people["researcher"], w.assessment),
            membership_of(w.people["coordinator"], w.assessment)]
    authors = [membership_of(u, w.assessment) for u in members] + team[:1]
    made = []
    start = top_level()
    with as_request():
        for i in range(start, start + n):
            version = versions[i % len(versions)]
            author = authors[i % len(authors)]
            blocks = version.blocks
            block = blocks[i % len(blocks)]["id"] if i % 4 else None
            c = services.add_comment(version, w.assessment, author, body=f"Комментарий {i}",
                                     block_id=block)
            made.append(c)
            if i % 6 == 1:
                services.edit(c, w.assessment, author, body=f"Комментарий {i}, исправлен")
            if i % 3 == 0:
                services.reply(c, w.assessment, team[i % 2], body=f"Ответ {i}")
                services.reply(c, w.assessment, authors[(i + 1) % len(authors)],
                               body=f"Ещё {i}")
            if i % 5 == 2:
                services.dispose(c, w.assessment, team[i % 2],
                                 disposition=["accepted", "noted", "not_accepted",
                                              "partly_accepted"][i % 4],
                                 response=f"Решение {i}",
                                 addressed_in=versions[-1] if version != versions[-1] else None)
                if author.role == "board_member" and i % 2:
                    services.set_verdict(c, w.assessment, author, satisfied=bool(i % 4))
            elif i % 7 == 4:
                services.withdraw(c, w.assessment, author)
    db.session.commit()
    return made


def pages(w):
    d = w.draft.id
    return {
        "latest": f"{A}/drafts/{d}",
        "v1": f"{A}/drafts/{d}/v/1",
        "v2": f"{A}/drafts/{d}/v/2",
    }


def measure(client, login, user, urls):
    login(user)
    counts = {}
    for name, url in urls.items():
        for visit in ("first", "again"):
            with counting() as statements:
                response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            counts[name, visit] = len([s for s in statements
                                       if not s.startswith(BOOKKEEPING)])
    return counts


def top_level(draft_id=None):
    where = [Comment.parent_id.is_(None)]
    if draft_id:
        where.append(Comment.draft_id == draft_id)
    return count(Comment, *where)


@pytest.mark.parametrize("who", ["researcher", "coordinator", "board_member", "observer"])
def test_the_version_page_does_not_grow_with_comments(client, login, w, who, monkeypatch):
    # Every thread whole (a page folds those past the first screen): what a whole thread shows
    # costs no query per thread either.
    monkeypatch.setattr(queries, "FULL_THREADS", 1000)
    grow(w, 5, members=[w.people["board_member"], w.people["member2"]])
    assert top_level() == 5
    small = measure(client, login, w.people[who], pages(w))
    grow(w, 55, members=voices(w, 10) + [w.people["board_member"]])
    assert top_level() == 60
    large = measure(client, login, w.people[who], pages(w))
    assert large == small
    # The counts are of pages that show the comments.
    login(w.people[who])
    html = client.get(f"{A}/drafts/{w.draft.id}/v/2").get_data(as_text=True)
    assert "Комментарий 59" in html and "Ответ 57" in html and "Решение 52" in html


def test_the_version_page_with_a_failed_form_does_not_grow_either(client, login, w):
    """The 422 re-render runs the same reads as the page."""
    def failed():
        login(w.people["board_member"])
        with counting() as statements:
            response = client.post(f"{A}/drafts/{w.draft.id}/v/2/comments",
                                   data={"body": "", "block_id": "p1"})
        assert response.status_code == 422
        return len([s for s in statements if not s.startswith("INSERT INTO version_views")])

    grow(w, 5, members=[w.people["board_member"], w.people["member2"]])
    small = failed()
    grow(w, 55, members=voices(w, 10))
    assert failed() == small


def matrix_pages():
    return {
        "matrix": f"{A}/comments",
        "matrix open": f"{A}/comments?disposition=open",
        "matrix print": f"{A}/comments?print=1",
        "csv": f"{A}/comments.csv",
        "csv filtered": f"{A}/comments.csv?disposition=accepted",
    }


def measure_plain(client, login, user, urls):
    login(user)
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(statements)
    return counts


@pytest.mark.parametrize("who", ["researcher", "observer"])
def test_the_matrix_and_csv_do_not_grow_with_comments(client, login, w, who):
    other = make_draft(w.assessment, w.people["researcher"], "Other text.\n\nMore.",
                       title="Другой проект")
    circulate(other, w.assessment, w.people["researcher"])
    grow(w, 5, members=[w.people["board_member"], w.people["member2"]])
    small = measure_plain(client, login, w.people[who], matrix_pages())
    members = voices(w, 12)
    grow(w, 100, members=members + [w.people["board_member"]])
    grow(w, 45, members=members, draft=other)
    assert top_level() == 150
    large = measure_plain(client, login, w.people[who], matrix_pages())
    assert large == small
    login(w.people[who])
    csv_text = client.get(f"{A}/comments.csv").data.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == 151
    # The page shows 100 rows, the next page the other 50; the print view all of them.
    rows = [client.get(f"{A}/comments{q}").get_data(as_text=True).count("<tr>") - 1
            for q in ("", "?page=2", "?print=1")]
    assert rows == [100, 50, 150]
    assert "150 comments" in client.get(f"{A}/comments?page=2").get_data(as_text=True)


def test_balance_and_participation_do_not_grow_with_comments(client, login, w):
    other = make_draft(w.assessment, w.people["researcher"], "Other text.", title="Other")
    circulate(other, w.assessment, w.people["researcher"])
    grow(w, 5, members=[w.people["board_member"], w.people["member2"]])
    urls = {"balance": f"{A}/balance", "participation": f"{A}/participation",
            "participation per draft": f"{A}/participation?draft={w.draft.id}"}
    small = {who: measure_plain(client, login, w.people[who], urls)
             for who in ("coordinator", "researcher")}
    members = voices(w, 15)
    # Some of the new voices step down after commenting: still counted, not "silent".
    grow(w, 100, members=members)
    grow(w, 45, members=members[:5], draft=other)
    for user in members[:3]:
        membership_of(user, w.assessment).board_status = BoardStatus.STEPPED_DOWN
    db.session.commit()
    assert top_level() == 150
    large = {who: measure_plain(client, login, w.people[who], urls)
             for who in ("coordinator", "researcher")}
    assert large == small
    login(w.people["board_member"])
    assert client.get(f"{A}/balance").status_code == 200

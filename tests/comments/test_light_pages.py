"""Issue 17 items 5 and 6 on a version's page: one response form and one reply form however many
threads (the script moves them; without it, a thread's own page with its form), threads past the
first screen folded to their first line, and comments' Markdown rendered once, when saved."""
import re

import pytest
from sqlalchemy import select, update

from mab import markdown
from mab.comments import queries
from mab.comments.models import Comment
from mab.extensions import db
from mab.markdown import render_markdown
from mab.types import utcnow
from tests.comments.support import A, comment, dispose, fresh, reply, world
from tests.comments.support import as_request
from mab.comments import services

MANY = 200


@pytest.fixture
def w(app):
    return world()


def text(response) -> str:
    return response.get_data(as_text=True)


def many_comments(w, n=MANY) -> list[int]:
    """``n`` comments by the board member on the paragraphs and the whole draft, in bulk."""
    blocks = [b["id"] for b in w.version.blocks] + [None]
    now = utcnow()
    rows = []
    for i in range(n):
        block = blocks[i % len(blocks)]
        body = f"Comment number {i} on **this** paragraph; it says a little more than a line."
        rows.append({"assessment_id": w.assessment.id, "draft_id": w.draft.id,
                     "version_id": w.version.id, "block_id": block,
                     "paragraph": blocks.index(block) + 1 if block else None, "quote": "",
                     "body": body, "body_html": str(render_markdown(body)), "response": "",
                     "response_html": "", "author_id": w.m("board_member").id,
                     "created_at": now})
    db.session.execute(Comment.__table__.insert(), rows)
    db.session.commit()
    return list(db.session.scalars(select(Comment.id).order_by(Comment.id)))


def forms_of(html: str, kind: str) -> list[str]:
    return re.findall(rf'<form [^>]*data-kind="{kind}"[^>]*>', html)


# Item 5: one form of each kind, threads folded past the first screen -------------------------

def test_a_busy_draft_carries_one_response_form_and_one_reply_form(client, login, w):
    login(w.people["researcher"])
    empty = client.get(w.url).data
    ids = many_comments(w)
    response = client.get(w.url)
    assert response.status_code == 200
    html = text(response)
    assert len(forms_of(html, "dispose")) == 1 and len(forms_of(html, "reply")) == 1
    assert html.count("/disposition") == html.count('data-form="dispose"') * 2   # openers only
    # the page's other forms (language, sign-out, ...) and these two: none per thread
    assert html.count("<form ") == empty.count(b"<form ") + 2
    # Every thread is on the page: the first ones whole, the others by their first line.
    for comment_id in ids:
        assert f'id="c{comment_id}"' in html
    whole = re.findall(r'<article class="comment" id="c(\d+)"', html)
    folded = re.findall(r'<article class="comment comment--folded" id="c(\d+)"', html)
    assert len(whole) == queries.FULL_THREADS and len(folded) == MANY - queries.FULL_THREADS
    # Bounded per thread: the page grows by well under a kilobyte a comment.
    assert (len(response.data) - len(empty)) / MANY < 800, (len(response.data) - len(empty))
    # A folded thread's first words link to the page with that thread whole.
    last = ids[-1]
    assert f'<a href="?comment={last}#c{last}" data-thread="{last}">Comment number {MANY - 1} ' \
        f'on this paragraph' in html
    opened = text(client.get(f"{w.url}?comment={last}"))
    assert f'<article class="comment comment--focus" id="c{last}"' in opened
    assert f"Comment number {MANY - 1} on <strong>this</strong> paragraph" in opened


def test_the_board_member_gets_the_one_reply_form_only(client, login, w):
    many_comments(w, 30)
    login(w.people["member2"])
    html = text(client.get(w.url))
    assert len(forms_of(html, "reply")) == 1 and not forms_of(html, "dispose")
    assert 'data-form="dispose"' not in html


def test_the_thread_page_takes_the_response_without_the_script(client, login, w):
    made = comment(w, body="Please cite the survey.", block_id="p2")
    login(w.people["researcher"])
    page = client.get(f"{A}/comments/{made.id}/disposition?v=1")
    assert page.status_code == 200
    html = text(page)
    assert "<h1>Record the response</h1>" in html and "Please cite the survey." in html
    assert len(forms_of(html, "dispose")) == 1
    assert f'action="/a/kz-2022/comments/{made.id}/disposition"' in html
    assert f'<select id="disp-{made.id}"' in html
    # the version page's opener leads here
    assert f'href="/a/kz-2022/comments/{made.id}/disposition?v=1"' in text(client.get(w.url))
    response = client.post(f"{A}/comments/{made.id}/disposition", data={
        "v": "1", "disposition": "accepted", "response": "Cited in version 2."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/drafts/{w.draft.id}/v/1#c{made.id}")
    assert fresh(made).disposition == "accepted"
    shown = text(client.get(w.url))
    assert "Response: Accepted" in shown and "Cited in version 2." in shown
    # Changing it: the page shows the recorded response in the form.
    html = text(client.get(f"{A}/comments/{made.id}/disposition?v=1"))
    assert "<h1>Change the recorded response</h1>" in html
    assert re.search(r'<option value="accepted" selected>', html)


def test_the_thread_page_takes_a_reply_without_the_script(client, login, w):
    made = comment(w, who="member2", body="On the whole draft.")
    login(w.people["board_member"])
    html = text(client.get(f"{A}/comments/{made.id}/replies?v=1"))
    assert "<h1>Reply in the thread</h1>" in html and len(forms_of(html, "reply")) == 1
    assert not forms_of(html, "dispose")
    response = client.post(f"{A}/comments/{made.id}/replies", data={"v": "1", "body": "Agreed."})
    assert response.status_code == 302
    assert [r.body for r in fresh(made).replies] == ["Agreed."]


@pytest.mark.parametrize("who", ["board_member", "observer"])
def test_readers_get_no_response_page(client, login, w, who):
    made = comment(w, who="member2")
    login(w.people[who])
    assert client.get(f"{A}/comments/{made.id}/disposition?v=1").status_code == 403
    before = fresh(made).disposition
    assert client.post(f"{A}/comments/{made.id}/disposition", data={
        "disposition": "accepted", "response": "No."}).status_code == 403
    assert fresh(made).disposition is before is None


def test_observers_get_no_reply_page(client, login, w):
    made = comment(w)
    login(w.people["observer"])
    assert client.get(f"{A}/comments/{made.id}/replies?v=1").status_code == 403


def test_another_assessments_team_gets_no_thread_page(client, login, w):
    made = comment(w)
    login(w.people["other_researcher"])
    for url in (f"{A}/comments/{made.id}/disposition", f"{A}/comments/{made.id}/replies",
                f"/a/uz-2023/comments/{made.id}/disposition",
                f"/a/uz-2023/comments/{made.id}/replies"):
        assert client.get(url).status_code in (403, 404), url


def test_a_withdrawn_comment_takes_no_response(client, login, w):
    made = comment(w)
    with as_request():
        services.withdraw(made, w.assessment, w.m("board_member"))
    db.session.commit()
    login(w.people["researcher"])
    html = text(client.get(f"{A}/comments/{made.id}/disposition?v=1"))
    assert "This thread no longer takes this" in html and not forms_of(html, "dispose")
    target = reply(w, comment(w, body="Other"), body="A reply")
    assert client.get(f"{A}/comments/{target.id}/disposition").status_code == 404


def test_a_refused_response_comes_back_in_its_thread_with_the_shared_forms(client, login, w):
    made = comment(w, body="Please cite the survey.")
    login(w.people["researcher"])
    response = client.post(f"{A}/comments/{made.id}/disposition", data={
        "v": "1", "disposition": "", "response": "Kept text"})
    assert response.status_code == 422
    html = text(response)
    thread = html[html.index(f'id="c{made.id}"'):html.index("</article>",
                                                             html.index(f'id="c{made.id}"'))]
    assert f'<select id="disp-{made.id}" name="disposition" required aria-invalid="true"' in thread
    assert "Kept text" in thread
    assert len(forms_of(html, "dispose")) == 2   # that one, and the page's one for the others


# Item 6: Markdown rendered once, when saved ------------------------------------------------

XSS = 'A **bold** point <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>'


def test_saving_stores_the_renderers_sanitised_html(w):
    made = comment(w, body=XSS)
    assert made.body_html == str(render_markdown(XSS))
    assert "<strong>bold</strong>" in made.body_html
    for bad in ("<script", "javascript:", "onerror"):
        assert bad not in made.body_html
    answer = reply(w, made, body="*Thanks*")
    assert answer.body_html == "<p><em>Thanks</em></p>"
    dispose(w, made, response="Done, see **v2** <script>x()</script>")
    assert fresh(made).response_html == str(render_markdown(
        "Done, see **v2** <script>x()</script>"))
    assert "<script" not in fresh(made).response_html


def test_an_edit_stores_the_new_html(w):
    made = comment(w, body="First *wording*.")
    with as_request():
        services.edit(made, w.assessment, w.m("board_member"), body="Second **wording**.")
    db.session.commit()
    assert fresh(made).body_html == "<p>Second <strong>wording</strong>.</p>"


def test_the_page_does_not_render_stored_comments(client, login, w, monkeypatch):
    made = comment(w, body="Stored *once*.", block_id="p1")
    answer = reply(w, made, body="Reply *stored*.")
    dispose(w, made, response="Response *stored*.")
    texts = {made.body, answer.body, "Response *stored*."}
    calls = []
    real = markdown.render_markdown

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(markdown, "render_markdown", counting)
    login(w.people["researcher"])
    html = text(client.get(w.url))
    assert "Stored <em>once</em>." in html and "Reply <em>stored</em>." in html
    assert "Response <em>stored</em>." in html
    assert not [c for c in calls if c in texts]
    # A row saved before the HTML was kept is rendered on the page.
    db.session.execute(update(Comment).where(Comment.id == made.id).values(body_html=""))
    db.session.commit()
    html = text(client.get(w.url))
    assert "Stored <em>once</em>." in html and made.body in calls


def test_the_cli_renders_every_comment_again(app, w):
    made = comment(w, body="Some *text*.")
    dispose(w, made, response="An **answer**.")
    other = comment(w, body="More.")
    db.session.execute(update(Comment).values(body_html="", response_html=""))
    db.session.execute(update(Comment).where(Comment.id == other.id).values(
        body_html="<p>stale</p>"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mab", "rerender-markdown"])
    assert result.exit_code == 0, result.output
    assert "Comments stored with newly rendered HTML: 2." in result.output
    assert fresh(made).body_html == "<p>Some <em>text</em>.</p>"
    assert fresh(made).response_html == "<p>An <strong>answer</strong>.</p>"
    assert fresh(other).body_html == "<p>More.</p>"
    again = app.test_cli_runner().invoke(args=["mab", "rerender-markdown"])
    assert "newly rendered HTML: 0." in again.output    # safe to run twice

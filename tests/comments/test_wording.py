"""Issue 15 item 9 on a version's page: one row of actions under each comment (the team's
recorded response and a reply in the thread, each once); paragraph numbers in the margin, the
same the comments, the matrix and its CSV use; an opened comment's quoted passage marked in
its paragraph, on the server (no script needed)."""
import csv
import io
import re

import pytest

from mab.comments import queries
from mab.markdown import mark_passage, render_markdown
from tests.comments.support import (
    A,
    comment,
    dispose,
    reply,
    world,
)
from tests.drafts.support import circulate, new_version


@pytest.fixture
def w(app):
    return world()


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def article(html: str, comment_id: int) -> str:
    """The HTML of one top-level comment's <article>."""
    match = re.search(rf'<article class="comment[^"]*" id="c{comment_id}".*?</article>', html, re.S)
    assert match, f"comment {comment_id} not on the page"
    return match.group(0)


def block(html: str, block_id: str) -> str:
    match = re.search(rf'<div class="block[^"]*" id="{block_id}">.*?<div class="block__text"'
                      rf'[^>]*>(.*?)</div>', html, re.S)
    assert match, f"paragraph {block_id} not on the page"
    return match.group(0)


def name(w) -> str:
    return w.people["board_member"].display_name


def summaries(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", s).strip()
            for s in re.findall(r"<summary>(.*?)</summary>", html, re.S)]


# Marking a passage in rendered HTML (pure) ------------------------------------------------------

def test_a_passage_is_marked_in_the_text_between_tags():
    html = render_markdown("Internet use grew **fast** in *2021*, said the survey.")
    marked = mark_passage(html, "fast in 2021")
    assert marked == ('<p>Internet use grew <strong><mark>fast</mark></strong><mark> in </mark>'
                      '<em><mark>2021</mark></em>, said the survey.</p>')


def test_spaces_are_folded_and_only_the_first_occurrence_is_marked():
    html = render_markdown("one two\nthree two three")
    assert mark_passage(html, "  two   three ") == "<p>one <mark>two\nthree</mark> two three</p>"


def test_a_passage_across_list_items_reads_with_a_space():
    html = render_markdown("- first point\n- second point")
    assert mark_passage(html, "point second") == (
        "<ul>\n<li>first <mark>point</mark></li>\n<li><mark>second</mark> point</li>\n</ul>")


def test_marking_escapes_the_text_and_leaves_tags_and_attributes_alone():
    html = render_markdown('Fish & <chips> "here" [a link](http://x.example/?a=1&b=2 "t>i")')
    marked = mark_passage(html, '& "here" a link')
    assert '<a href="http://x.example/?a=1&amp;b=2" title="t&gt;i"' in marked
    assert "<mark>&amp;  &#34;here&#34; </mark>" in marked and "<mark>a link</mark>" in marked
    assert "<chips>" not in marked


def test_a_passage_not_there_as_shown_or_empty_marks_nothing():
    html = render_markdown("Internet use grew **fast**.")
    assert mark_passage(html, "**fast**") is None
    assert mark_passage(html, "slow") is None
    assert mark_passage(html, "  ") is None


def test_a_quote_that_looks_like_markup_stays_text():
    html = render_markdown("If a < b then <b>c</b> holds.")
    marked = mark_passage(html, "a < b then c")
    assert marked == "<p>If <mark>a &lt; b then </mark><b><mark>c</mark></b> holds.</p>"
    assert mark_passage(html, "<b>c</b>") is None


# One row of actions under each comment ----------------------------------------------------------

def test_the_team_sees_each_action_once_in_one_row_under_the_thread(client, login, w):
    made = comment(w, body="First.", block_id="p2")
    reply(w, made, body="A question back.")
    general = comment(w, body="On the whole draft.")
    login(w.people["researcher"])
    html = page(client, w.url)
    for target in (made, general):
        thread = article(html, target.id)
        assert thread.count('class="comment__actions"') == 1
        actions = thread[thread.index('class="comment__actions"'):]
        assert [s for s in summaries(actions)] == [
            f"Record the response to the comment by {name(w)}",
            f"Reply in the thread to the comment by {name(w)}"]
        assert summaries(thread).count(f"Record the response to the comment by {name(w)}") == 1
    # the recorded response and the reply each say what they are, in the page's one response
    # form and one reply form (moved into the thread being answered)
    shared = html[html.index('id="shared-forms"'):]
    assert html.count("it is shown under the comment and in the comment-resolution matrix") == 1
    assert "it is shown under the comment and in the comment-resolution matrix" in shared
    assert html.count("It does not record the team's response.") == 1
    assert "It does not record the team's response." in shared
    # the actions come after the replies
    thread = article(html, made.id)
    assert thread.index("A question back.") < thread.index('class="comment__actions"')
    assert ">Respond<" not in html and ">Reply<" not in html


def test_a_responded_comment_offers_to_change_the_recorded_response(client, login, w):
    made = dispose(w, comment(w, block_id="p1"), disposition="noted", response="Thanks.")
    login(w.people["researcher"])
    thread = article(page(client, w.url), made.id)
    assert f"Change the recorded response to the comment by {name(w)}" in summaries(thread)
    assert thread.count("<summary>") == 2


def test_a_board_member_sees_only_the_reply(client, login, w):
    made = comment(w, who="member2", block_id="p1")
    login(w.people["board_member"])
    thread = article(page(client, w.url), made.id)
    second = w.people["member2"].display_name
    assert summaries(thread) == [f"Reply in the thread to the comment by {second}"]
    assert "does not record" not in thread    # no response to tell it from


# Paragraph numbers ------------------------------------------------------------------------------

def test_paragraphs_are_numbered_in_the_margin_as_comments_and_the_matrix_count(client, login, w):
    made = comment(w, body="On rural coverage.", block_id="p3", quote="Rural coverage")
    login(w.people["coordinator"])
    html = page(client, w.url)
    numbers = re.findall(r'<a class="block__number" href="#(p\d+)" data-n="(\d+)" '
                         r'aria-label="Paragraph (\d+)"></a>', html)
    assert numbers == [("p1", "1", "1"), ("p2", "2", "2"), ("p3", "3", "3")]
    assert "Comment on paragraph 3" in html
    assert re.search(r">paragraph 3</a>", article(html, made.id))
    # the number is drawn by CSS: no digit inside the link, nothing to copy with the text
    matrix = page(client, f"{A}/comments")
    assert re.search(r'data-label="Paragraph"[^>]*>\s*3\s*<', matrix)
    rows = list(csv.DictReader(io.StringIO(page(client, f"{A}/comments.csv").lstrip("\ufeff"))))
    assert [r["paragraph"] for r in rows] == ["3"]


def test_a_comment_carried_to_a_later_version_names_its_paragraph_there_too(client, login, w):
    made = comment(w, body="On rural coverage.", block_id="p3", quote="Rural coverage")
    new_version(w.draft, w.assessment, w.people["researcher"],
                "A new first paragraph.\n\n" + w.version.body)
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["coordinator"])
    html = page(client, f"{A}/drafts/{w.draft.id}/v/2")
    thread = article(html, made.id)
    assert "on version 1" in thread and ">paragraph 3</a> (now paragraph 4)" in thread
    assert re.search(r'href="#p3" data-n="4"', html)


# The quoted passage, marked when a comment is opened ------------------------------------------

def test_opening_a_comment_marks_its_quote_in_the_paragraph(client, login, w):
    made = comment(w, body="Prices?", block_id="p2", quote="cheap in cities")
    login(w.people["board_member"])
    plain = page(client, w.url)
    assert "<mark>" not in plain
    html = page(client, f"{w.url}?comment={made.id}")
    assert "Mobile data is <mark>cheap in cities</mark>." in block(html, "p2")
    assert html.count("<mark>") == 1
    assert 'class="block block--focus" id="p2"' in html
    assert f"Highlighted: the passage quoted by {name(w)}." in html
    assert f'<a href="#c{made.id}">Go to the comment</a>' in html
    assert f'class="comment comment--focus" id="c{made.id}"' in html
    # the comment's "paragraph 2" opens it so
    link = f'href="/a/kz-2022/drafts/{w.draft.id}/v/1?comment={made.id}#p2"'
    assert link in article(plain, made.id)


def test_opening_a_reply_marks_the_quote_of_its_comment(client, login, w):
    made = comment(w, body="Prices?", block_id="p2", quote="cheap in cities")
    answer = reply(w, made, body="Yes.")
    login(w.people["researcher"])
    html = page(client, f"{w.url}?comment={answer.id}")
    assert "<mark>cheap in cities</mark>" in html


def test_a_comment_without_a_quote_marks_its_whole_paragraph(client, login, w):
    made = comment(w, body="Too vague.", block_id="p3")
    login(w.people["researcher"])
    html = page(client, f"{w.url}?comment={made.id}")
    assert 'class="block block--focus block--focus-whole" id="p3"' in html
    assert "<mark>" not in html
    assert f"Highlighted: the paragraph {name(w)} commented on." in html


def test_a_quote_no_longer_there_marks_the_whole_paragraph_and_says_so(client, login, w):
    made = comment(w, body="Prices?", block_id="p2", quote="cheap in cities")
    body = w.version.body.replace("cheap in cities", "cheap in most cities")
    new_version(w.draft, w.assessment, w.people["researcher"], body)
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["researcher"])
    html = page(client, f"{A}/drafts/{w.draft.id}/v/2?comment={made.id}")
    assert "<mark>" not in html
    assert 'block--focus-whole" id="p2"' in html
    assert "is not in this version as written; the whole paragraph is highlighted." in html


def test_opening_a_general_or_foreign_or_unknown_comment_marks_nothing(client, login, w):
    general = comment(w, body="On the whole draft.")
    other = comment(w, body="Second draft.", block_id="p1", quote="Internet use")
    login(w.people["researcher"])
    for target in (general.id, 999999, "x"):
        html = page(client, f"{w.url}?comment={target}")
        assert "<mark>" not in html and "block--focus" not in html
    # a comment of another assessment's draft is not shown here, so nothing is opened
    from tests.drafts.support import make_draft
    uz_draft = make_draft(w.assessment, w.people["researcher"], "Internet use grew fast.",
                          title="Other draft")
    circulate(uz_draft, w.assessment, w.people["researcher"])
    html = page(client, f"{A}/drafts/{uz_draft.id}/v/1?comment={other.id}")
    assert "<mark>" not in html and "block--focus" not in html


def test_a_withdrawn_comment_does_not_show_its_quote_when_opened(client, login, w):
    from tests.comments.support import as_request
    from mab.comments import services
    from mab.extensions import db
    made = comment(w, body="Prices?", block_id="p2", quote="cheap in cities")
    with as_request():
        services.withdraw(made, w.assessment, w.m("board_member"))
    db.session.commit()
    login(w.people["researcher"])
    html = page(client, f"{w.url}?comment={made.id}")
    assert "<mark>" not in html and "cheap in cities</blockquote>" not in html


def test_focus_is_only_found_among_the_comments_shown():
    class C:
        def __init__(self, id, block_id=None, quote="", replies=(), withdrawn=False):
            self.id, self.block_id, self.quote = id, block_id, quote
            self.replies, self.withdrawn = list(replies), withdrawn
    blocks = [{"id": "p1", "text": "Alpha beta."}]
    root = C(1, "p1", "beta", replies=[C(2)])
    assert queries.focus_of(None, [root], blocks) is None
    assert queries.focus_of(3, [root], blocks) is None
    focus = queries.focus_of(2, [root], blocks)
    assert focus.comment is root and focus.html == "<p>Alpha <mark>beta</mark>.</p>"
    assert queries.focus_of(1, [C(1, "gone", "x")], blocks).block_id is None

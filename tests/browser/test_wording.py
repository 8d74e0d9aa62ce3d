"""Issue 15 item 9 in a real browser, on the demo draft "Freedom of expression online" (version 1,
paragraphs p1-p3, a comment on p2 quoting "self-censorship on social networks"):

- the paragraphs carry their numbers in the margin (drawn by CSS: not copied with the text, read
  as "Paragraph 2" by a screen reader), on a wide screen and on a 360 px phone;
- following a comment's "paragraph 2" marks the passage it quotes in the paragraph, also with
  JavaScript off (the server marks it);
- under each comment the researcher has one row with "Record the response" and "Reply in the
  thread", each once, both reachable and opened by keyboard;
- axe-core finds no violation on any of these views. Screenshots go to test-results/wording/
  (git-ignored).
"""
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select, update

from mab.auth.models import User
from mab.comments.models import Comment
from mab.demo import DEMO_PASSWORD, seed
from mab.drafts.models import Draft
from mab.extensions import db
from tests.browser.helpers import sign_in

SLUG = "/a/kz-2022"
TITLE = "Freedom of expression online"
QUOTE = "self-censorship on social networks"
RESEARCHER = "researcher@example.org"
MEMBER = "member01@example.org"
PHONE = {"width": 360, "height": 740}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "wording"


def _demo():
    seed()
    db.session.execute(update(User).values(language="en"))
    db.session.commit()
    draft_id = db.session.scalar(select(Draft.id).where(Draft.title == TITLE))
    comment_id = db.session.scalar(select(Comment.id).where(Comment.quote == QUOTE))
    db.session.remove()
    return draft_id, comment_id


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _numbers(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('.draft-body .block__number')]
        .map(a => getComputedStyle(a, '::before').content.replace(/"/g, ''))""")


def _selected_text_of_block(page, block_id) -> str:
    """Select the whole paragraph block, margin number included, and return what would be copied."""
    return page.evaluate("""(id) => {
        const block = document.getElementById(id);
        const range = document.createRange();
        range.setStartBefore(block.querySelector('.block__number'));
        range.setEndAfter(block.querySelector('.block__text'));
        const selection = document.getSelection();
        selection.removeAllRanges(); selection.addRange(range);
        return selection.toString().trim();
    }""", block_id)


def _focused_text(page) -> str:
    return page.evaluate("() => (document.activeElement.textContent || '').replace(/\\s+/g, ' ').trim()")


def test_paragraph_numbers_the_quoted_passage_and_one_row_of_actions(page, new_page, live_server,
                                                                    axe_check):
    base = live_server
    draft_id, comment_id = _demo()
    v1 = f"{base}{SLUG}/drafts/{draft_id}/v/1"

    # The researcher's wide view: numbered paragraphs, the numbers not part of the text.
    sign_in(page, base, RESEARCHER, DEMO_PASSWORD, axe_check=axe_check)
    page.goto(v1)
    expect(page.locator("h1")).to_have_text(TITLE)
    assert _numbers(page) == ["1", "2", "3"]
    expect(page.get_by_role("link", name="Paragraph 2", exact=True)).to_have_attribute("href", "#p2")
    copied = _selected_text_of_block(page, "p2")
    assert copied.startswith("Interviews with journalists") and not copied[0].isdigit()
    page.evaluate("() => document.getSelection().removeAllRanges()")
    axe_check(page)

    # One row of actions under the comment, each once, by keyboard.
    thread = page.locator(f"#c{comment_id}")
    actions = thread.locator(".comment__actions")
    expect(actions).to_have_count(1)
    expect(actions.locator("> details > summary")).to_have_text([
        "Record the response to the comment by Nurlan Zhaksybekov",
        "Reply in the thread to the comment by Nurlan Zhaksybekov"])
    expect(thread.locator("summary", has_text="Record the response")).to_have_count(1)
    expect(thread.locator("summary", has_text="Reply in the thread")).to_have_count(1)
    respond = actions.locator("details.comment-respond")
    respond.locator("> summary").focus()
    page.keyboard.press("Enter")
    expect(respond).to_have_attribute("open", "")
    axe_check(page)
    respond.locator("> summary").focus()
    page.keyboard.press("Enter")           # closed again
    expect(respond).not_to_have_attribute("open", "")
    page.keyboard.press("Tab")             # the next stop is the reply, in the same row
    assert _focused_text(page).startswith("Reply in the thread")
    page.keyboard.press("Enter")
    expect(actions.locator("details.comment-reply")).to_have_attribute("open", "")
    axe_check(page)
    _shot(page, "researcher-actions-wide")

    # Following the comment's "paragraph 2" marks its quote in the paragraph.
    thread.get_by_role("link", name="paragraph 2", exact=True).click()
    expect(page).to_have_url(f"{v1}?comment={comment_id}#p2")
    mark = page.locator("#p2 .block__text mark")
    expect(mark).to_have_text(QUOTE)
    expect(mark).to_be_visible()
    expect(page.locator("#p2")).to_contain_text("Highlighted: the passage quoted by Nurlan Zhaksybekov.")
    expect(page.locator("mark")).to_have_count(1)
    axe_check(page)
    _shot(page, "researcher-quote-wide")

    # A board member on a 360 px phone: numbers in the margin, the quote marked, nothing wider.
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, base, MEMBER, DEMO_PASSWORD, axe_check=axe_check)
    phone.goto(f"{v1}?comment={comment_id}#p2")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert _numbers(phone) == ["1", "2", "3"]
    number = phone.locator("#p2 .block__number").bounding_box()
    text = phone.locator("#p2 .block__text").bounding_box()
    assert number["x"] >= 0 and number["x"] + number["width"] <= text["x"]   # in the margin
    expect(phone.locator("#p2 mark")).to_have_text(QUOTE)
    axe_check(phone)
    _shot(phone, "member-quote-phone")

    # Without JavaScript the server has marked it already (axe-core needs JavaScript: the same
    # page was checked above).
    plain = new_page(java_script_enabled=False)
    sign_in(plain, base, MEMBER, DEMO_PASSWORD, axe_check=lambda _page: None)
    plain.goto(f"{v1}?comment={comment_id}")
    expect(plain.locator("#p2 mark")).to_have_text(QUOTE)

"""Comments in a real browser, on the demo assessment (mab.demo).

The issue's path: a board member comments on a paragraph of a circulated draft with the keyboard
alone (quote included), and with a passage selected by mouse; another member replies; the
researcher responds, starts version 2 changing the commented paragraph, and the comment follows
it there, marked changed, with the paragraph's diff; the comment-resolution matrix, its CSV and
its print view show the response. axe-core finds nothing on any of these pages, forms open or
closed, in English and in Russian, and the version page fits a 360 px phone.

The demo draft "Freedom of expression online" has version 1 circulated (comments due in 10
days), three paragraphs (p1, p2, p3) and comments on p2, p3 and the whole draft; p1 has none.
"""
import re

from playwright.sync_api import expect
from sqlalchemy import select, update

from mab.auth.models import User
from mab.comments.models import Comment, CommentNotice
from mab.demo import DEMO_PASSWORD, seed
from mab.drafts.models import Draft
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.browser.helpers import CYRILLIC, html_lang, sign_in, sign_out

SLUG = "/a/kz-2022"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TITLE = "Freedom of expression online"
RESEARCHER = "researcher@example.org"
MEMBER = "member01@example.org"          # Government
MEMBER_NAME = "Nurlan Zhaksybekov"
REPLIER = "member07@example.org"         # Civil society
REPLIER_NAME = "Aliya Bekova"

P1 = "Kazakhstan's Constitution guarantees freedom of expression (example finding)."
P1_V2 = ("Kazakhstan's Constitution guarantees freedom of expression, online as well "
         "(example finding).")
P3 = "Recommendation: publish statistics on content removal requests."
QUOTE = "guarantees freedom of expression"
COMMENT = "The Constitution is not the only source: cite the 2020 law on mass media as well."
SELECTED = "statistics on content removal"
COMMENT_P3 = "Say which body should publish them."
REPLY = "Agreed; the law of 2020 also covers online media."
RESPONSE = "Added online media to the paragraph in version 2."
SUMMARY = "Paragraph 1 now covers online expression."


def _demo():
    seed()
    # Everyone in English: emails follow the recipient's language; the checks read English.
    db.session.execute(update(User).values(language="en"))
    db.session.commit()
    draft_id = db.session.scalar(select(Draft.id).where(Draft.title == TITLE))
    db.session.remove()
    return draft_id


def _page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _focused(page):
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id,
                text: (el.textContent || '').replace(/\\s+/g, ' ').trim()};
    }""")


def _tab_to(page, text, *, key="Tab", limit=60):
    """Press Tab (or Shift+Tab) until the focused element reads ``text``."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = _focused(page)
        if focused["text"] == text:
            return
        seen.append(focused["text"][:40] or focused["tag"])
    raise AssertionError(f"{text!r} not reached with {key}; focus went through {seen}")


def _select_with_mouse(page, block_id, passage):
    """Drag the mouse across ``passage`` in the paragraph ``block_id``."""
    page.locator(f"[data-block-text='{block_id}']").scroll_into_view_if_needed()
    box = page.evaluate("""([id, passage]) => {
        const root = document.querySelector(`[data-block-text="${id}"]`);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(passage);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 1);
            const first = range.getBoundingClientRect();
            range.setStart(node, at + passage.length - 1); range.setEnd(node, at + passage.length);
            const last = range.getBoundingClientRect();
            return {x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2};
        }
        return null;
    }""", [block_id, passage])
    assert box, passage
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    assert page.evaluate("() => document.getSelection().toString()") == passage


def _new_form(page, block_id):
    return page.locator(f"details.comment-new[data-block='{block_id}']")


def _open(details):
    details.locator("> summary").click()
    expect(details).to_have_attribute("open", "")


def test_comment_reply_respond_revise_and_matrix(page, new_page, live_server, axe_check):
    base = live_server
    draft_id = _demo()
    v1 = f"{base}{SLUG}/drafts/{draft_id}/v/1"

    # 1. A board member comments on paragraph 1 with the keyboard alone.
    member = page
    sign_in(member, base, MEMBER, DEMO_PASSWORD, axe_check=axe_check)
    expect(member).to_have_url(f"{base}{SLUG}/")
    member.goto(v1)
    expect(member.locator("h1")).to_have_text(TITLE)
    expect(member.locator("[data-block-text='p1']")).to_have_text(P1)
    expect(member.locator("#p1 article.comment")).to_have_count(0)
    form = _new_form(member, "p1")
    expect(form).not_to_have_attribute("open", "")
    axe_check(member)

    member.keyboard.press("Tab")
    expect(member.locator("a.skip-link")).to_be_focused()
    member.keyboard.press("Enter")
    expect(member.locator("main")).to_be_focused()
    _tab_to(member, "Comment on paragraph 1")
    expect(form.locator("> summary")).to_be_focused()
    member.keyboard.press("Enter")
    expect(form).to_have_attribute("open", "")
    # The script moves focus to the comment; the optional quote is just before it.
    expect(member.locator("#body-p1")).to_be_focused()
    member.keyboard.press("Shift+Tab")
    expect(member.locator("#quote-p1")).to_be_focused()
    member.keyboard.type(QUOTE)
    member.keyboard.press("Tab")
    expect(member.locator("#body-p1")).to_be_focused()
    member.keyboard.type(COMMENT)
    member.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Post comment")).to_be_focused()
    member.keyboard.press("Enter")
    expect(member).to_have_url(re.compile(re.escape(v1) + r"#c\d+$"))
    comment_id = int(member.url.rsplit("#c", 1)[1])
    expect(member.locator(".flashes")).to_contain_text("Your comment is posted.")
    mine = member.locator(f"#p1 #c{comment_id}")
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment__by")).to_contain_text(MEMBER_NAME)
    expect(mine.locator(".comment__by")).to_contain_text("Government")
    expect(mine.locator(".comment__quote")).to_have_text(QUOTE)
    expect(mine.locator(".comment__text")).to_have_text(COMMENT)
    expect(mine.locator(".badge")).to_have_text("Awaiting a response")
    axe_check(member)

    # The comment form open, on a desktop and on a phone.
    _open(_new_form(member, "p2"))
    axe_check(member)
    member.set_viewport_size(PHONE)
    member.reload()
    _open(_new_form(member, "p1"))
    expect(member.locator("#body-p1")).to_be_visible()
    assert _page_width(member) <= PHONE["width"], ("version page", _page_width(member))
    axe_check(member)
    member.set_viewport_size(DESKTOP)

    # 6. With the mouse: a passage selected in paragraph 3 becomes the quote. Posting without a
    # comment is refused; the form comes back open, the quote kept, the comment field focused
    # and described by its error.
    member.goto(v1)
    _select_with_mouse(member, "p3", SELECTED)
    form3 = _new_form(member, "p3")
    _open(form3)
    expect(member.locator("#quote-p3")).to_have_value(SELECTED)
    expect(member.locator("#body-p3")).to_be_focused()
    form3.get_by_role("button", name="Post comment").click()
    expect(member).to_have_url(f"{v1}/comments")
    form3 = _new_form(member, "p3")
    expect(form3).to_have_attribute("open", "")
    expect(form3.get_by_role("alert")).to_have_count(0)   # the field's own error says it
    body3 = member.locator("#body-p3")
    expect(body3).to_have_attribute("aria-invalid", "true")
    expect(member.locator("#body-p3-error")).to_have_text("Write your comment.")
    expect(body3).to_have_attribute("aria-describedby", re.compile(r"\bbody-p3-error\b"))
    expect(body3).to_be_focused()
    expect(member.locator("#quote-p3")).to_have_value(SELECTED)
    expect(member.locator("#quote-p3")).not_to_have_attribute("aria-invalid", "true")
    for other in ("p1", "p2"):
        expect(_new_form(member, other)).not_to_have_attribute("open", "")
    axe_check(member)
    body3.fill(COMMENT_P3)
    form3.get_by_role("button", name="Post comment").click()
    expect(member).to_have_url(re.compile(re.escape(v1) + r"#c\d+$"))
    expect(member.locator(".flashes")).to_contain_text("Your comment is posted.")
    second = member.locator(f"#p3 #c{member.url.rsplit('#c', 1)[1]}")
    expect(second.locator(".comment__quote")).to_have_text(SELECTED)
    expect(second.locator(".comment__text")).to_have_text(COMMENT_P3)
    expect(member.locator("[data-block-text='p3']")).to_have_text(P3)

    # The author may still edit the comment (nobody has replied yet).
    member.goto(f"{v1}#c{comment_id}")
    mine.get_by_role("link", name=re.compile("^Edit or withdraw")).click()
    expect(member).to_have_url(f"{base}{SLUG}/comments/{comment_id}/edit")
    expect(member.locator("h1")).to_have_text("Your comment")
    expect(member.get_by_label("Passage you comment on (optional)")).to_have_value(QUOTE)
    expect(member.get_by_label("Your comment")).to_have_value(COMMENT)
    axe_check(member)
    sign_out(member, base)

    # 2. Another board member replies.
    replier = new_page()
    sign_in(replier, base, REPLIER, DEMO_PASSWORD, axe_check=axe_check)
    replier.goto(v1)
    thread = replier.locator(f"#c{comment_id}")
    expect(thread.locator(".comment__text")).to_have_text(COMMENT)
    expect(thread.get_by_role("link", name=re.compile("Edit"))).to_have_count(0)   # not theirs
    reply_form = thread.locator("details.comment-reply")
    expect(reply_form.locator("> summary")).to_have_text(f"Reply in the thread to the comment by {MEMBER_NAME}")
    reply_form.locator("> summary").focus()
    replier.keyboard.press("Space")   # a summary opens with Space as well as Enter
    expect(reply_form).to_have_attribute("open", "")
    expect(reply_form.get_by_label("Your reply")).to_be_focused()
    axe_check(replier)
    reply_form.get_by_label("Your reply").fill(REPLY)
    reply_form.get_by_role("button", name="Post reply").click()
    expect(replier).to_have_url(re.compile(re.escape(v1) + r"#c\d+$"))
    expect(replier.locator(".flashes")).to_contain_text("Your reply is posted.")
    replies = thread.get_by_role("list", name="Replies").locator("> li")
    expect(replies).to_have_count(1)
    expect(replies.locator(".comment__by")).to_contain_text(REPLIER_NAME)
    expect(replies.locator(".comment__by")).to_contain_text("Civil society")
    expect(replies).to_contain_text(REPLY)
    axe_check(replier)

    # The new notification preference on the account page.
    replier.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    prefs = replier.get_by_role("region", name="Emails about comments")
    choice = prefs.get_by_role("group", name=re.compile("^When someone comments"))
    expect(choice.get_by_label("An email for each new comment, reply or response")).to_be_checked()
    axe_check(replier)
    choice.get_by_label("One daily digest").check()
    prefs.get_by_role("button", name="Save preference").click()
    expect(replier.locator(".flashes")).to_contain_text("Your email preference has been saved.")
    expect(choice.get_by_label("One daily digest")).to_be_checked()
    axe_check(replier)

    # 3. The researcher responds on the version page, and sees the response table.
    researcher = new_page()
    sign_in(researcher, base, RESEARCHER, DEMO_PASSWORD, axe_check=axe_check)
    researcher.goto(f"{v1}#c{comment_id}")
    thread = researcher.locator(f"#c{comment_id}")
    respond = thread.locator("details.comment-respond")
    expect(respond.locator("> summary")).to_have_text(f"Record the response to the comment by {MEMBER_NAME}")
    _open(respond)
    expect(respond.get_by_label("Disposition")).to_be_focused()
    axe_check(researcher)
    # Without a disposition: refused, the form open again on the field in error.
    respond.get_by_label("Response to the commenter").fill(RESPONSE)
    respond.get_by_role("button", name="Save the response").click()
    expect(researcher.locator(f"#disp-{comment_id}-error")).to_have_text(
        "Choose how the comment was handled.")
    expect(respond).to_have_attribute("open", "")
    expect(respond.get_by_label("Disposition")).to_have_attribute("aria-invalid", "true")
    expect(respond.get_by_label("Disposition")).to_be_focused()
    expect(respond.get_by_label("Response to the commenter")).to_have_value(RESPONSE)
    axe_check(researcher)
    respond.get_by_label("Disposition").select_option(label="Accepted")
    respond.get_by_label("Response to the commenter").fill(RESPONSE)
    expect(respond.get_by_label("Addressed in version").locator("option")).to_have_text(
        ["Not yet, or not applicable"])   # there is no later version yet
    respond.get_by_role("button", name="Save the response").click()
    expect(researcher).to_have_url(f"{v1}#c{comment_id}")
    expect(researcher.locator(".flashes")).to_contain_text(
        "The response is saved and the commenter is told.")
    expect(thread.locator(".comment__response h4")).to_have_text("Response: Accepted")
    expect(thread.locator(".comment__response")).to_contain_text(RESPONSE)
    axe_check(researcher)

    researcher.get_by_role("link", name="Respond in a table").click()
    expect(researcher).to_have_url(f"{base}{SLUG}/drafts/{draft_id}/responses")
    expect(researcher.locator("h1")).to_have_text(f"Respond to comments on “{TITLE}”")
    table = researcher.locator("table.responses-table")
    expect(table.locator("tbody tr").filter(has_text=COMMENT)).to_have_count(0)   # answered
    expect(table.locator("tbody tr").filter(has_text=COMMENT_P3)).to_have_count(1)
    axe_check(researcher)
    researcher.get_by_role("link", name="Show every comment, to change responses").click()
    row = researcher.locator(f"#row-{comment_id}")
    expect(row.get_by_label("Disposition")).to_have_value("accepted")
    expect(row.get_by_label("Response to the commenter")).to_have_value(RESPONSE)
    axe_check(researcher)

    # Version 2 changes the commented paragraph.
    researcher.goto(v1)
    researcher.get_by_role("link", name="Start version 2").click()
    expect(researcher).to_have_url(f"{base}{SLUG}/drafts/{draft_id}/edit")
    text = researcher.get_by_label("Text")
    body = text.input_value()
    assert P1 in body, body
    text.fill(body.replace(P1, P1_V2))
    researcher.get_by_label("What changed").fill(SUMMARY)
    researcher.get_by_role("button", name="Save", exact=True).click()
    expect(researcher).to_have_url(f"{base}{SLUG}/drafts/{draft_id}")
    expect(researcher.locator(".flashes")).to_contain_text("Version 2 is saved.")
    expect(researcher.locator("[data-block-text='p1']")).to_have_text(P1_V2)
    carried = researcher.locator(f"#p1 #c{comment_id}")
    expect(carried).to_have_count(1)
    expect(carried.locator("> .comment__meta")).to_contain_text("on version 1")
    expect(carried.locator("> .comment__meta")).to_contain_text("paragraph 1")
    expect(carried.locator(".badge--warn")).to_have_text("Paragraph changed since this comment")
    diff = carried.locator("details.comment__diff")
    _open(diff)
    expect(diff.locator("> summary")).to_have_text("What changed in the paragraph")
    expect(diff.locator("ins")).to_contain_text(["online"])
    expect(researcher.locator("#p3 article.comment").filter(has_text=COMMENT_P3)) \
        .not_to_contain_text("Paragraph changed")
    axe_check(researcher)
    # Now the response can say it was addressed in version 2 (from the version 2 page).
    respond = carried.locator("details.comment-respond")
    expect(respond.locator("> summary")).to_contain_text("Change the recorded response")
    _open(respond)
    expect(respond.get_by_label("Disposition")).to_have_value("accepted")
    respond.get_by_label("Addressed in version").select_option(label="Version 2")
    respond.get_by_role("button", name="Save the response").click()
    expect(researcher).to_have_url(f"{base}{SLUG}/drafts/{draft_id}/v/2#c{comment_id}")
    expect(carried.locator(".comment__response")).to_contain_text("addressed in version 2")
    researcher.get_by_role("link", name="Compare versions").click()
    expect(researcher.locator("ol.changes > li").first.locator("ins")).to_contain_text(["online"])

    # 4. The matrix, its CSV and its print view.
    researcher.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Comments", exact=True).click()
    expect(researcher).to_have_url(f"{base}{SLUG}/comments")
    expect(researcher.locator("h1")).to_have_text("Comment-resolution matrix")
    row = researcher.locator("table.matrix tbody tr").filter(has_text=COMMENT)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_contain_text(TITLE)
    expect(cells.nth(1)).to_have_text("1")
    expect(cells.nth(2)).to_have_text(QUOTE)
    expect(cells.nth(3)).to_contain_text("1 reply")
    expect(cells.nth(4)).to_have_text("Government")
    expect(cells.nth(6)).to_have_text("Accepted")
    expect(cells.nth(7)).to_have_text(RESPONSE)
    expect(cells.nth(8)).to_have_text("2")
    expect(researcher.locator("table.matrix tbody tr").filter(has_text=COMMENT_P3)
           .locator("td").nth(6)).to_have_text("Open")
    axe_check(researcher)
    with researcher.expect_download() as info:
        researcher.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "kz-2022-comments.csv"
    with open(download.path(), "rb") as saved:
        data = saved.read()
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    csv_text = data.decode("utf-8-sig")
    assert csv_text.startswith("draft,version,paragraph,quote,comment,"), csv_text[:80]
    line = next(x for x in csv_text.splitlines() if COMMENT in x)
    # Written while reading the draft's source (the demo's first language, Russian).
    assert f"{TITLE},1,1,{QUOTE},{COMMENT},Русский,,,Government," in line, line
    assert f",accepted,{RESPONSE},2,,1,," in line, line
    assert line.endswith(   # opened, the link marks the quoted passage
        f"{SLUG}/drafts/{draft_id}/v/1?comment={comment_id}#c{comment_id}"), line
    researcher.get_by_role("link", name="Print view").click()
    expect(researcher).to_have_url(f"{base}{SLUG}/comments?print=1")
    printed = researcher.locator("table.matrix tbody tr").filter(has_text=COMMENT)
    expect(printed.locator("td").nth(6)).to_have_text("Accepted")
    expect(printed.locator("a")).to_have_count(0)
    axe_check(researcher)

    # Participation.
    researcher.goto(f"{base}{SLUG}/comments")
    researcher.get_by_role("link", name="Participation").click()
    expect(researcher).to_have_url(f"{base}{SLUG}/participation")
    expect(researcher.locator("h1")).to_have_text("Participation in the comments")
    silent = researcher.get_by_role("region", name="Active members who have not commented")
    expect(silent).not_to_contain_text(REPLIER_NAME)
    expect(silent).not_to_contain_text(MEMBER_NAME)
    axe_check(researcher)

    # 5. In Russian (the footer's language switch): the version page with a form open.
    researcher.goto(v1)
    researcher.get_by_label("Language", exact=True).select_option("ru")
    researcher.get_by_role("button", name="Change language").click()
    expect(researcher).to_have_url(v1)
    assert html_lang(researcher) == "ru"
    form = _new_form(researcher, "p1")
    expect(form.locator("> summary")).to_have_text("Комментировать абзац 1")
    axe_check(researcher)
    _open(form)
    expect(form.get_by_role("button")).to_have_text("Отправить комментарий")
    axe_check(researcher)
    researcher.goto(f"{base}{SLUG}/comments")
    assert html_lang(researcher) == "ru"
    expect(researcher.locator("h1")).to_have_text("Таблица учёта комментариев")
    assert CYRILLIC.search(researcher.locator("table.matrix thead").inner_text())
    axe_check(researcher)

    # The notices were emailed at once (the replier, now on the daily digest, was owed none).
    db.session.remove()
    subjects = {(m.recipient, m.subject) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "comment_notices"))}
    assert (RESEARCHER, f"New comment on {TITLE}") in subjects, subjects
    assert (RESEARCHER, f"New reply on {TITLE}") in subjects, subjects
    assert (MEMBER, f"New reply on {TITLE}") in subjects, subjects
    assert (MEMBER, f"Response to your comment on {TITLE}") in subjects, subjects
    assert not any(r == REPLIER for r, _s in subjects), subjects
    assert db.session.scalar(select(Comment.disposition).where(Comment.id == comment_id)) \
        == "accepted"
    assert db.session.scalars(select(CommentNotice).where(CommentNotice.sent_at.is_(None))).all() \
        == []
    db.session.remove()


def test_comment_and_reply_by_touch_on_a_phone(new_page, live_server, axe_check):
    """On a 360 px touch screen: taps open the forms and send them; nothing needs a mouse."""
    base = live_server
    draft_id = _demo()
    phone = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(phone, base, REPLIER, DEMO_PASSWORD, axe_check=axe_check)
    phone.goto(f"{base}{SLUG}/drafts/{draft_id}/v/1")
    block = phone.locator("#p2")
    block.locator("summary", has_text="Comment on paragraph 2").tap()
    form = block.locator("details.comment-new form")
    expect(form).to_be_visible()
    form.get_by_label("Your comment").fill("Tapped on a phone.")
    axe_check(phone)
    assert _page_width(phone) <= PHONE["width"]
    form.get_by_role("button", name="Post comment").tap()
    expect(phone.locator(".flashes")).to_contain_text("Your comment is posted.")
    thread = phone.locator("#p2 article.comment").filter(has_text="Tapped on a phone.")
    expect(thread).to_have_count(1)
    thread.locator("summary", has_text="Reply").tap()
    thread.get_by_label("Your reply").fill("And a reply, tapped too.")
    thread.get_by_role("button", name="Post reply").tap()
    thread = phone.locator("#p2 article.comment").filter(has_text="Tapped on a phone.")
    expect(thread.locator(".replies")).to_contain_text("And a reply, tapped too.")


def test_one_response_form_moves_to_the_thread_answered(page, live_server, axe_check):
    """Issue 17 item 5: a busy draft carries one response form; "Record the response" under a
    thread brings it there, and a folded thread (past the first screen) opens in place."""
    from mab.assessments.models import Membership
    from mab.comments import queries
    from mab.drafts.models import DraftVersion
    from mab.markdown import render_markdown
    from mab.types import utcnow

    base = live_server
    draft_id = _demo()
    version = db.session.scalar(select(DraftVersion).where(
        DraftVersion.draft_id == draft_id, DraftVersion.number == 1))
    author = db.session.scalar(select(Membership).join(Membership.user).where(
        User.email == REPLIER, Membership.assessment_id == version.draft.assessment_id))
    bodies = [f"Busy comment {n} on the whole draft." for n in range(queries.FULL_THREADS + 3)]
    db.session.execute(Comment.__table__.insert(), [
        {"assessment_id": author.assessment_id, "draft_id": draft_id, "version_id": version.id,
         "quote": "", "body": body, "body_html": str(render_markdown(body)), "response": "",
         "response_html": "", "author_id": author.id, "created_at": utcnow()}
        for body in bodies])
    db.session.commit()
    last = db.session.scalar(select(Comment.id).where(Comment.body == bodies[-1]))
    first = db.session.scalar(select(Comment.id).where(
        Comment.draft_id == draft_id, Comment.block_id == "p2").order_by(Comment.id))
    db.session.remove()

    sign_in(page, base, RESEARCHER, DEMO_PASSWORD, axe_check=axe_check)
    v1 = f"{base}{SLUG}/drafts/{draft_id}/v/1"
    page.goto(v1)
    forms = page.locator("form[data-kind='dispose']")
    expect(forms).to_have_count(1)
    expect(page.locator("#shared-forms")).to_be_hidden()
    thread = page.locator(f"#c{first}")
    respond = thread.locator("details.comment-respond")
    _open(respond)
    expect(respond.locator("form[data-kind='dispose']")).to_have_count(1)   # moved here
    expect(forms).to_have_count(1)
    expect(respond.get_by_label("Disposition")).to_be_focused()
    expect(respond.get_by_role("link", name="Open the response form")).to_be_hidden()
    axe_check(page)

    # A folded thread opens in place, and the form follows to it; the first thread closes.
    folded = page.locator(f"#c{last}")
    expect(folded).to_have_class(re.compile("comment--folded"))
    folded.get_by_role("link", name=re.compile("^Busy comment")).click()
    expect(page.locator(f"#c{last}")).not_to_have_class(re.compile("comment--folded"))
    expect(page).to_have_url(v1)                 # no page load
    other = page.locator(f"#c{last} details.comment-respond")
    _open(other)
    expect(other.locator("form[data-kind='dispose']")).to_have_count(1)
    expect(respond).not_to_have_attribute("open", "")
    expect(forms).to_have_count(1)
    axe_check(page)

    # Back to the first thread: the form comes back, and records its response.
    _open(respond)
    respond.get_by_label("Disposition").select_option(label="Noted")
    respond.get_by_label("Response to the commenter").fill("Noted for the next version.")
    respond.get_by_role("button", name="Save the response").click()
    expect(page).to_have_url(f"{v1}#c{first}")
    expect(page.locator(".flashes")).to_contain_text(
        "The response is saved and the commenter is told.")
    expect(thread.locator(".comment__response h4")).to_have_text("Response: Noted")
    expect(thread.locator(".comment__response")).to_contain_text("Noted for the next version.")
    # Changing it: the one form comes filled with the recorded response.
    _open(thread.locator("details.comment-respond"))
    expect(thread.get_by_label("Disposition")).to_have_value("noted")
    expect(thread.get_by_label("Response to the commenter")).to_have_value(
        "Noted for the next version.")
    axe_check(page)
    # Without the script, the opener's link leads to the thread's own page with its form.
    page.goto(f"{base}{SLUG}/comments/{last}/disposition?v=1")
    expect(page.locator("h1")).to_have_text("Record the response")
    expect(page.locator(f"#c{last}").get_by_label("Disposition")).to_be_visible()
    axe_check(page)
    page.goto(f"{base}{SLUG}/comments/{last}/replies?v=1")
    expect(page.locator(f"#c{last}").get_by_label("Your reply")).to_be_visible()
    axe_check(page)

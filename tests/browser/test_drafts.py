"""Drafts in a real browser, on the demo assessment (mab.demo).

The issue's path: a researcher creates a draft with an attachment and circulates it; a board
member finds it in "Drafts to review", opens it and downloads the attachment; the researcher
starts version 2 and compares the two versions; axe-core finds nothing on any of these pages.

The demo catalogue has example indicators (two core ones in scope per theme, 31 themes) and
six drafts: "Freedom of expression online" (circulated, comments due in 10 days),
"Connectivity and usage" (v1 circulated with a past deadline, v2 being written),
"National Internet governance" (never circulated), "Policy and regulatory framework"
(validated), two written in Russian and translated (issue 18): "Доступ к интернету и
цифровые права" (circulated) and "Равный доступ к интернету" (v1 circulated, v2 being written),
and "Policy recommendations" (issue 19: v2 validated).
"""
import hashlib
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from playwright.sync_api import expect
from sqlalchemy import select, update

from mab.auth.models import User
from mab.demo import DEMO_PASSWORD, seed
from mab.drafts.models import Draft, DraftVersion
from mab.drafts.rules import content_hash
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.browser.helpers import sign_in, sign_out

TZ = ZoneInfo("Asia/Almaty")
HOME = "/a/kz-2022/"
DRAFTS = "/a/kz-2022/drafts"
PHONE = {"width": 360, "height": 740}
RESEARCHER = "researcher@example.org"
MEMBER = "member01@example.org"
MEMBER_NAME = "Nurlan Zhaksybekov"
TITLE = "Access to public information online"
INDICATOR = "R.C.1.1 · (Example) Indicator 1 of question 1: Right of access to information"
FIRST = "The access to information law of 2015 applies to online requests (example finding)."
SECOND = "Most ministries answer requests within the legal deadline of fifteen days."
SECOND_V2 = "Most ministries answer online requests within the legal deadline of twenty days."
PDF = b"%PDF-1.4\n%%EOF\n"


def _demo():
    seed()
    db.session.execute(update(User).values(language="en"))
    db.session.commit()


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def _page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _meta(page, term):
    """The <dd> after the <dt> ``term`` in the page's dl.meta."""
    return page.locator("dl.meta dt", has_text=re.compile(f"^{re.escape(term)}$")) \
        .locator("xpath=following-sibling::dd[1]")


def test_create_circulate_review_and_compare(page, new_page, live_server, axe_check, tmp_path):
    base = live_server
    _demo()
    deadline = datetime.now(TZ).date() + timedelta(days=14)
    shown_deadline = format_date(deadline, "medium", locale="en")

    # 1. The researcher: the catalogue first.
    sign_in(page, base, RESEARCHER, DEMO_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{base}{HOME}")
    _nav(page).get_by_role("link", name="Indicators", exact=True).click()
    expect(page).to_have_url(f"{base}/a/kz-2022/framework")
    expect(page.locator("h1")).to_have_text("Indicator catalogue")
    expect(page.locator("main")).to_contain_text(
        "5 of 62 indicators in scope circulated; 6 drafted. 1 validated.")
    theme = page.locator("details").filter(
        has=page.locator("summary", has_text="R.B · Freedom of expression"))
    expect(theme).to_have_count(1)
    expect(theme).not_to_have_attribute("open", "")
    expect(theme.locator("li").first).to_be_hidden()
    theme.locator("summary").click()
    expect(theme).to_have_attribute("open", "")
    row = theme.locator("li").filter(has_text="R.B.1.1")
    expect(row).to_be_visible()
    expect(row.locator(".badge")).to_have_text(["core", "circulated"])
    axe_check(page)
    search = page.get_by_role("search", name="Search the indicators")
    search.get_by_label("Search").fill("R.C.1.1")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/framework\?q=R\.C\.1\.1$"))
    found = page.locator("ul.indicators li")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("(Example) Indicator 1 of question 1: Right of access to "
                                  "information")
    expect(found).to_be_visible()   # the themes are open when searching
    expect(found.locator(".badge")).to_have_text(["core"])   # not drafted yet
    axe_check(page)

    # The drafts list, then a new draft.
    _nav(page).get_by_role("link", name="Drafts", exact=True).click()
    expect(page).to_have_url(f"{base}{DRAFTS}")
    expect(page.locator("h1")).to_have_text("Draft findings")
    expect(page.locator("main tbody tr")).to_have_count(7)   # with "Policy recommendations"
    axe_check(page)
    page.get_by_role("link", name="New draft").click()
    expect(page).to_have_url(f"{base}{DRAFTS}/new")
    expect(page.locator("h1")).to_have_text("New draft")
    form = page.locator("main form")
    expect(form.get_by_label("Owner")).to_have_value(
        re.compile(r"^\d+$"))   # a researcher owns what they create
    axe_check(page)
    # Without a title: refused, and what was typed is kept.
    body = f"{FIRST}\n\n{SECOND}"
    form.get_by_label("About").select_option(label="Indicator")
    form.get_by_label("Indicator, question, theme or chapter").select_option(label=INDICATOR)
    form.get_by_label("Text").fill(body)
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    expect(form.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Text")).to_have_value(body)
    expect(form.get_by_label("Indicator, question, theme or chapter")).to_have_value(
        re.compile(r"^\d+$"))
    axe_check(page)
    form.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Create the draft").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}{DRAFTS}/") + r"\d+$"))
    draft_url = page.url
    draft_path = draft_url.removeprefix(base)
    expect(page.locator(".flashes")).to_contain_text("The draft is created.")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(_meta(page, "About")).to_have_text(f"Indicator: {INDICATOR.replace(' · ', ' ')}")
    expect(_meta(page, "Owner")).to_have_text("Daniyar Abenov")
    expect(_meta(page, "Status")).to_have_text("Drafting")
    expect(_meta(page, "Version")).to_have_text("1 · working version, editable")
    expect(page.locator(".draft-body #p1 .block__text")).to_have_text(FIRST)
    expect(page.locator(".draft-body #p2 .block__text")).to_have_text(SECOND)
    expect(page.get_by_role("region", name="Attachments").locator("li")).to_have_text("None.")
    axe_check(page)

    # An attachment: a real PDF is accepted, a program named .pdf is refused with the reason.
    pdf = tmp_path / "evidence.pdf"
    pdf.write_bytes(PDF)
    fake = tmp_path / "x.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")
    files = page.get_by_role("region", name="Attachments")
    files.get_by_label("File").set_input_files(str(pdf))
    files.get_by_role("button", name="Attach").click()
    expect(page).to_have_url(draft_url)
    expect(page.locator(".flashes")).to_contain_text("The file is attached.")
    expect(files.get_by_role("link", name="evidence.pdf")).to_have_count(1)
    files.get_by_label("File").set_input_files(str(fake))
    files.get_by_role("button", name="Attach").click()
    expect(page.locator(".flashes .flash--error")).to_have_text(
        "“x.pdf” was not attached: The content of this file is not a .pdf file; it was refused.")
    expect(files.locator("ul li")).to_have_count(1)
    axe_check(page)

    # Circulation: the version is frozen, its hash shown, the board emailed.
    circulate = page.get_by_role("region", name="Circulate version 1 to the board")
    circulate.get_by_label("Comments due by").fill(deadline.isoformat())
    circulate.get_by_label("Message to the board").fill("Comments welcome before the meeting.")
    circulate.get_by_role("button", name="Circulate").click()
    # The confirmation names the hash, who is emailed and the deadline; confirmed by keyboard.
    expect(page.locator("h1")).to_have_text(re.compile(r"^Circulate version 1 of “.+”\?$"))
    consequences = page.locator(".consequences")
    expect(consequences).to_contain_text("Version 1 will be frozen with SHA-256 ")
    expect(consequences).to_contain_text("It is emailed to ")
    expect(consequences).to_contain_text(f"Comments are taken until {shown_deadline}.")
    expect(page.get_by_label("Message to the board")).to_have_value(
        "Comments welcome before the meeting.")
    axe_check(page)
    page.get_by_role("button", name="Freeze and circulate").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(draft_url)
    expect(page.locator(".flashes")).to_contain_text(
        f"Version 1 is circulated to 13 people; comments are due by {shown_deadline}.")
    expect(_meta(page, "Status")).to_contain_text("In consultation until ")
    expect(_meta(page, "Version")).to_contain_text(re.compile(r"^1 · circulated .+, frozen$"))
    expect(_meta(page, "Comments due by")).to_have_text(shown_deadline)
    expect(_meta(page, "SHA-256").locator("code")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    shown_hash = _meta(page, "SHA-256").inner_text().strip()
    expect(page.locator("main")).to_contain_text("Comments welcome before the meeting.")
    expect(page.get_by_role("region", name="Circulate version 1 to the board")).to_have_count(0)
    expect(files.get_by_label("File")).to_have_count(0)   # frozen: no more attachments
    expect(page.get_by_role("link", name="Start version 2")).to_be_visible()
    axe_check(page)

    # 2. The outbox page is the coordinator's; the email is checked in the database.
    db.session.remove()
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == MEMBER, OutboxMessage.kind == "draft_circulated")).all()
    assert len(messages) == 1, [m.subject for m in messages]
    assert TITLE in messages[0].subject, messages[0].subject
    assert f"{base}{draft_path}/v/1" in messages[0].body_text
    # The hash shown covers the text and the attachment.
    version = db.session.scalar(select(DraftVersion).join(Draft).where(Draft.title == TITLE))
    assert shown_hash == version.sha256 == content_hash(
        version.body, [hashlib.sha256(PDF).hexdigest()])
    uncirculated = db.session.scalar(select(Draft.id).where(
        Draft.title == "National Internet governance"))
    db.session.remove()

    # 3. The board member: the draft is waiting on the home page, marked new.
    member = new_page()
    sign_in(member, base, MEMBER, DEMO_PASSWORD, axe_check=axe_check)
    expect(member).to_have_url(f"{base}{HOME}")
    to_review = member.get_by_role("region", name="Drafts to review")
    item = to_review.locator("li").filter(has_text=TITLE)
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"(version 1) · In consultation until {shown_deadline}")
    expect(item.locator(".badge")).to_have_text("new")
    expect(to_review.locator("li").filter(has_text="Freedom of expression online")) \
        .to_have_count(1)
    expect(to_review.locator("li").filter(has_text="Connectivity and usage")) \
        .to_have_count(0)   # its deadline has passed
    axe_check(member)
    item.get_by_role("link", name=TITLE).click()
    expect(member).to_have_url(f"{base}{draft_path}/v/1")
    expect(member.locator("h1")).to_have_text(TITLE)
    expect(_nav(member).get_by_role("link", name="Drafts", exact=True)) \
        .to_have_attribute("aria-current", "page")
    expect(member.locator("#p1 .block__text")).to_have_text(FIRST)
    expect(member.locator("#p2 .block__text")).to_have_text(SECOND)
    expect(member.get_by_role("link", name=re.compile("^(Edit|Start version)"))).to_have_count(0)
    with member.expect_download() as info:
        member.get_by_role("link", name="evidence.pdf").click()
    download = info.value
    assert download.suggested_filename == "evidence.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read() == PDF
    axe_check(member)
    member.goto(f"{base}{HOME}")
    expect(member.get_by_role("region", name="Drafts to review").locator("li")
           .filter(has_text=TITLE).locator(".badge")).to_have_count(0)   # opened now

    # The draft that was never circulated is neither listed nor reachable.
    _nav(member).get_by_role("link", name="Drafts", exact=True).click()
    titles = member.locator("main tbody tr td:first-child")
    expect(titles).to_have_text(["Access to public information online", "Connectivity and usage",
                                 "Freedom of expression online",
                                 "Policy and regulatory framework", "Policy recommendations",
                                 "Доступ к интернету и цифровые права",
                                 "Равный доступ к интернету"])
    axe_check(member)
    response = member.goto(f"{base}{DRAFTS}/{uncirculated}")
    assert response.status == 404
    expect(member.locator("h1")).to_have_text("Page not found")
    axe_check(member)

    # 4. The researcher sees who opened it, and starts version 2.
    page.reload()
    opened = page.get_by_role("region", name="Opened by")
    expect(opened.locator("li")).to_have_count(1)
    expect(opened.locator("li")).to_contain_text(MEMBER_NAME)
    axe_check(page)
    page.get_by_role("link", name="Start version 2").click()
    expect(page).to_have_url(f"{draft_url}/edit")
    expect(page.locator("main")).to_contain_text(
        "Version 1 is circulated and frozen; saving starts version 2.")
    axe_check(page)
    edit = page.locator("main form")
    body_v2 = f"{FIRST}\n\n{SECOND_V2}"
    edit.get_by_label("Text").fill(body_v2)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Say what changed since version 1.")
    expect(edit.get_by_label("What changed")).to_have_attribute("aria-invalid", "true")
    expect(edit.get_by_label("Text")).to_have_value(body_v2)
    axe_check(page)
    edit.get_by_label("What changed").fill("Updated the deadline after the 2023 amendment.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(draft_url)
    expect(page.locator(".flashes")).to_contain_text("Version 2 is saved.")
    expect(_meta(page, "Version")).to_have_text("2 · working version, editable")
    expect(_meta(page, "Status")).to_contain_text("In consultation until ")
    expect(page.locator("#p2 .block__text")).to_have_text(SECOND_V2)   # the paragraph keeps its id
    axe_check(page)

    page.get_by_role("link", name="Compare versions").click()
    expect(page).to_have_url(f"{draft_url}/diff")
    expect(page.locator("h1")).to_have_text("Version 1 compared with version 2")
    changes = page.locator("ol.changes > li")
    expect(changes).to_have_count(2)
    expect(changes.nth(0).locator(".change__label")).to_have_text("unchanged")
    expect(changes.nth(1).locator(".change__label")).to_have_text("changed")
    changed = changes.nth(1).locator(".change__text")
    expect(changed.locator("ins")).to_have_text(["online", "twenty"])
    expect(changed.locator("del")).to_have_text(["fifteen"])
    expect(changed.locator("ins, del")).to_have_count(3)
    axe_check(page)

    # The diff on a phone: nothing scrolls sideways; nor does version 1, with its long hash.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("ol.changes > li")).to_have_count(2)
    assert _page_width(page) <= PHONE["width"], ("diff", _page_width(page))
    axe_check(page)
    page.goto(f"{draft_url}/v/1")
    # On a phone the version's details wait behind a disclosure, after which the text comes.
    expect(_meta(page, "SHA-256")).to_be_hidden()
    page.locator("details.draft-meta > summary").click()
    expect(_meta(page, "SHA-256")).to_be_visible()
    assert _page_width(page) <= PHONE["width"], ("version 1", _page_width(page))

    sign_out(page, base)

"""Small steps shared by the browser tests."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.factories import PASSWORD

PHONE = {"width": 360, "height": 740}


def sign_in(page, base_url, email, password=PASSWORD, *, axe_check):
    """Open the login page (checked with axe) and fill it in; the caller checks where it lands."""
    page.goto(f"{base_url}/login")
    expect(page.locator("h1")).to_have_text("Sign in")
    axe_check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def open_menu(page):
    """On a phone the main menu is a closed disclosure: open it (nothing to do on a wide screen)."""
    toggle = page.locator(".site-menu > summary")
    if toggle.is_visible() and page.locator(".site-menu[open]").count() == 0:
        toggle.click()


def sign_out(page, base_url):
    open_menu(page)
    page.locator(".site-header").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base_url}/login")
    expect(page.locator(".flashes")).to_contain_text("You have signed out.")
    expect(page.locator(".site-header nav")).to_have_count(0)


def link_in_outbox(page, recipient, path_prefix):
    """On /outbox: open the newest message to ``recipient`` and return its link to ``path_prefix``."""
    message = page.locator("article.message").filter(has_text=recipient).first
    message.locator("summary").click()
    link = message.locator(f"pre a[href*='{path_prefix}']")
    expect(link).to_have_count(1)
    expect(link).to_be_visible()
    return link.get_attribute("href")


def html_lang(page):
    return page.locator("html").get_attribute("lang")


CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def demo_in(language="en"):
    """Seed the demo with every account in ``language``; the paths of its first circulated
    version ("version") and of the month of its first meeting ("month")."""
    from sqlalchemy import select, update

    from mab.assessments.models import Assessment
    from mab.auth.models import User
    from mab.demo import SLUG, seed
    from mab.drafts.models import Draft, DraftVersion
    from mab.extensions import db
    from mab.meetings.models import Meeting

    seed()
    db.session.execute(update(User).values(language=language))
    db.session.commit()
    version = db.session.scalar(select(DraftVersion).join(Draft)
                                .where(DraftVersion.frozen_at.is_not(None))
                                .order_by(DraftVersion.id))
    meeting = db.session.scalar(select(Meeting).order_by(Meeting.starts_at))
    tz = ZoneInfo(db.session.get(Assessment, meeting.assessment_id).timezone)
    month = meeting.starts_at.astimezone(tz).strftime("%Y-%m")
    urls = {"version": f"/a/{SLUG}/drafts/{version.draft_id}/v/{version.number}",
            "month": f"/a/{SLUG}/meetings?month={month}"}
    db.session.remove()
    return urls


def flash(page):
    """The page's flash messages."""
    return page.locator(".flashes")


def circulate_version(page, draft_url, number, *, tz, days=14):
    """Circulate version ``number`` from the draft's page, through its confirmation page, with
    comments due ``days`` after today in the assessment's zone ``tz``."""
    page.goto(draft_url)
    region = page.get_by_role("region", name=f"Circulate version {number} to the board")
    region.get_by_label("Comments due by").fill(
        (datetime.now(tz).date() + timedelta(days=days)).isoformat())
    region.get_by_role("button", name="Circulate").click()
    expect(page.locator("h1")).to_have_text(
        re.compile(rf"^Circulate version {number} of “.+”\?$"))
    page.get_by_role("button", name="Freeze and circulate").click()
    expect(page).to_have_url(draft_url)
    expect(flash(page)).to_contain_text(f"Version {number} is circulated to ")


def scroll_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


def assert_no_sideways_scroll(page, what, *, slack=0):
    """Nothing on the page as it is scrolls sideways (``slack``: pixels of rounding allowed)."""
    width = scroll_width(page)
    assert width <= page.viewport_size["width"] + slack, (what, page.url, width)


def fits_a_phone(page, what, *, slack=0):
    """The page as it is now, reloaded 360 px wide: nothing scrolls sideways; then back."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_load_state("load")
    assert_no_sideways_scroll(page, what, slack=slack)
    page.set_viewport_size(size)
    page.reload()

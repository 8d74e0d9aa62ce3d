"""Issue 15 item 7: the demo board member's home page opens with what awaits their decision,
then the drafts to review (axe-core finds no violation)."""
import re

from playwright.sync_api import expect

from mab.demo import DEMO_PASSWORD, seed
from mab.extensions import db
from tests.browser.helpers import sign_in

A = "/a/kz-2022"
MEMBER = "member09@example.org"   # an active board member of the demo, in English


def test_the_board_members_home_starts_with_the_decision_awaited(page, live_server, axe_check):
    seed()
    db.session.commit()
    db.session.remove()
    sign_in(page, live_server, MEMBER, DEMO_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}{A}/")
    cards = page.locator("main section.card")
    expect(cards.first).to_have_attribute("data-card", "decisions")
    expect(cards.first.locator("h3")).to_have_text("Your decision is awaited")
    expect(cards.nth(1)).to_have_attribute("data-card", "to_review")
    expect(cards.nth(1).locator("h3")).to_have_text("Drafts to review")
    expect(cards.nth(2)).to_have_attribute("data-card", "meetings_to_answer")
    # The balance, which a member cannot act on, comes last.
    expect(cards.last).to_have_attribute("data-card", "balance")
    expect(page.locator("main")).to_contain_text(re.compile("New since your last visit"))
    axe_check(page)

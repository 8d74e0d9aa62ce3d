"""The layout: small screens, keyboard use, and error pages inside the site's frame."""
from playwright.sync_api import expect

from mab.assessments.models import Role
from mab.extensions import db
from tests.browser.helpers import html_lang, sign_in
from tests.factories import make_assessment, make_member

PHONE = {"width": 360, "height": 740}


def _page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _focused(page):
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
                text: (el.textContent || '').trim(), top: el.getBoundingClientRect().top,
                height: el.getBoundingClientRect().height};
    }""")


def _team():
    assessment = make_assessment(slug="kz-2022",
                                 title="Kazakhstan Internet Universality ROAM-X assessment 2022")
    make_member(assessment, Role.COORDINATOR, email="coordinator@example.org")
    make_member(assessment, Role.BOARD_MEMBER, email="member@example.org")
    db.session.commit()


def test_no_horizontal_scrolling_on_a_phone(new_page, live_server, axe_check):
    _team()
    page = new_page(viewport=PHONE)

    page.goto(f"{live_server}/login")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert _page_width(page) <= PHONE["width"]
    # The form uses the width it has: the email field is not cut off on the right.
    box = page.get_by_label("Email").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    axe_check(page)

    # The coordinator sees the longest header and the most cards.
    sign_in(page, live_server, "coordinator@example.org", axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    expect(page.locator("#blocked-heading")).to_be_visible()   # what is held up (issue 15)
    assert _page_width(page) <= PHONE["width"]
    for card in page.locator("main .card").all():
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    axe_check(page)

    page.goto(f"{live_server}/a/kz-2022/people")
    expect(page.locator("h1")).to_have_text("People")
    assert _page_width(page) <= PHONE["width"]
    axe_check(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, live_server, axe_check):
    _team()
    sign_in(page, live_server, "member@example.org", axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    axe_check(page)

    skip = page.locator("a.skip-link")
    before = skip.bounding_box()
    assert before["y"] + before["height"] <= 0, "the skip link should be off screen until focused"

    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["tag"] == "a" and "skip-link" in focused["cls"], focused
    assert focused["text"] == "Skip to main content"
    expect(skip).to_be_focused()
    assert focused["top"] >= 0, "the focused skip link must be on screen"
    axe_check(page)

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/a/kz-2022/#main")
    expect(page.locator("main")).to_be_focused()
    assert _focused(page)["id"] == "main"

    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    focused = _focused(page)
    inside_main = page.evaluate("() => document.querySelector('main').contains(document.activeElement)"
                                " || document.querySelector('footer').contains(document.activeElement)")
    assert inside_main, focused


def test_not_found_page_is_in_the_layout(page, live_server, axe_check):
    _team()
    response = page.goto(f"{live_server}/no-such-page")
    assert response.status == 404
    assert html_lang(page) == "en"
    expect(page).to_have_title("Page not found · MAB")
    expect(page.locator("main h1")).to_have_text("Page not found")
    expect(page.locator("main")).to_contain_text("Error 404")
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("footer #language-select")).to_be_visible()
    expect(page.locator("a.skip-link")).to_have_attribute("href", "#main")
    axe_check(page)

    # Signed in, an assessment one is not part of is a 404 too, with the navigation.
    sign_in(page, live_server, "member@example.org", axe_check=axe_check)
    response = page.goto(f"{live_server}/a/not-mine/")
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text("Page not found")
    expect(page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")) \
        .to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Go to the start page").click()
    expect(page).to_have_url(f"{live_server}/a/kz-2022/")
    axe_check(page)

"""Issue 15 items 5 and 6: the demo on a 360 px phone, as the coordinator and as a board member.

On every page: nothing scrolls sideways, axe-core finds no violation, the main menu is one
"Menu" button under 80 px high until opened; the board's status column is on screen; the month
is a list; the text of a draft comes before its details; the fields of "Schedule a meeting" are
at least 40 px high. Screenshots of each view go to test-results/phone/ (git-ignored).
"""
import re
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import update

from mab.auth.models import User
from mab.demo import DEMO_PASSWORD
from mab.extensions import db
from tests.browser.helpers import CYRILLIC, demo_in, html_lang, sign_in

PHONE = {"width": 360, "height": 740}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "phone"
A = "/a/kz-2022"
COORDINATOR = "coordinator@example.org"
MEMBER = "member09@example.org"


def _page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def _within_screen(box):
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _visit(page, base, path, name, axe_check):
    response = page.goto(f"{base}{path}")
    assert response.status == 200, (path, response.status)
    assert _page_width(page) <= PHONE["width"], (path, _page_width(page))
    menu = page.locator("nav.site-nav")
    expect(page.locator("details.site-menu")).not_to_have_attribute("open", "")
    assert menu.bounding_box()["height"] < 80, (path, menu.bounding_box())
    # The links wait behind the button.
    expect(menu.get_by_role("link").first).to_be_hidden()
    axe_check(page)
    _shot(page, name)


def _open_menu(page):
    page.locator("details.site-menu > summary").click()
    expect(page.locator("details.site-menu")).to_have_attribute("open", "")


def _tour(page, base, who, urls, axe_check, *, coordinator, lang="en"):
    prefix = f"{lang}-{who}"
    _visit(page, base, f"{A}/", f"{prefix}-home", axe_check)

    # The menu opens without JavaScript's help, grouped by task, and fits the screen.
    _open_menu(page)
    nav = page.get_by_role("navigation", name=re.compile(".+"))
    links = nav.get_by_role("link")
    for link in links.all():
        expect(link).to_be_visible()
        assert _within_screen(link.bounding_box()), link.inner_text()
        assert link.bounding_box()["height"] >= 40, link.inner_text()
    assert page.locator(".site-menu__heading").count() >= 3
    assert _page_width(page) <= PHONE["width"]
    axe_check(page)
    _shot(page, f"{prefix}-menu-open")
    page.locator("details.site-menu > summary").click()
    expect(links.first).to_be_hidden()

    # The board: the status of each member is on screen, without scrolling sideways.
    _visit(page, base, f"{A}/board", f"{prefix}-board", axe_check)
    status = page.locator("table.stack tbody tr").first.locator("td").nth(3)
    expect(status).to_be_visible()
    assert _within_screen(status.bounding_box()), status.bounding_box()
    label = page.evaluate("(el) => getComputedStyle(el, '::before').content", status.element_handle())
    assert label.strip('"') in ("Status", "Статус", "Мәртебе") or CYRILLIC.search(label), label

    if coordinator:
        _visit(page, base, f"{A}/comments", f"{prefix}-matrix", axe_check)
        _visit(page, base, f"{A}/audit", f"{prefix}-audit", axe_check)
        _visit(page, base, f"{A}/people", f"{prefix}-people", axe_check)
        assert _within_screen(page.locator("table.stack").bounding_box())   # cards, not a wide table
        _visit(page, base, "/outbox", f"{prefix}-outbox", axe_check)
        _visit(page, base, f"{A}/balance", f"{prefix}-balance", axe_check)
        # Chart labels stay readable: 12 px or more on screen.
        smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('svg.chart text')]
            .map(t => t.getBoundingClientRect().height))""")
        assert smallest >= 12, smallest

    _visit(page, base, f"{A}/validation", f"{prefix}-validation", axe_check)
    assert _within_screen(page.locator("table.stack").bounding_box())

    # The month is a list of the days with meetings, Friday to Sunday included.
    _visit(page, base, urls["month"], f"{prefix}-month", axe_check)
    days = page.locator("table.month td.has-meetings")
    assert days.count() >= 1
    for day in days.all():
        expect(day).to_be_visible()
        assert _within_screen(day.bounding_box())
    empty_day = page.locator("table.month td:not(.has-meetings):not(.today)").first
    expect(empty_day).to_be_hidden()

    # A draft's text begins on the first screen; its details wait behind a disclosure.
    _visit(page, base, urls["version"], f"{prefix}-version", axe_check)
    text = page.locator(".draft-body .block").first
    assert text.bounding_box()["y"] < PHONE["height"], text.bounding_box()
    expect(page.locator("details.draft-meta dl.meta")).to_be_hidden()
    page.locator("details.draft-meta > summary").click()
    expect(page.locator("details.draft-meta dl.meta")).to_be_visible()
    assert _page_width(page) <= PHONE["width"]

    if coordinator:
        # Every field of "Schedule a meeting" is a comfortable target.
        _visit(page, base, f"{A}/meetings/new", f"{prefix}-schedule", axe_check)
        controls = page.locator("main form").locator(
            "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea")
        assert controls.count() >= 5
        kinds = set()
        for control in controls.all():
            if not control.is_visible():
                continue
            box = control.bounding_box()
            kinds.add(control.get_attribute("type") or control.evaluate("e => e.tagName"))
            assert box["height"] >= 40, (control.get_attribute("name"), box)
            assert _within_screen(box), (control.get_attribute("name"), box)
        assert {"datetime-local", "url"} <= kinds, kinds
        for check in page.locator("main form input[type=checkbox], main form input[type=radio]").all():
            if check.is_visible():
                box = check.bounding_box()
                assert box["width"] >= 20 and box["height"] >= 20, box
        # The focus on a field shows.
        page.locator("main form input[type=datetime-local]").first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid", outline


def test_the_demo_on_a_phone_in_english(new_page, live_server, axe_check):
    urls = demo_in()
    coordinator = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(coordinator, live_server, COORDINATOR, DEMO_PASSWORD, axe_check=axe_check)
    expect(coordinator).to_have_url(f"{live_server}{A}/")
    _tour(coordinator, live_server, "coordinator", urls, axe_check, coordinator=True)

    member = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(member, live_server, MEMBER, DEMO_PASSWORD, axe_check=lambda page: None)
    expect(member).to_have_url(f"{live_server}{A}/")
    _tour(member, live_server, "member", urls, axe_check, coordinator=False)


def test_the_demo_on_a_phone_in_russian(new_page, live_server, axe_check):
    urls = demo_in("ru")
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, live_server, COORDINATOR, DEMO_PASSWORD, axe_check=axe_check)
    expect(page).to_have_url(f"{live_server}{A}/")
    assert html_lang(page) == "ru"
    expect(page.locator("main h2").first).to_have_text(CYRILLIC)
    _tour(page, live_server, "coordinator", urls, axe_check, coordinator=True, lang="ru")


def test_balance_groups_and_framework_pages_on_a_phone(new_page, live_server, axe_check):
    """Issue 15 items 3 and 5: the balance page's group tables, the groups page and the
    indicator catalogue fit a 360 px screen as cards, in English, Russian and Kazakh, with the
    groups and the ROAM-X themes named in the page's language."""
    demo_in()
    names = {"en": ("Government", "Rights"), "ru": ("Правительство", "Права"),
             "kk": ("Үкімет", "Құқықтар")}
    for lang, (government, rights) in names.items():
        db.session.execute(update(User).values(language=lang))
        db.session.commit()
        db.session.remove()
        page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
        sign_in(page, live_server, COORDINATOR, DEMO_PASSWORD, axe_check=lambda page: None)
        assert html_lang(page) == lang
        _visit(page, live_server, f"{A}/balance", f"{lang}-coordinator-balance-cards", axe_check)
        table = page.locator("table.balance-table.stack").first
        assert _within_screen(table.bounding_box()), table.bounding_box()
        first_row = table.locator("tbody tr").first
        assert _within_screen(first_row.locator("td").last.bounding_box())
        expect(table).to_contain_text(government)
        SHOTS.mkdir(parents=True, exist_ok=True)
        table.screenshot(path=str(SHOTS / f"{lang}-coordinator-balance-table.png"))
        _visit(page, live_server, f"{A}/groups", f"{lang}-coordinator-groups", axe_check)
        cards = page.locator("table.stack")
        assert _within_screen(cards.bounding_box()), cards.bounding_box()
        expect(cards).to_contain_text(government)
        _visit(page, live_server, f"{A}/framework", f"{lang}-coordinator-framework", axe_check)
        expect(page.locator("main h2").filter(has_text=rights).first).to_be_visible()
        page.close()

"""Issue 15, tests: each role's main pages at 360 px and 1280 px, in English, Russian and Kazakh.

For the coordinator, a researcher and a board member of the demo: their home page, the board,
the comment matrix (where their role may see it), the meetings and a circulated draft. Each page
answers in the reader's language (``<html lang>``, a Cyrillic heading in Russian and Kazakh, none
of the default group names in English), scrolls nothing sideways, and axe-core finds no
violation. Screenshots of the phone views go to test-results/roles/ (git-ignored).
"""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from mab.board.models import DEFAULT_GROUPS
from mab.demo import DEMO_PASSWORD
from tests.browser.helpers import CYRILLIC, demo_in, html_lang, sign_in

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "roles"
A = "/a/kz-2022"
PEOPLE = {"coordinator": "coordinator@example.org",
          "researcher": "researcher@example.org",
          "member": "member09@example.org"}
SCREENS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}


def _untranslated(lang):
    """The catalogue's English messages that read differently in ``lang``: one of them as a
    whole heading means the page fell back to English."""
    path = Path(__file__).resolve().parents[2] / "mab" / "translations" / lang / "LC_MESSAGES" \
        / "messages.po"
    with path.open("rb") as file:
        catalogue = read_po(file, locale=lang)
    return {m.id for m in catalogue if isinstance(m.id, str) and m.id and m.string
            and m.string != m.id and "%(" not in m.id}


def _pages(role, draft):
    pages = {"home": f"{A}/", "board": f"{A}/board", "meetings": f"{A}/meetings",
             "draft": draft}
    if role != "member":   # the comment matrix is an export: board members have none
        pages["matrix"] = f"{A}/comments"
    return pages


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_each_roles_pages(new_page, live_server, axe_check, lang, screen):
    draft = demo_in(lang)["version"]
    english = _untranslated(lang) if lang != "en" else set()
    viewport = SCREENS[screen]
    phone = screen == "phone"
    for role, email in PEOPLE.items():
        page = new_page(viewport=viewport, has_touch=phone, is_mobile=phone)
        sign_in(page, live_server, email, DEMO_PASSWORD, axe_check=lambda page: None)
        expect(page).to_have_url(f"{live_server}{A}/")
        for name, path in _pages(role, draft).items():
            where = (lang, screen, role, name)
            response = page.goto(f"{live_server}{path}")
            assert response.status == 200, where
            assert html_lang(page) == lang, where
            headings = " ".join(page.locator("main h1, main h2, main h3").all_text_contents())
            menu = page.locator("nav.site-nav").text_content()
            if lang == "en":
                assert not CYRILLIC.search(menu), (where, menu)
            else:
                assert CYRILLIC.search(menu) and CYRILLIC.search(headings), (where, headings)
                left = [h.strip() for h in page.locator("main h1, main h2, main h3")
                        .all_inner_texts() if h.strip() in english]
                assert not left, (where, left)
                text = page.locator("main").inner_text()
                groups = [group for group in DEFAULT_GROUPS if group in text]
                assert not groups, (where, groups)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= viewport["width"], (where, width)
            axe_check(page)
            if phone:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{lang}-{role}-{name}.png"), full_page=True)
        page.close()

"""Reading a version's editions (issue 18 item 4): a reader gets the edition in their account's
language if it was circulated or is complete, else the source; a switcher (plain links) lists the
editions with their status and whether machine translation went into them; side by side shows two
editions paragraph by paragraph with the same anchors; each paragraph may be shown in another
edition; a missing or outdated translation shows the source with a note; the comment forms carry
the edition read."""
import re

import pytest

from mab.extensions import db
from tests.drafts.editions_support import outdate, translate
from tests.drafts.support import A, circulate, make_draft, setup
from tests.factories import make_assessment, team
from tests.querycount import counting

BODY = "Доступ растёт.\n\nЦены упали.\n\nСёла отстают."
BOOKKEEPING = ("INSERT INTO version_views", "INSERT INTO visits")


def html(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def paragraph(page, block_id):
    """The markup of one paragraph's block, up to its comments."""
    start = page.index(f'id="{block_id}"')
    after = re.compile(r'class="block[" ]|</article>').search(page, start + 1)
    return page[start:after.start() if after else len(page)]


def switcher(page):
    start = page.index('class="editions card"')
    return page[start:page.index("</nav>", start)]


def text_of(block, lang):
    found = re.findall(r'<div class="block__text"[^>]*lang="' + lang + r'"[^>]*>(.*?)</div>',
                       block, re.S)
    return [re.sub(r"<[^>]+>", "", f).strip() for f in found]


@pytest.fixture
def world():
    assessment, people = setup()                      # ru (source), kk, en
    draft = make_draft(assessment, people["researcher"], BODY, title="Access")
    version = draft.versions[-1]
    translate(version, "kk", {"p1": "Қолжетімділік өсуде.", "p2": "Бағалар төмендеді.",
                              "p3": "Ауылдар артта қалуда."})
    english = translate(version, "en", {"p1": "Access grows.", "p2": "Prices fell."},
                        machine=True)
    outdate(english, "p2")
    circulate(draft, assessment, people["researcher"])
    people["board_member"].language = "kk"
    db.session.commit()
    return assessment, people, draft


def in_english(client):
    """Pages in English whatever the account's language (the footer's choice, for this browser
    session): the edition read still follows the account's language."""
    with client.session_transaction() as session:
        session["language"] = "en"


def url(draft, query=""):
    return f"{A}/drafts/{draft.id}/v/1{query}"


def test_a_member_reads_the_edition_in_their_language(client, login, world):
    assessment, people, draft = world
    login(people["board_member"])
    in_english(client)
    page = html(client.get(url(draft)))
    assert text_of(paragraph(page, "p1"), "kk") == ["Қолжетімділік өсуде."]
    assert "Доступ растёт." not in paragraph(page, "p1").split("<details")[0]
    # The switcher: plain links, with each edition's status and kind of translation.
    nav = switcher(page)
    assert f'href="/a/kz-2022/drafts/{draft.id}/v/1?edition=ru"' in nav
    assert '<a href="/a/kz-2022/drafts/{}/v/1?edition=kk" lang="kk" aria-current="true">Қазақша</a>'.format(draft.id) in nav
    squashed = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", nav))
    assert "Русский · Source" in squashed
    assert "Қазақша · Complete · Human translation" in squashed
    # English is neither complete nor circulated: a member is not offered it.
    assert "English" not in squashed
    # The comment forms post the edition read.
    assert '<input type="hidden" name="language" value="kk">' in page


def test_a_member_without_an_edition_in_their_language_reads_the_source(client, login, world):
    assessment, people, draft = world
    people["board_member"].language = "en"
    db.session.commit()
    login(people["board_member"])
    page = html(client.get(url(draft)))
    assert text_of(paragraph(page, "p1"), "ru") == ["Доступ растёт."]
    assert '<input type="hidden" name="language" value="ru">' in page
    # Asking for an edition not offered falls back the same way.
    page = html(client.get(url(draft, "?edition=en")))
    assert text_of(paragraph(page, "p1"), "ru") == ["Доступ растёт."]
    page = html(client.get(url(draft, "?edition=kk")))
    assert text_of(paragraph(page, "p2"), "kk") == ["Бағалар төмендеді."]


def test_each_paragraph_may_be_shown_in_another_edition(client, login, world):
    assessment, people, draft = world
    login(people["board_member"])
    in_english(client)
    block = paragraph(html(client.get(url(draft))), "p2")
    assert "<summary>Show in Русский</summary>" in block
    assert text_of(block, "ru") == ["Цены упали."]


def test_side_by_side_keeps_the_paragraph_anchors_and_numbers(client, login, world):
    assessment, people, draft = world
    login(people["board_member"])
    in_english(client)
    for query in ("?edition=kk&side=ru", "?edition=kk&compare=1"):
        page = html(client.get(url(draft, query)))
        assert "draft-body--side" in page
        for block_id, kk, ru in (("p1", "Қолжетімділік өсуде.", "Доступ растёт."),
                                 ("p3", "Ауылдар артта қалуда.", "Сёла отстают.")):
            assert page.count(f'id="{block_id}"') == 1
            block = paragraph(page, block_id)
            assert text_of(block, "kk") == [kk] and text_of(block, "ru") == [ru]
            assert "<details class=\"block__other\"" not in block    # both are on the screen
        assert 'data-n="1"' in paragraph(page, "p1") and 'data-n="3"' in paragraph(page, "p3")
        assert "Side by side with Русский." in re.sub(r"<[^>]+>", "", page)
        assert '<input type="hidden" name="language" value="kk">' in page


def test_the_research_team_sees_an_unfinished_edition_with_notes(client, login, world):
    assessment, people, draft = world
    login(people["researcher"])
    page = html(client.get(url(draft, "?edition=en")))
    nav = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", switcher(page)))
    assert "English · 1 of 3 paragraphs · 1 outdated · Machine-assisted" in nav
    assert text_of(paragraph(page, "p1"), "en") == ["Access grows."]
    outdated = paragraph(page, "p2").split("<details")[0]
    assert "Translation outdated" in outdated and text_of(outdated, "ru") == ["Цены упали."]
    missing = paragraph(page, "p3").split("<details")[0]
    assert "Not yet translated" in missing and text_of(missing, "ru") == ["Сёла отстают."]
    assert '<input type="hidden" name="language" value="en">' in page


def test_a_version_in_one_language_shows_no_switcher(client, login):
    assessment, people = team(make_assessment(slug="kz-2022", languages="ru"))
    draft = make_draft(assessment, people["researcher"], BODY)
    login(people["researcher"])
    page = html(client.get(url(draft, "?edition=kk&compare=1")))
    assert "editions card" not in page and "Show in" not in page and " lang=\"ru\">" not in \
        paragraph(page, "p1")


def test_translations_not_begun_show_no_switcher(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], BODY)
    login(people["researcher"])
    page = html(client.get(url(draft)))
    assert "editions card" not in page and "Show in" not in page


def measure(client, login, user, urls):
    login(user)
    counts = {}
    for name, address in urls.items():
        for visit in ("first", "again"):
            with counting() as statements:
                html(client.get(address))
            counts[name, visit] = len([s for s in statements if not s.startswith(BOOKKEEPING)])
    return counts


@pytest.mark.parametrize("who", ["researcher", "board_member"])
def test_the_version_page_runs_as_many_queries_with_more_editions_and_paragraphs(
        client, login, who):
    assessment, people = setup()
    small = make_draft(assessment, people["researcher"], "One.\n\nTwo.", title="Small")
    translate(small.versions[-1], "kk")
    circulate(small, assessment, people["researcher"])
    large = make_draft(assessment, people["researcher"],
                       "\n\n".join(f"Paragraph {n}." for n in range(40)), title="Large")
    translate(large.versions[-1], "kk")
    translate(large.versions[-1], "en", count=30, machine=True)
    circulate(large, assessment, people["researcher"])
    people["board_member"].language = "kk"
    db.session.commit()

    def urls(draft):
        return {"read": url(draft), "side": url(draft, "?edition=kk&side=ru"),
                "compare": url(draft, "?compare=1"), "source": url(draft, "?edition=ru")}

    assert measure(client, login, people[who], urls(large)) == \
        measure(client, login, people[who], urls(small))

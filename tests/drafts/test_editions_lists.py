"""The drafts list and the indicator catalogue show, per content language, the status of each
draft's edition (issue 18 item 3): in one more query for the whole page, whatever the size."""
import re

import pytest
from sqlalchemy import select

from mab.framework.models import FrameworkItem
from mab.extensions import db
from tests.drafts.editions_support import outdate, translate
from tests.drafts.support import A, circulate, import_sample, make_draft, new_version, setup
from tests.factories import make_assessment, team
from tests.querycount import counting

BODY = "\n\n".join(f"Paragraph {n}." for n in range(1, 6))


def squash(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def indicator(code):
    return db.session.scalar(select(FrameworkItem).where(FrameworkItem.code == code))


def test_the_drafts_list_shows_each_languages_status(client, login):
    assessment, people = setup()           # ru (main), kk, en
    draft = make_draft(assessment, people["researcher"], BODY, title="Access")
    translate(draft.versions[-1], "kk")
    outdate(translate(draft.versions[-1], "en", count=4), "p2")
    make_draft(assessment, people["researcher"], BODY, title="Barely begun")
    login(people["researcher"])
    page = squash(client.get(f"{A}/drafts").get_data(as_text=True))
    assert "Translations" in page
    assert "Русский : Source Қазақша : Complete English : 3 of 5 paragraphs · 1 outdated" in page
    assert "Қазақша : Not started English : Not started" in page


def test_a_board_member_sees_the_status_of_the_circulated_version(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], BODY, title="Access")
    translate(draft.versions[-1], "kk")
    circulate(draft, assessment, people["researcher"])
    new_version(draft, assessment, people["researcher"], BODY + "\n\nParagraph 6.")
    login(people["researcher"])
    # Version 2 carries the Kazakh translation over when the editions' service does; either
    # way its new paragraph is not translated yet.
    assert "Қазақша : Complete" not in squash(client.get(f"{A}/drafts").get_data(as_text=True))
    login(people["board_member"])
    assert "Қазақша : Complete" in squash(client.get(f"{A}/drafts").get_data(as_text=True))


def test_a_draft_in_kazakh_counts_russian_as_a_translation(client, login):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], BODY, title="Access")
    draft.source_language = "kk"
    db.session.commit()
    login(people["researcher"])
    page = squash(client.get(f"{A}/drafts").get_data(as_text=True))
    assert "Қазақша : Source Русский : Not started English : Not started" in page


def test_a_one_language_assessment_shows_no_translations(client, login):
    assessment, people = team(make_assessment(slug="kz-2022", languages="ru"))
    make_draft(assessment, people["researcher"], BODY, title="Access")
    login(people["researcher"])
    page = client.get(f"{A}/drafts").get_data(as_text=True)
    assert "Access" in page and "Translations" not in page and "Not started" not in page


def test_the_catalogue_shows_each_indicators_editions(client, login):
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    old = make_draft(assessment, people["researcher"], BODY, subject="indicator",
                     item_id=indicator("R.5.1").id, title="Old")
    translate(old.versions[-1], "en")
    newer = make_draft(assessment, people["researcher"], BODY, subject="indicator",
                       item_id=indicator("R.5.1").id, title="Newer")
    translate(newer.versions[-1], "kk", count=2)
    login(people["coordinator"])
    page = squash(client.get(f"{A}/framework").get_data(as_text=True))
    # The newest draft on the indicator counts.
    assert "R.5.1 Legal guarantee of freedom of expression core drafted Русский : Source " \
        "Қазақша : 2 of 5 paragraphs English : Not started" in page
    # A board member sees no draft that is not circulated yet.
    login(people["board_member"])
    page = squash(client.get(f"{A}/framework").get_data(as_text=True))
    assert "Қазақша : 2 of 5 paragraphs" not in page
    circulate(newer, assessment, people["researcher"])
    page = squash(client.get(f"{A}/framework").get_data(as_text=True))
    assert "Қазақша : 2 of 5 paragraphs" in page


def grow(assessment, people, drafts):
    items = db.session.scalars(select(FrameworkItem).where(FrameworkItem.kind == "indicator")
                               .order_by(FrameworkItem.id)).all()
    for n in range(drafts):
        draft = make_draft(assessment, people["researcher"], BODY, subject="indicator",
                           item_id=items[n % len(items)].id, title=f"Draft {n:02d}")
        translate(draft.versions[-1], "kk", count=n % 6)
        translate(draft.versions[-1], "en", count=5, machine=True)
        circulate(draft, assessment, people["researcher"])
        new_version(draft, assessment, people["researcher"], BODY + f"\n\nMore {n}.")


@pytest.mark.parametrize("who", ["researcher", "board_member"])
def test_the_list_pages_run_as_many_queries_with_more_editions(client, login, who):
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])

    def measure():
        login(people[who])
        counts = {}
        for url in (f"{A}/drafts", f"{A}/framework"):
            with counting() as statements:
                assert client.get(url).status_code == 200
            counts[url] = len(statements)
        return counts

    grow(assessment, people, 2)
    small = measure()
    grow(assessment, people, 12)
    assert measure() == small

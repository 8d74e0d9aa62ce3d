"""The translators' pages over HTTP: who may open them (and what the translator may not open),
saving a paragraph with and without JavaScript, a stale revision, a frozen edition, a language
the draft is not translated into, an empty text, the new draft's source language."""
import pytest
from sqlalchemy import select

from mab.assessments.models import Role
from mab.drafts.models import Draft
from mab.editions import rules, services
from mab.editions.models import Edition
from mab.extensions import db
from mab.permissions import GRANTS, Action, can
from mab.types import utcnow
from tests.drafts.support import A, circulate, make_draft, new_version, setup
from tests.factories import make_assessment, make_member
from tests.records import count, events

BODY = "Access is **uneven**.\n\nPrices fell in 2022.\n\nRural schools lack connections."


@pytest.fixture
def world(app):
    """kz-2022 (ru, kk, en) with an uncirculated draft, and uz-2023 with its own draft."""
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], BODY)
    other = make_assessment(slug="uz-2023")
    other_researcher = make_member(other, Role.RESEARCHER, email="res@example.uz")
    db.session.commit()
    foreign = make_draft(other, other_researcher, "Foreign text.")
    return {"assessment": assessment, "people": people, "draft": draft, "foreign": foreign}


def editor_url(draft, language="kk", number=1, slug="kz-2022"):
    return f"/a/{slug}/drafts/{draft.id}/v/{number}/translate/{language}"


def block_ids(draft, number=1):
    version = next(v for v in db.session.get(Draft, draft.id).versions if v.number == number)
    return [b["id"] for b in version.blocks]


def edition(language="kk"):
    db.session.expire_all()
    return db.session.scalar(select(Edition).where(Edition.language == language))


def save(client, draft, text, *, n=0, revision=0, language="kk", json=False, number=1):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(editor_url(draft, language, number), headers=headers, data={
        "form": "paragraph", "block_id": block_ids(draft, number)[n], "text": text,
        "revision": str(revision)})


# --- the role -----------------------------------------------------------------------------------

def test_the_translator_translates_and_sees_the_home_page_only():
    translator = Role.TRANSLATOR
    assert {action for action in Action if can(translator, action)} == {
        Action.VIEW, Action.EDIT_TRANSLATIONS}
    assert GRANTS[Action.EDIT_TRANSLATIONS] == {Role.COORDINATOR, Role.RESEARCHER, Role.TRANSLATOR}
    assert not can(Role.BOARD_MEMBER, Action.EDIT_TRANSLATIONS)
    assert not can(Role.OBSERVER, Action.EDIT_TRANSLATIONS)


@pytest.mark.parametrize("role", ["translator", "researcher", "coordinator"])
def test_the_team_and_the_translator_open_every_translation_page(client, login, world, role):
    draft = world["draft"]   # never circulated: the translator reads its source here anyway
    login(world["people"][role])
    listing = client.get(f"{A}/translations")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "Findings" in page and "Қазақша" in page and "English" in page
    assert "Not started" in page
    version = client.get(f"{A}/drafts/{draft.id}/v/1/translations")
    assert version.status_code == 200 and "Source" in version.get_data(as_text=True)
    editor = client.get(editor_url(draft))
    html = editor.get_data(as_text=True)
    assert editor.status_code == 200
    assert "<strong>uneven</strong>" in html                  # the source, rendered
    assert 'for="text-p1">Translation of paragraph 1</label>' in html
    assert html.count('name="text"') == 3 and "editions.js" in html


@pytest.mark.parametrize("role", ["board_member", "observer"])
def test_board_members_and_observers_are_refused(client, login, world, role):
    draft = world["draft"]
    circulate(draft, world["assessment"], world["people"]["researcher"])
    login(world["people"][role])
    for url in (f"{A}/translations", f"{A}/drafts/{draft.id}/v/1/translations",
                editor_url(draft)):
        assert client.get(url).status_code == 403, url
    assert save(client, draft, "Қолжетімділік.").status_code == 403
    assert count(Edition) == 0


def test_the_translator_gets_none_of_the_other_pages(client, login, world):
    draft = world["draft"]
    circulate(draft, world["assessment"], world["people"]["researcher"])
    login(world["people"]["translator"])
    home = client.get(f"{A}/")
    html = home.get_data(as_text=True)
    assert home.status_code == 200 and "Drafts to translate" in html
    assert f"{A}/translations" in html and f"{A}/drafts/{draft.id}/v/1/translations" in html
    assert f'href="{A}/drafts"' not in html and f'href="{A}/meetings"' not in html
    for url in (f"{A}/drafts", f"{A}/drafts/{draft.id}", f"{A}/drafts/{draft.id}/v/1",
                f"{A}/drafts/{draft.id}/diff", f"{A}/drafts/{draft.id}/edit", f"{A}/drafts/new",
                f"{A}/drafts/{draft.id}/responses", f"{A}/comments", f"{A}/board",
                f"{A}/groups", f"{A}/people", f"{A}/meetings", f"{A}/framework",
                f"{A}/validation", f"{A}/balance", f"{A}/audit", f"{A}/annex"):
        assert client.get(url).status_code == 403, url
    comment = client.post(f"{A}/drafts/{draft.id}/v/1/comments", data={"body": "Hello"})
    assert comment.status_code == 403


def test_another_assessments_drafts_are_not_found(client, login, world):
    login(world["people"]["translator"])
    foreign = world["foreign"]
    assert client.get(editor_url(foreign)).status_code == 404        # under kz-2022's address
    assert client.get(editor_url(foreign, slug="uz-2023")).status_code == 404   # not a member
    assert save(client, foreign, "x").status_code == 404
    assert count(Edition) == 0


def test_a_language_the_draft_is_not_translated_into_is_not_found(client, login, world):
    login(world["people"]["translator"])
    draft = world["draft"]
    for language in ("ru", "de", "KK"):        # ru: the source
        assert client.get(editor_url(draft, language)).status_code == 404, language
    assert client.post(editor_url(draft, "ru"), data={
        "block_id": "p1", "text": "x", "revision": "0"}).status_code == 404
    assert client.get(editor_url(draft, number=9)).status_code == 404
    assert count(Edition) == 0


# --- saving -------------------------------------------------------------------------------------

def test_saving_a_paragraph_without_javascript_comes_back_to_it(client, login, world):
    login(world["people"]["translator"])
    draft = world["draft"]
    response = save(client, draft, "Қолжетімділік біркелкі емес.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(editor_url(draft) + "#paragraph-p1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Paragraph 1 is saved." in page and "Қолжетімділік біркелкі емес." in page
    assert "1 of 3 paragraphs" in page
    saved = edition()
    assert saved.revision == 1 and saved.blocks[0]["text"] == "Қолжетімділік біркелкі емес."
    assert [e.changes["block_id"] for e in events("edition.saved")] == ["p1"]


def test_saving_with_javascript_answers_in_json(client, login, world):
    login(world["people"]["translator"])
    draft = world["draft"]
    first = save(client, draft, "Бір.", json=True)
    assert first.status_code == 200
    assert first.json == {"ok": True, "message": "Paragraph 1 is saved.", "revision": 1,
                          "status": "current", "status_label": "Current",
                          "summary": "1 of 3 paragraphs"}
    save(client, draft, "Екі.", n=1, revision=1, json=True)
    last = save(client, draft, "Үш.", n=2, revision=2, json=True)
    assert last.json["summary"] == "Complete" and last.json["revision"] == 3


def test_a_stale_revision_keeps_the_text_and_saves_nothing(client, login, world):
    people, draft = world["people"], world["draft"]
    login(people["researcher"])
    save(client, draft, "Зерттеушінің мәтіні.")
    login(people["translator"])
    stale = save(client, draft, "Аудармашының мәтіні.", revision=0)
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Someone else saved this translation" in html
    assert "Аудармашының мәтіні.</textarea>" in html           # kept in its box
    assert "Зерттеушінің мәтіні." in html                       # theirs, shown beside it
    assert 'name="revision" value="1"' in html                 # saving again is a choice
    assert edition().blocks[0]["text"] == "Зерттеушінің мәтіні." and edition().revision == 1
    assert len(events("edition.saved")) == 1
    as_json = save(client, draft, "Аудармашының мәтіні.", revision=0, json=True)
    assert as_json.status_code == 409 and as_json.json["ok"] is False
    assert as_json.json["revision"] == 1 and as_json.json["theirs"] == "Зерттеушінің мәтіні."
    assert edition().revision == 1


def test_a_frozen_edition_is_refused_and_shown_read_only(client, login, world):
    login(world["people"]["translator"])
    draft = world["draft"]
    save(client, draft, "Бір.")
    frozen = edition()
    frozen.frozen_at = utcnow()
    db.session.commit()
    revision = edition().revision
    refused = save(client, draft, "Екі.", n=1, revision=revision)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "The Қазақша translation of version 1 is frozen" in html
    assert "Екі.</textarea>" in html and 'id="kept-text"' in html   # the text is kept
    assert edition().revision == revision and len(edition().blocks) == 1
    assert len(events("edition.saved")) == 1
    page = client.get(editor_url(draft)).get_data(as_text=True)
    assert "This translation is frozen" in page and 'name="text"' not in page


def test_an_empty_text_leaves_the_paragraph_missing(client, login, world):
    login(world["people"]["translator"])
    draft = world["draft"]
    save(client, draft, "Бір.")
    cleared = save(client, draft, "   ", revision=1, json=True)
    assert cleared.json["status"] == "missing" and cleared.json["status_label"] == "Missing"
    assert cleared.json["summary"] == "Not started"
    assert edition().blocks == []


def test_an_outdated_paragraph_shows_the_source_diff(client, login, world):
    people, draft, assessment = world["people"], world["draft"], world["assessment"]
    login(people["translator"])
    for n in range(3):
        save(client, draft, f"Аударма {n + 1}.", n=n, revision=n)
    circulate(draft, assessment, people["researcher"])
    new_version(draft, assessment, people["researcher"],
                BODY.replace("Prices fell", "Prices fell sharply"))
    page = client.get(editor_url(draft, number=2)).get_data(as_text=True)
    assert "2 of 3 paragraphs · 1 outdated" in page
    assert "The source changed since this paragraph was translated" in page
    assert "<ins>sharply </ins>" in page and "Аударма 2.</textarea>" in page
    fixed = save(client, draft, "Жаңа аударма.", n=1, revision=1, number=2, json=True)
    assert fixed.json["status"] == "current" and fixed.json["summary"] == "Complete"
    # Version 1 says a later version exists.
    assert "Translate version 2" in client.get(editor_url(draft)).get_data(as_text=True)


def test_machine_assisted_is_saved_without_javascript(client, login, world):
    login(world["people"]["researcher"])
    draft = world["draft"]
    response = client.post(editor_url(draft, "en"), data={
        "form": "machine", "machine_assisted": "y", "revision": "0"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#machine")
    assert edition("en").machine_assisted
    listing = client.get(f"{A}/drafts/{draft.id}/v/1/translations").get_data(as_text=True)
    assert "Machine-assisted" in listing


# --- the new draft's source language ------------------------------------------------------------

def test_a_new_draft_is_written_in_a_chosen_content_language(client, login, world):
    login(world["people"]["researcher"])
    form = client.get(f"{A}/drafts/new").get_data(as_text=True)
    assert 'name="source_language"' in form and "Қазақша" in form
    assert '<option selected value="ru">' in form or '<option value="ru" selected>' in form
    created = client.post(f"{A}/drafts/new", data={
        "title": "Kazakh findings", "subject": "report", "source_language": "kk",
        "body": "Бірінші абзац."})
    assert created.status_code == 302
    draft = db.session.scalar(select(Draft).where(Draft.title == "Kazakh findings"))
    assert draft.source_language == "kk"
    assert client.get(editor_url(draft, "kk")).status_code == 404
    assert client.get(editor_url(draft, "ru")).status_code == 200
    refused = client.post(f"{A}/drafts/new", data={
        "title": "German findings", "subject": "report", "source_language": "de", "body": "x"})
    assert refused.status_code == 422 and "Choose one of the assessment" in \
        refused.get_data(as_text=True)
    assert db.session.scalar(select(Draft).where(Draft.title == "German findings")) is None

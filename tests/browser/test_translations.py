"""Findings in three languages (issue 18) in a real browser, on the demo assessment (mab.demo).

The issue's path: a researcher writes version 1 of a draft in Russian (three paragraphs) and
circulates it; a translator fills the Kazakh edition side by side with the keyboard alone (the
English one is saved through the services, to keep the test short); a board member whose account
is in Kazakh reads the Kazakh edition and comments on paragraph 2, and the researcher sees that
comment on paragraph 2 of the Russian edition, marked as written in Қазақша; the researcher
revises paragraph 2 (version 2): the Kazakh paragraph is "Outdated", with the source's word diff
beside it, until the translator updates it; the coordinator validates version 2 (the members'
decisions are recorded through the services) and the certificate lists the three editions with
their SHA-256. axe-core finds nothing on the editor, the Kazakh reading view and the certificate,
and the editor and the reading view fit a 360 px phone.

The demo assessment speaks ru, kk and en (Russian first) and its timezone is Asia/Almaty. Its
comment policy (every comment answered before validation) is lifted here: the comment path is
tested in tests/browser/test_comments.py and tests/browser/test_validation.py.
"""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select, update

from mab.assessments.models import Assessment, Role
from mab.auth.models import User
from mab.comments.models import Comment
from mab.demo import DEMO_PASSWORD, SLUG as DEMO_SLUG, seed
from mab.drafts.models import Draft, DraftVersion
from mab.editions import services as edition_services
from mab.extensions import db
from mab.validation import services as validation_services
from mab.validation.models import ValidationRound
from tests.browser.helpers import fits_a_phone, html_lang, sign_in
from tests.factories import PASSWORD, make_member

TZ = ZoneInfo("Asia/Almaty")
SLUG = f"/a/{DEMO_SLUG}"
DESKTOP = {"width": 1280, "height": 800}
RESEARCHER = "researcher@example.org"
COORDINATOR = "coordinator@example.org"
TRANSLATOR = "translator@example.org"
READER = "member01@example.org"        # Government; their account is in Kazakh here
READER_NAME = "Nurlan Zhaksybekov"
TITLE = "Доступ к открытым данным"

RU = ["Закон о доступе к информации 2015 года распространяется на онлайн-запросы.",
      "Большинство министерств отвечают на запросы в течение пятнадцати дней.",
      "Рекомендация: публиковать статистику запросов на удаление контента."]
RU_2_V2 = "Большинство министерств отвечают на онлайн-запросы в течение двадцати дней."
KK = ["2015 жылғы ақпаратқа қол жеткізу туралы заң онлайн сұрауларға да қолданылады.",
      "Министрліктердің көпшілігі сұрауларға он бес күн ішінде жауап береді.",
      "Ұсыныс: контентті жою туралы сұраулар статистикасын жариялау."]
KK_2_V2 = "Министрліктердің көпшілігі онлайн сұрауларға жиырма күн ішінде жауап береді."
EN = ["The 2015 access to information law applies to online requests.",
      "Most ministries answer requests within fifteen days.",
      "Recommendation: publish statistics on content removal requests."]
EN_2_V2 = "Most ministries answer online requests within twenty days."
COMMENT = "Заңның қай бабы мерзімді белгілейтінін көрсетіңіз."
HEX64 = re.compile(r"^[0-9a-f]{64}$")


# --- the world ----------------------------------------------------------------------------------

def _demo():
    """The demo, everyone in English but the reader (in Kazakh), a translator, and the comment
    policy lifted."""
    seed()
    db.session.execute(update(User).values(language="en"))
    db.session.execute(update(User).where(User.email == READER).values(language="kk"))
    assessment = db.session.scalar(select(Assessment).where(Assessment.slug == DEMO_SLUG))
    assert assessment.language_list == ["ru", "kk", "en"]
    assessment.require_dispositions = False
    make_member(assessment, Role.TRANSLATOR, email=TRANSLATOR, name="Aigerim Translator",
                language="en")
    db.session.commit()
    db.session.remove()


def _version(number):
    return db.session.scalar(select(DraftVersion).join(Draft).where(
        Draft.title == TITLE, DraftVersion.number == number))


def _save_english(number, texts):
    """The English edition of version ``number``, saved through the services as the translator
    (the Kazakh one is typed in the browser)."""
    version = _version(number)
    assessment = db.session.scalar(select(Assessment).where(Assessment.slug == DEMO_SLUG))
    translator = db.session.scalar(select(User).where(User.email == TRANSLATOR))
    for block_id, text in texts.items():
        edition = edition_services.edition_for(version, "en")
        edition_services.save_paragraph(version, "en", block_id, text,
                                        revision=edition.revision if edition else 0,
                                        actor=translator, assessment=assessment)
    db.session.commit()
    db.session.remove()


# --- small steps --------------------------------------------------------------------------------

def _nav(page):
    return page.get_by_role("navigation", name="Main")


def _focused_id(page):
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")


def _tab_to(page, element_id, *, limit=80):
    """Press Tab until the element with ``element_id`` has the focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused_id(page)
        if focused == element_id:
            return
        seen.append(focused or page.evaluate("() => document.activeElement.tagName"))
    raise AssertionError(f"#{element_id} not reached with Tab; focus went through {seen}")


def _saved(page):
    """Wait until no paragraph is being saved (the editor's script marks a form busy)."""
    page.wait_for_function("() => !document.querySelector('form[data-busy]')")


def _status(page, block_id):
    return page.locator(f"#status-{block_id}")


def _meta(page, term):
    return page.locator("dl.meta dt", has_text=re.compile(f"^{re.escape(term)}$")) \
        .locator("xpath=following-sibling::dd[1]")


# --- the path -----------------------------------------------------------------------------------

def test_write_translate_comment_revise_validate(page, new_page, live_server, axe_check):
    base = live_server
    _demo()
    today = datetime.now(TZ).date()

    # 1. The researcher writes version 1 in Russian and circulates it (no translation yet: the
    # assessment circulates incomplete editions, its default).
    researcher = page
    sign_in(researcher, base, RESEARCHER, DEMO_PASSWORD, axe_check=axe_check)
    expect(researcher).to_have_url(f"{base}{SLUG}/")
    researcher.goto(f"{base}{SLUG}/drafts/new")
    form = researcher.locator("main form")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("About").select_option(label="Policy recommendations")
    expect(form.get_by_label("Written in").locator("option:checked")).to_have_text("Русский")
    form.get_by_label("Written in").select_option(label="Русский")
    form.get_by_label("Text").fill("\n\n".join(RU))
    researcher.get_by_role("button", name="Create the draft").click()
    expect(researcher.locator(".flashes")).to_contain_text("The draft is created.")
    expect(researcher).to_have_url(re.compile(re.escape(f"{base}{SLUG}/drafts/") + r"\d+$"))
    draft_url = researcher.url
    draft_path = draft_url.removeprefix(base)
    for number, text in enumerate(RU, start=1):
        expect(researcher.locator(f"[data-block-text='p{number}']")).to_have_text(text)
    circulate = researcher.get_by_role("region", name="Circulate version 1 to the board")
    circulate.get_by_label("Comments due by").fill((today + timedelta(days=14)).isoformat())
    circulate.get_by_role("button", name="Circulate").click()
    expect(researcher.locator("h1")).to_have_text(re.compile(r"^Circulate version 1 of “.+”\?$"))
    expect(researcher.locator(".consequences")).to_contain_text("Not circulated, not complete yet")
    researcher.get_by_role("button", name="Freeze and circulate").click()
    expect(researcher).to_have_url(draft_url)
    expect(researcher.locator(".flashes")).to_contain_text("Version 1 is circulated to ")

    # 2. The translator: from the translations page to the Kazakh editor of version 1.
    translator = new_page()
    sign_in(translator, base, TRANSLATOR, PASSWORD, axe_check=lambda _page: None)
    expect(translator).to_have_url(f"{base}{SLUG}/")
    _nav(translator).get_by_role("link", name="Translations", exact=True).click()
    expect(translator).to_have_url(f"{base}{SLUG}/translations")
    row = translator.locator("main tbody tr").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.locator("li")).to_have_text(["Қазақша: Not started", "English: Not started"])
    row.get_by_role("link", name="Қазақша").click()
    editor_url = f"{base}{draft_path}/v/1/translate/kk"
    expect(translator).to_have_url(editor_url)
    expect(translator.locator("h1")).to_have_text(f"{TITLE}: Қазақша")
    expect(translator.locator("#edition-summary")).to_have_text("Not started")
    for number, text in enumerate(RU, start=1):
        source = translator.locator(f"#paragraph-p{number} .translate__source")
        expect(source.locator(".prose")).to_have_text(text)
        expect(source).to_have_attribute("lang", "ru")
        expect(_status(translator, f"p{number}")).to_have_text("Missing")
    axe_check(translator)

    # By keyboard alone: Tab to paragraph 1's box, type, Tab to its Save and press Enter; then
    # paragraphs 2 and 3 saved with Ctrl+Enter from their box.
    translator.locator("body").focus()
    _tab_to(translator, "text-p1")
    translator.keyboard.type(KK[0])
    translator.keyboard.press("Tab")
    expect(translator.locator("#paragraph-p1 button[type=submit]")).to_be_focused()
    translator.keyboard.press("Enter")
    _saved(translator)
    expect(_status(translator, "p1")).to_have_text("Current")
    expect(translator.locator("#editor-announce")).to_have_text("Paragraph 1 is saved.")
    expect(translator.locator("#edition-summary")).to_have_text("1 of 3 paragraphs")
    for number in (2, 3):
        _tab_to(translator, f"text-p{number}")
        translator.keyboard.type(KK[number - 1])
        translator.keyboard.press("Control+Enter")
        _saved(translator)
        expect(_status(translator, f"p{number}")).to_have_text("Current")
        expect(translator.locator("#editor-announce")).to_have_text(
            f"Paragraph {number} is saved.")
    expect(translator.locator("#edition-summary")).to_have_text("Complete")
    # Saved indeed: the page as the server gives it.
    translator.reload()
    for number, text in enumerate(KK, start=1):
        expect(translator.locator(f"#text-p{number}")).to_have_value(text)
        expect(_status(translator, f"p{number}")).to_have_text("Current")
    expect(translator.locator("#edition-summary")).to_have_text("Complete")
    axe_check(translator)
    fits_a_phone(translator, "editor", slack=1)
    # English: through the services (the same use case the editor calls).
    _save_english(1, {f"p{n}": text for n, text in enumerate(EN, start=1)})
    translator.goto(f"{base}{draft_path}/v/1/translations")
    expect(translator.locator("main tbody tr")).to_have_count(3)
    expect(translator.locator("main tbody tr td:nth-child(2)")).to_have_text(
        ["Source", "Complete", "Complete"])

    # 3. The board member reading Kazakh: the Kazakh edition is the one shown.
    reader = new_page()
    sign_in(reader, base, READER, DEMO_PASSWORD, axe_check=lambda _page: None)
    expect(reader).to_have_url(f"{base}{SLUG}/")
    version_url = f"{base}{draft_path}/v/1"
    reader.goto(version_url)
    assert html_lang(reader) == "kk"
    expect(reader.locator("h1")).to_have_text(TITLE)
    switcher = reader.locator("nav.editions")
    expect(switcher.locator("a[aria-current='true']")).to_have_text("Қазақша")
    expect(switcher.locator("li a")).to_have_text(["Русский", "Қазақша", "English"])
    for number, text in enumerate(KK, start=1):
        shown = reader.locator(f"[data-block-text='p{number}']")
        expect(shown).to_have_text(text)
        expect(shown).to_have_attribute("lang", "kk")
    axe_check(reader)
    fits_a_phone(reader, "reading view in Kazakh", slack=1)
    # A comment on paragraph 2 of the Kazakh edition.
    new_comment = reader.locator("details.comment-new[data-block='p2']")
    new_comment.locator("> summary").click()
    expect(new_comment).to_have_attribute("open", "")
    expect(new_comment.locator("input[name=language]")).to_have_value("kk")
    reader.locator("#body-p2").fill(COMMENT)
    new_comment.locator("button[type=submit]").click()
    expect(reader).to_have_url(re.compile(re.escape(version_url) + r".*#c\d+$"))
    comment_id = int(reader.url.rsplit("#c", 1)[1])
    expect(reader.locator(f"#p2 #c{comment_id} .comment__text")).to_have_text(COMMENT)
    axe_check(reader)
    db.session.remove()
    comment = db.session.get(Comment, comment_id)
    assert (comment.block_id, comment.language) == ("p2", "kk")
    db.session.remove()

    # The researcher opens the Russian edition: the comment is on paragraph 2 there, marked as
    # written in Kazakh.
    researcher.goto(version_url)
    researcher.locator("nav.editions").get_by_role("link", name="Русский", exact=True).click()
    expect(researcher).to_have_url(re.compile(r"[?&]edition=ru\b"))
    expect(researcher.locator("[data-block-text='p2']")).to_have_text(RU[1])
    thread = researcher.locator(f"#p2 #c{comment_id}")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text(READER_NAME)
    expect(thread.locator(".comment__lang")).to_have_text("Written in Қазақша")
    expect(thread.locator(".comment__text")).to_have_attribute("lang", "kk")
    expect(thread.locator(".comment__text")).to_have_text(COMMENT)

    # 4. The researcher revises paragraph 2: version 2.
    researcher.goto(draft_url)
    researcher.get_by_role("link", name="Start version 2").click()
    expect(researcher).to_have_url(f"{draft_url}/edit")
    edit = researcher.locator("main form")
    edit.get_by_label("Text").fill("\n\n".join([RU[0], RU_2_V2, RU[2]]))
    edit.get_by_label("What changed").fill("Срок ответа изменён поправкой 2023 года.")
    researcher.get_by_role("button", name="Save", exact=True).click()
    expect(researcher).to_have_url(draft_url)
    expect(researcher.locator(".flashes")).to_contain_text("Version 2 is saved.")
    expect(researcher.locator("[data-block-text='p2']")).to_have_text(RU_2_V2)

    # The Kazakh paragraph 2 is outdated, with the source's diff; the translator updates it.
    translator.goto(f"{base}{SLUG}/translations")
    row = translator.locator("main tbody tr").filter(has_text=TITLE)
    expect(row.locator("td").nth(1)).to_have_text("2")
    expect(row.locator("li")).to_have_text(["Қазақша: 2 of 3 paragraphs · 1 outdated",
                                            "English: 2 of 3 paragraphs · 1 outdated"])
    row.get_by_role("link", name="Қазақша").click()
    expect(translator).to_have_url(f"{base}{draft_path}/v/2/translate/kk")
    expect(_status(translator, "p1")).to_have_text("Current")
    expect(_status(translator, "p2")).to_have_text("Outdated")
    expect(_status(translator, "p3")).to_have_text("Current")
    changes = translator.locator("#paragraph-p2 .translate__changes")
    expect(changes).to_contain_text("The source changed since this paragraph was translated:")
    expect(changes.locator("ins")).to_have_text(["онлайн-запросы", "двадцати"])
    expect(changes.locator("del")).to_have_text(["запросы", "пятнадцати"])
    expect(translator.locator("#paragraph-p1 .translate__changes")).to_have_count(0)
    expect(translator.locator("#text-p2")).to_have_value(KK[1])   # the old text to start from
    expect(translator.locator("#edition-summary")).to_have_text(
        "2 of 3 paragraphs · 1 outdated")
    axe_check(translator)
    translator.locator("body").focus()
    _tab_to(translator, "text-p2")
    translator.keyboard.press("Control+A")
    translator.keyboard.type(KK_2_V2)
    translator.keyboard.press("Control+Enter")
    _saved(translator)
    expect(_status(translator, "p2")).to_have_text("Current")
    expect(translator.locator("#edition-summary")).to_have_text("Complete")
    translator.reload()
    expect(_status(translator, "p2")).to_have_text("Current")
    expect(translator.locator("#text-p2")).to_have_value(KK_2_V2)
    expect(translator.locator(".translate__changes")).to_have_count(0)
    _save_english(2, {"p2": EN_2_V2})

    # The researcher circulates version 2 (now with both translations complete).
    researcher.goto(draft_url)
    circulate = researcher.get_by_role("region", name="Circulate version 2 to the board")
    circulate.get_by_label("Comments due by").fill((today + timedelta(days=14)).isoformat())
    circulate.get_by_role("button", name="Circulate").click()
    expect(researcher.locator(".consequences")).to_contain_text(
        "It goes out in Русский (the source), Қазақша, English.")
    researcher.get_by_role("button", name="Freeze and circulate").click()
    expect(researcher.locator(".flashes")).to_contain_text("Version 2 is circulated to ")

    # 5. The coordinator ends the consultation and opens the round on version 2.
    coordinator = new_page()
    sign_in(coordinator, base, COORDINATOR, DEMO_PASSWORD, axe_check=lambda _page: None)
    coordinator.goto(f"{base}{SLUG}/validation")
    opening = coordinator.get_by_role("region", name="Open a validation round", exact=True)
    opening.get_by_label("Version to validate").select_option(label=f"{TITLE}, version 2")
    opening.get_by_label("Sign-offs due by").fill((today + timedelta(days=7)).isoformat())
    opening.get_by_role("button", name="Open the round").click()
    expect(coordinator.locator("h1")).to_have_text("End the consultation and open the round?")
    coordinator.get_by_role("button", name="End the consultation now and open the round").click()
    expect(coordinator).to_have_url(re.compile(re.escape(f"{base}{SLUG}/validation/") + r"\d+$"))
    round_url = coordinator.url
    expect(coordinator.locator(".flashes")).to_contain_text("The round is open")

    # The translations are frozen now.
    translator.reload()
    expect(translator.locator("main")).to_contain_text("This translation is frozen")
    expect(translator.locator("#text-p1")).to_have_count(0)

    # The active members endorse (recorded through the services: signing is tested in
    # tests/browser/test_validation.py).
    db.session.remove()
    round_ = db.session.scalar(select(ValidationRound).where(
        ValidationRound.version_id == _version(2).id))
    assessment = db.session.scalar(select(Assessment).where(Assessment.slug == DEMO_SLUG))
    manifest_sha256 = round_.version_sha256
    assert HEX64.match(manifest_sha256) and manifest_sha256 != round_.version.sha256
    for member in validation_services.active_members(assessment):
        validation_services.sign(round_, assessment, member, decision="endorse", statement="",
                                 seen_sha256=manifest_sha256, replaces=None)
    db.session.commit()
    db.session.remove()

    # Closed a week early, with a reason; then the certificate.
    coordinator.goto(f"{round_url}/close")
    coordinator.get_by_label("Why close before the deadline?").fill(
        "Every active member has responded.")
    coordinator.get_by_label("I understand that closing is final.").check()
    coordinator.get_by_role("button", name="Close the round").click()
    expect(coordinator).to_have_url(round_url)
    expect(coordinator.locator(".flashes")).to_contain_text(
        "The round is closed: the version is validated.")
    coordinator.get_by_role("link", name="Certificate").click()
    expect(coordinator).to_have_url(f"{round_url}/certificate")
    expect(coordinator.locator("h1")).to_have_text("Validation certificate")
    expect(_meta(coordinator, "SHA-256 of the editions").locator("code")).to_have_text(
        manifest_sha256)
    editions = coordinator.locator("table.manifest tbody tr")
    expect(editions).to_have_count(3)
    # The source first, then the translations in the manifest's order (by language code).
    expect(editions.locator("td:first-child")).to_have_text(["Русский", "English", "Қазақша"])
    hashes = editions.locator("code.hash").all_text_contents()
    assert len(hashes) == 3 and all(HEX64.match(h) for h in hashes), hashes
    assert len(set(hashes)) == 3, hashes
    for n in (1, 2):
        expect(editions.nth(n).locator("td").nth(1)).to_contain_text("Complete")
        expect(editions.nth(n).locator("td").nth(1)).to_contain_text("human translation")
    axe_check(coordinator)

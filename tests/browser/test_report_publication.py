"""The assessment report from Word to the public site (issue 20) in a real browser, on the demo
assessment (mab.demo, whose report is published already as release 1).

The issue's path: a researcher imports a Word document (made here with python-docx, in Kazakh,
with a bold run, a list and a table) as version 2 of a finding written in Kazakh: the preview
says what will be imported before anything is saved, then the save makes version 2. It is
circulated from the draft's page and validated (the round opened and the members' decisions
recorded through the services, the round closed early in the browser). The coordinator reads the
assembled report in Kazakh, renders its print view to PDF in Chromium (page numbers in the
footer, no line wider than the page), downloads it as Word, and publishes release 2 through its
confirmation page. An anonymous visitor (a new browser context, no cookies, a Kazakh browser) on
a 360 px phone reads the report in Kazakh with the validated text, the recommendations, the
board and the releases without scrolling sideways, and downloads the open data (a ZIP of CSV
files and data.json).

axe-core finds nothing on the import's upload and preview pages, the report, its print view, the
releases page, the confirmation page and every public page visited.

The demo assessment speaks ru, kk and en and its timezone is Asia/Almaty. Its comment policy is
lifted here (the comment path is tested in tests/browser/test_comments.py).
"""
import io
import re
import zipfile
import zlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from docx import Document
from playwright.sync_api import expect
from sqlalchemy import select, update

from mab.assessments.models import Assessment, Membership
from mab.auth.models import User
from mab.demo import DEMO_PASSWORD, SLUG as DEMO_SLUG, seed
from mab.drafts import services as draft_services
from mab.drafts.models import DraftVersion, Subject
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.releases.models import Release
from mab.validation import services as validation_services
from mab.validation.models import ValidationRound
from tests.browser.helpers import (
    PHONE,
    assert_no_sideways_scroll,
    circulate_version,
    flash,
    html_lang,
    sign_in,
)

TZ = ZoneInfo("Asia/Almaty")
A = f"/a/{DEMO_SLUG}"
P = f"/p/{DEMO_SLUG}"
RESEARCHER = "researcher@example.org"
COORDINATOR = "coordinator@example.org"
INDICATOR = "A.E.1.1"                  # no finding in the demo
TITLE = "Жеке деректерді қорғау"

KK_V1 = "Жеке деректерді қорғау туралы алғашқы жазба."
KK_1 = "Қазақстанда жеке деректерді қорғау туралы заң 2013 жылдан бері қолданылады."
KK_2 = "Мобильді қосымшалардың көпшілігі құпиялылық саясатын қазақ тілінде жарияламайды."
KK_BOLD = "Ұсыныс:"
KK_3 = "уәкілетті орган бұзушылықтар туралы жылдық есепті жариялауы керек."
KK_LIST = ["Банктер мен байланыс операторлары", "Мемлекеттік органдар"]
KK_TABLE = [("Көрсеткіш", "Мәні"), ("Сауалнамаға қатысқандар", "1 200")]
FILE_NAME = "жеке-деректер.docx"


# --- the world ----------------------------------------------------------------------------------

def _assessment():
    return db.session.scalar(select(Assessment).where(Assessment.slug == DEMO_SLUG))


def _user(email):
    return db.session.scalar(select(User).where(User.email == email))


def _demo():
    """The demo, everyone in English, the comment and translation policies lifted; a finding on
    INDICATOR written in Kazakh, its version 1 circulated (through the services). Its id."""
    seed()
    db.session.execute(update(User).values(language="en"))
    assessment = _assessment()
    assessment.require_dispositions = False
    assessment.validate_complete_only = False
    assessment.circulate_complete_only = False
    researcher = _user(RESEARCHER)
    owner = db.session.scalar(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.user_id == researcher.id))
    item = db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR, FrameworkItem.code == INDICATOR))
    draft = draft_services.create_draft(
        assessment, subject=Subject.INDICATOR, item_id=item.id, title=TITLE, owner=owner,
        body=KK_V1, actor=researcher, source_language="kk")
    draft_services.circulate(draft.versions[0], assessment,
                             deadline=assessment.today() + timedelta(days=14),
                             message="", actor=researcher)
    db.session.commit()
    draft_id = draft.id
    db.session.remove()
    return draft_id


def _word_document() -> bytes:
    """A Word document in Kazakh: two paragraphs, one with a bold run, a list and a table."""
    document = Document()
    document.add_paragraph(KK_1)
    document.add_paragraph(KK_2)
    paragraph = document.add_paragraph()
    paragraph.add_run(KK_BOLD).bold = True
    paragraph.add_run(" " + KK_3)
    for line in KK_LIST:
        document.add_paragraph(line, style="List Bullet")
    table = document.add_table(rows=len(KK_TABLE), cols=2)
    for r, row in enumerate(KK_TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _validate(draft_id, number):
    """The round on version ``number``, opened and every active member's endorsement recorded
    through the services (signing is tested in tests/browser/test_validation.py); its id."""
    assessment = _assessment()
    version = db.session.scalar(select(DraftVersion).where(
        DraftVersion.draft_id == draft_id, DraftVersion.number == number))
    round_ = validation_services.open_round(
        version, assessment, deadline=assessment.today() + timedelta(days=7),
        actor=_user(COORDINATOR), end_consultation=True)
    db.session.flush()
    for membership in validation_services.active_members(assessment):
        validation_services.sign(round_, assessment, membership, decision="endorse",
                                 statement="", seen_sha256=round_.version_sha256, replaces=None)
    db.session.commit()
    round_id = round_.id
    db.session.remove()
    return round_id


# --- the PDF ------------------------------------------------------------------------------------

def _pdf_pages_text(data: bytes) -> list[str]:
    """The text of each page of a PDF as Chromium writes it (Type0 fonts with a ToUnicode map,
    Flate-compressed streams, hex strings in Tj/TJ): a tiny parser, enough for a footer."""
    objects = {int(m.group(1)): m.start(2)
               for m in re.finditer(rb"(?<![0-9])(\d+) 0 obj\b(.)", data, re.S)}

    def header(number):   # the object's dictionary, up to its stream
        start = objects[number]
        end = data.find(b"endobj", start)
        stream = data.find(b"stream", start)
        return data[start:stream if 0 <= stream < end else end]

    def stream(number):
        start = objects[number]
        begin = data.index(b"stream", start) + len(b"stream")
        begin += 2 if data[begin:begin + 2] == b"\r\n" else 1
        raw = data[begin:]
        if b"/FlateDecode" in header(number):
            return zlib.decompressobj().decompress(raw)
        return raw[:raw.find(b"endstream")]

    def refs(text):
        return [int(n) for n in re.findall(rb"(\d+) 0 R", text)]

    def cmap(number):
        text = stream(number)
        table = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(
                    rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
                lo, hi = int(lo, 16), int(hi, 16)
                if dst.startswith(b"["):
                    for n, one in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", dst)):
                        table[lo + n] = bytes.fromhex(one.decode()).decode("utf-16-be")
                else:
                    first = int(dst[1:-1], 16)
                    for code in range(lo, hi + 1):
                        table[code] = chr(first + code - lo)
        return table

    def fonts_of(page):
        found = re.search(rb"/Font\s*(<<.*?>>|\d+ 0 R)", page, re.S)
        if not found:
            return {}
        text = found.group(1)
        if not text.startswith(b"<<"):
            text = header(refs(text)[0])
        fonts = {}
        for name, number in re.findall(rb"/([\w.+-]+)\s+(\d+) 0 R", text):
            font = header(int(number))
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            width = 2 if b"/Type0" in font else 1
            fonts[name] = (width, cmap(int(to_unicode.group(1))) if to_unicode else {})
        return fonts

    def resources(page):
        found = re.search(rb"/Resources\s+(\d+) 0 R", page)
        return header(int(found.group(1))) if found else page

    pages = []
    for number in sorted(objects):
        page = header(number)
        if not re.search(rb"/Type\s*/Page(?![s\w])", page):
            continue
        fonts = fonts_of(resources(page))
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", page)
        text, font = [], (1, {})
        for content in refs(contents.group(1)) if contents else []:
            for m in re.finditer(rb"/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>", stream(content)):
                if m.group(1) is not None:
                    font = fonts.get(m.group(1), (1, {}))
                    continue
                raw = bytes.fromhex(re.sub(rb"\s", b"", m.group(2)).decode())
                width, table = font
                for i in range(0, len(raw) - width + 1, width):
                    code = int.from_bytes(raw[i:i + width], "big")
                    text.append(table.get(code, ""))
        pages.append("".join(text))
    return pages


# --- small steps --------------------------------------------------------------------------------

def _no_axe(_page):
    """The login page is checked once (the researcher's); the others skip it."""


def _wider_than_body(page):
    """Elements wider than the body (their content or their box), as "tag.class: width"."""
    return page.evaluate("""() => {
        const limit = document.body.getBoundingClientRect().right + 1;
        const width = document.body.clientWidth + 1;
        return Array.from(document.body.querySelectorAll('*'))
          .filter(e => e.getClientRects().length)
          .filter(e => e.scrollWidth > width || e.getBoundingClientRect().right > limit)
          .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.scrollWidth}`);
    }""")


def _check_open_data(download):
    """A download of the open data: a ZIP of CSV files (with a BOM, for Excel) and data.json,
    no e-mail address in any of them."""
    assert download.suggested_filename.endswith(".zip"), download.suggested_filename
    archive = zipfile.ZipFile(download.path())
    names = archive.namelist()
    assert "data.json" in names, names
    csvs = [name for name in names if name.endswith(".csv")]
    assert len(csvs) >= 3, names
    for name in csvs:
        assert archive.read(name).startswith(b"\xef\xbb\xbf"), name
    assert not any(b"@" in archive.read(name) for name in names)


# --- the path -----------------------------------------------------------------------------------

def test_word_import_validation_publication_public_report(page, new_page, live_server, axe_check,
                                                          tmp_path):
    base = live_server
    draft_id = _demo()
    draft_url = f"{base}{A}/drafts/{draft_id}"

    # 1. The researcher imports the Word document as version 2: the preview first.
    researcher = page
    sign_in(researcher, base, RESEARCHER, DEMO_PASSWORD, axe_check=axe_check)
    expect(researcher).to_have_url(f"{base}{A}/")
    researcher.goto(f"{draft_url}/edit")   # the import sits beside the text it replaces
    researcher.get_by_role("link", name="Import a Word document").click()
    expect(researcher).to_have_url(f"{draft_url}/import")
    expect(researcher.locator("h1")).to_have_text("Import a Word document")
    expect(researcher.locator("main")).to_contain_text(
        "Version 1 is circulated and frozen: the document becomes version 2.")
    axe_check(researcher)
    researcher.get_by_label("Word document").set_input_files(files=[{
        "name": FILE_NAME, "buffer": _word_document(),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    researcher.get_by_role("button", name="Show the preview").click()
    expect(researcher.locator("h1")).to_have_text(f"Preview of “{FILE_NAME}”")
    expect(researcher.locator("main")).to_contain_text("Nothing is saved yet.")
    expect(researcher.locator("main")).to_contain_text("Saving makes it version 2.")
    preview = researcher.get_by_role("region", name="The text as it will read")
    for text in (KK_1, KK_2, KK_3, *KK_LIST, *KK_TABLE[1]):
        expect(preview).to_contain_text(text)
    expect(preview.locator("strong")).to_have_text(KK_BOLD)
    expect(preview.locator("li")).to_have_count(len(KK_LIST))
    expect(preview.locator("table")).to_have_count(1)
    axe_check(researcher)
    # The preview saved nothing.
    assert db.session.scalar(select(DraftVersion.number).where(
        DraftVersion.draft_id == draft_id).order_by(DraftVersion.number.desc())) == 1
    db.session.remove()
    researcher.get_by_label("What changed").fill("Мәтін Word құжатынан алынды.")
    researcher.get_by_role("button", name="Save as version 2").click()
    expect(researcher).to_have_url(draft_url)
    expect(flash(researcher)).to_contain_text("The Word document is saved as version 2.")
    version = db.session.scalar(select(DraftVersion).where(
        DraftVersion.draft_id == draft_id, DraftVersion.number == 2))
    assert KK_1 in version.body and f"**{KK_BOLD}**" in version.body, version.body
    db.session.remove()

    # 2. Circulated from the draft's page; the round (services), closed early in the browser.
    circulate_version(researcher, draft_url, 2, tz=TZ)
    round_id = _validate(draft_id, 2)
    coordinator = new_page()
    sign_in(coordinator, base, COORDINATOR, DEMO_PASSWORD, axe_check=_no_axe)
    expect(coordinator).to_have_url(f"{base}{A}/")
    coordinator.goto(f"{base}{A}/validation/{round_id}/close")
    coordinator.get_by_label("Why close before the deadline?").fill(
        "Every active member has responded.")
    coordinator.get_by_label("I understand that closing is final.").check()
    coordinator.get_by_role("button", name="Close the round").click()
    expect(flash(coordinator)).to_contain_text("The round is closed: the version is validated.")
    assert db.session.get(ValidationRound, round_id).passed is True
    db.session.remove()

    # 3. The coordinator reads the report in Kazakh: the validated text under its indicator.
    coordinator.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Report", exact=True).click()
    expect(coordinator).to_have_url(f"{base}{A}/report")
    coordinator.get_by_role("navigation", name="Report language").get_by_role(
        "link", name="Қазақша").click()
    report_url = f"{base}{A}/report?lang=kk"
    expect(coordinator).to_have_url(report_url)
    expect(coordinator.locator("h1")).to_have_attribute("lang", "kk")
    report = coordinator.locator("main")
    for text in (KK_1, KK_2, KK_3):
        expect(report).to_contain_text(text)
    axe_check(coordinator)

    # Its print view as a PDF: page numbers in the footer, the table of contents, nothing
    # wider than the page (the viewport: A4 less its 2 cm side margins).
    coordinator.get_by_role("link", name="Print view").click()
    expect(coordinator).to_have_url(re.compile(r"/report\?(?=.*lang=kk)(?=.*print=1)"))
    expect(coordinator.locator("main")).to_contain_text(KK_1)
    axe_check(coordinator)
    running_title = coordinator.title()   # the report's title, as the print view's <title>
    screen = coordinator.viewport_size
    coordinator.set_viewport_size({"width": 643, "height": 900})
    coordinator.emulate_media(media="print")
    toc = coordinator.locator("nav.report-toc")
    expect(toc).to_be_visible()     # printed, unlike the app's other navigation
    toc_titles = [" ".join(t.split()) for t in toc.locator("a").all_inner_texts()]
    assert not _wider_than_body(coordinator), _wider_than_body(coordinator)
    pdf = coordinator.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "report.pdf").write_bytes(pdf)
    coordinator.emulate_media(media="screen")
    coordinator.set_viewport_size(screen)
    pages = _pdf_pages_text(pdf)
    assert len(pages) > 1, len(pages)
    flat = [re.sub(r"\s", "", text) for text in pages]
    for n, text in enumerate(flat, start=1):
        assert f"{n}/{len(pages)}" in text, (n, pages[n - 1][-200:])
    # The running title in the top margin of every page but the first (which has the h1).
    running = re.sub(r"\s", "", running_title)
    assert all(running in text for text in flat[1:]), [p[:120] for p in pages]
    # The table of contents first; the validated finding later, with its Kazakh letters.
    assert toc_titles[0].replace(" ", "") in flat[0], (toc_titles[0], pages[0][:300])
    assert any(KK_1.replace(" ", "") in text for text in flat[1:])

    # The report as Word and its open data, from the report's page.
    coordinator.goto(report_url)
    with coordinator.expect_download() as downloading:
        coordinator.locator(f"main a[href='{A}/report.docx?lang=kk']").click()
    word = Document(downloading.value.path())
    assert any(KK_1 in p.text for p in word.paragraphs)
    with coordinator.expect_download() as downloading:
        coordinator.locator(f"main a[href='{A}/report-data.zip?lang=kk']").click()
    _check_open_data(downloading.value)

    # 4. The coordinator publishes release 2 through its confirmation page.
    coordinator.locator(f"main a[href='{A}/releases']").click()
    expect(coordinator).to_have_url(f"{base}{A}/releases")
    expect(coordinator.locator("h1")).to_have_text("Releases")
    axe_check(coordinator)
    coordinator.get_by_role("button", name="Publish a new release…").click()
    expect(coordinator.locator("h1")).to_have_text("Publish release 2?")
    expect(coordinator.locator("main")).to_contain_text(f"{P}/")
    assert db.session.scalar(select(Release.number).where(
        Release.assessment_id == _assessment().id).order_by(Release.number.desc())) == 1
    db.session.remove()
    axe_check(coordinator)
    coordinator.get_by_role("button", name="Publish release 2").click()
    expect(coordinator).to_have_url(f"{base}{A}/releases")
    expect(flash(coordinator)).to_contain_text("Release 2 is published.")
    expect(coordinator.locator("main table tbody tr")).to_have_count(2)
    axe_check(coordinator)

    # 5. An anonymous visitor, a Kazakh browser on a phone, no cookies.
    visitor = new_page(locale="kk-KZ", viewport=PHONE)
    assert not visitor.context.cookies()
    visitor.goto(f"{base}{P}/")
    assert html_lang(visitor) == "kk"
    expect(visitor.locator("h1")).to_have_attribute("lang", "kk")
    public_report = visitor.locator("main")
    for text in (KK_1, KK_2, KK_3, *KK_LIST):
        expect(public_report).to_contain_text(text)
    expect(public_report).not_to_contain_text(KK_V1)
    # Validated content only: no placeholder of the team's, no e-mail address; release 2's
    # manifest hash; the Kazakh edition marked as the current one.
    expect(public_report.locator(".report-placeholder")).to_have_count(0)
    assert "@" not in visitor.content()
    release = db.session.scalar(select(Release).where(
        Release.assessment_id == _assessment().id, Release.number == 2))
    expect(public_report.locator("code.hash").first).to_have_text(release.manifest_sha256)
    db.session.remove()
    expect(visitor.locator("main nav a[aria-current='page'][hreflang='kk']")).to_have_count(1)
    assert_no_sideways_scroll(visitor, "public report", slack=1)
    axe_check(visitor)
    for path in ("recommendations", "board", "releases"):
        visitor.goto(f"{base}{P}/{path}")
        assert html_lang(visitor) == "kk", path
        assert_no_sideways_scroll(visitor, path, slack=1)
        axe_check(visitor)
    # The earlier release stays readable.
    visitor.goto(f"{base}{P}/r/1/")
    expect(visitor.locator("main")).not_to_contain_text(KK_1)
    assert_no_sideways_scroll(visitor, "release 1", slack=1)
    axe_check(visitor)

    # The open data: a ZIP of CSV files and data.json, downloaded from the site's menu.
    visitor.goto(f"{base}{P}/")
    with visitor.expect_download() as downloading:
        visitor.locator(f"a[href='{P}/data.zip']").click()
    _check_open_data(downloading.value)

"""The report as Word (issue 20 item 2): the DOCX opened again with python-docx has the title
page, real heading styles in the report's order with their numbers, Kazakh letters, a list, a
table, citations as the report's numbers, provenance, and no placeholder when made from
Report.public()."""
import io

import docx
from flask import current_app

from mab.report import docx as report_docx
from tests.report.support_docx import KAZAKH_LETTERS, report


def _open(blob: bytes):
    return docx.Document(io.BytesIO(blob))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _render(made, **kw) -> bytes:
    with current_app.test_request_context("/"):
        return report_docx.render(made, **kw)


def test_headings_are_word_headings_in_the_reports_order_with_their_numbers(app):
    made = report()
    document = _open(_render(made))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    expected = [(f"Heading {s.level}", f"{s.number} {s.title}") for s in made.sections]
    # The finding's own heading ("### ...") comes one level below its section, as do the
    # recommendations' categories: neither has a number.
    assert [h for h in headings if h[1][:1].isdigit()] == expected
    assert ("Heading 2", "Құқықтар") in headings and ("Heading 2", "Қолжетімділік") in headings
    assert ("Heading 4", "Негізгі тұжырымдар") in headings
    assert headings[0] == ("Heading 1", "1 Құқықтар")
    assert ("Heading 3", "1.1.1 Ақпаратқа қол жеткізу 1") in headings


def test_the_title_page_and_kazakh_letters_survive(app):
    made = report()
    document = _open(_render(made))
    first = document.paragraphs[0]
    assert first.style.name == "Title" and first.text == made.title
    text = _text(document)
    for letter in KAZAKH_LETTERS.split():
        assert letter in text, letter
    assert made.manifest_sha256 in text
    assert "2022" in text                 # the provenance's date with its four-digit year
    assert "Қазақ" in text or "қазақ" in text       # the language named in Kazakh
    assert document.core_properties.title == made.title


def test_lists_tables_links_and_citations(app):
    made = report()
    document = _open(_render(made))
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("List Number") == 3
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[:2] == ["бірінші тармақ", "екінші тармақ"]
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Көрсеткіш", "Мәні"] in cells and ["Әйелдер", "47%"] in cells
    text = _text(document)
    # [@src-7] is the report's first reference, [@src-3] its second.
    assert "бекітілген [1], ал заң оны нақтылайды [2]" in text
    assert "@src" not in text
    body = document.element.body.xml
    assert "w:hyperlink" in body
    rels = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://adilet.zan.kz/kaz" in rels
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "Маңызды" in bold


def test_recommendations_references_gaps_and_the_annex(app):
    made = report()
    text = _text(_open(_render(made)))
    assert "1. Статистиканы жыл сайын жариялау [2]." in text
    assert "Цифрлық даму министрлігі" in text
    assert "[1]\tҚазақстан Республикасының Конституциясы" in text
    assert "R.7.1 Әзірге жоқ индикатор" in text
    document = _open(_render(made))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    # The board: a row with a small cell is hidden whole, and then the totals' genders too
    # (else the hidden row would be the totals less the rows shown).
    assert ["Үкімет", "*", "*", "*", "*", "4"] in rows
    assert ["Академиялық қауымдастық", "3", "3", "0", "0", "6"] in rows
    assert rows[-1][0] != "" and rows[-1][1:] == ["*", "*", "*", "*", "10"]
    assert "Валидациялық семинар" in text and "2022" in text


def test_a_placeholder_is_marked_for_the_team_and_absent_from_the_public_report(app):
    made = report()
    team_text = _text(_open(_render(made)))
    assert "Әзірге жоқ индикатор" in team_text
    public = made.public()
    public_doc = _open(_render(public))
    headings = [p.text for p in public_doc.paragraphs if p.style.name.startswith("Heading")]
    assert not any("Әзірге жоқ" in h for h in headings)
    with current_app.test_request_context("/"):
        from flask_babel import force_locale, gettext
        with force_locale("kk"):
            marker = gettext("Visible to the research team only.")
    assert marker in team_text and marker not in _text(public_doc)


def test_the_provenance_links_to_the_certificate_when_asked(app):
    made = report()
    blob = _render(made, certificate_url=lambda p: f"https://mab.example.org/c/{p.round_id}")
    document = _open(blob)
    rels = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://mab.example.org/c/5" in rels
    small = [p for p in document.paragraphs if "SHA-256 ab12ab12ab12" in p.text]
    assert small and all(r.font.size is not None and r.font.size.pt <= 8 for r in small[0].runs)


def test_numbered_lists_each_start_again(app):
    made = report(indicators=2, placeholder=False)
    document = _open(_render(made))
    ids = {p._p.pPr.numPr.numId.val for p in document.paragraphs
           if p.style.name == "List Number" and p._p.pPr is not None
           and p._p.pPr.numPr is not None}
    assert len(ids) == 2


def test_every_finding_is_written_once_in_order(app):
    """(Its time is the bench's: the writer appends each paragraph at the body's end, so the
    work is linear in the report's size.)"""
    made = report(indicators=40, placeholder=False)
    document = _open(_render(made))
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert titles == [f"1.1.{n} Ақпаратқа қол жеткізу {n}" for n in range(1, 41)]
    assert len(document.tables) == 40 + 2 + 1 + 1     # findings, recommendations, gaps, annex
    body = document.element.body
    assert body[-1].tag.endswith("sectPr")           # the page setup stays last

"""The report as Word and its open data over HTTP: who may download them (the report's readers;
the translator refused, an outsider told nothing, anonymous sent to sign in), their content
types and file names, the team's working copy with placeholders and the copy without, the
language asked for, and the ZIP's files."""
import io
import zipfile

import docx
import pytest

from mab.extensions import db
from tests.report.support_assembly import A, add_source, finding, set_status, world

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def w(app):
    assessment, people = world()
    source = add_source(assessment, ["R.5.1"], title="Census 2021")
    finding(assessment, people, "R.5.1", f"Freedom is guaranteed {source.reference}.\n\n"
            "Write to press@example.org for details.")
    set_status(assessment, "R.5.1", "available")
    return assessment, people


def _document(response):
    return docx.Document(io.BytesIO(response.data))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("role", ["coordinator", "researcher", "board_member", "observer"])
def test_the_reports_readers_download_the_docx_and_the_data(client, login, w, role):
    assessment, people = w
    login(people[role])
    response = client.get(f"{A}/report.docx")
    assert response.status_code == 200
    assert response.content_type == DOCX_TYPE
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "kz-2022-report-en" in disposition
    text = _text(_document(response))
    assert "Freedom is guaranteed [1]." in text and "Census 2021" in text
    data = client.get(f"{A}/report-data.zip")
    assert data.status_code == 200 and data.content_type == "application/zip"
    assert 'filename="kz-2022-report-data-en.zip"' in data.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(data.data))
    assert set(archive.namelist()) == {"README.txt", "indicators.csv", "sources.csv",
                                       "recommendations.csv", "board.csv", "data.json"}
    for name in archive.namelist():
        assert b"@" not in archive.read(name), name
    assert "Census 2021" in archive.read("sources.csv").decode("utf-8-sig")


@pytest.mark.parametrize("url", [f"{A}/report.docx", f"{A}/report-data.zip"])
def test_a_translator_is_refused_an_outsider_told_nothing_and_anonymous_sent_to_sign_in(
        client, login, w, url):
    assessment, people = w
    assert client.get(url).status_code == 302
    login(people["translator"])
    assert client.get(url).status_code == 403
    login(people["outsider"])
    assert client.get(url).status_code == 404
    assert client.get(url.replace("kz-2022", "no-such")).status_code == 404


def test_the_team_gets_its_working_copy_with_placeholders_and_the_publishers_copy_without(
        client, login, w):
    assessment, people = w
    login(people["researcher"])
    team = client.get(f"{A}/report.docx")
    assert "-team.docx" in team.headers["Content-Disposition"]
    team_text = _text(_document(team))
    assert "Visible to the research team only." in team_text
    assert "Law on access to information" in team_text          # R.7.1 has no finding
    public = client.get(f"{A}/report.docx?public=1")
    assert "-team" not in public.headers["Content-Disposition"]
    public_text = _text(_document(public))
    assert "Visible to the research team only." not in public_text
    login(people["board_member"])
    board_text = _text(_document(client.get(f"{A}/report.docx")))
    assert "Visible to the research team only." not in board_text


def test_the_language_asked_for_when_it_is_a_content_language(client, login, w):
    assessment, people = w
    assessment.languages = "en,kk"
    db.session.commit()
    login(people["coordinator"])
    response = client.get(f"{A}/report.docx?lang=kk")
    assert "kz-2022-report-kk-team.docx" in response.headers["Content-Disposition"]
    document = _document(response)
    assert document.core_properties.language == "kk"
    assert "Қазақ" in _text(document)
    # A language the assessment does not use falls back to the reader's or the first.
    other = client.get(f"{A}/report.docx?lang=de")
    assert "kz-2022-report-en-team.docx" in other.headers["Content-Disposition"]
    data = client.get(f"{A}/report-data.zip?lang=kk")
    assert "report-data-kk.zip" in data.headers["Content-Disposition"]


def test_the_provenance_links_to_the_certificate_on_the_base_url(client, login, w, app):
    assessment, people = w
    login(people["coordinator"])
    document = _document(client.get(f"{A}/report.docx"))
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    base = app.config["BASE_URL"].rstrip("/")
    assert any(link.startswith(f"{base}/a/kz-2022/validation/") and link.endswith("/certificate")
               for link in links)


def test_the_docx_of_validated_recommendations_and_the_annex(client, login, app):
    from tests.recommendations.support_followup import TEXTS, report, world as followup_world
    f = followup_world()
    report(f, "coordinator", status="implemented")
    login(f.people["board_member"])
    response = client.get(f"{A}/report.docx")
    assert response.status_code == 200
    document = _document(response)
    text = _text(document)
    for recommendation in TEXTS:
        assert recommendation in text
    assert "Implemented" in text and "High priority" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Validation rounds" in headings and "Meetings held" in headings
    # Two serving members, one in each of two groups: their genders are not shown.
    assert "* not shown: a number below 3 in this row could identify a person" in text
    data = zipfile.ZipFile(io.BytesIO(client.get(f"{A}/report-data.zip").data))
    assert TEXTS[0] in data.read("recommendations.csv").decode("utf-8-sig")

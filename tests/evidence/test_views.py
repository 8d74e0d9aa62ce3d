"""The evidence register over HTTP (issue 19 item 1): who may read and write (C, R write; B, O
read; the translator refused; an outsider finds nothing; anonymous is asked to sign in), objects
of another assessment not found, forms that keep what was typed and say what is wrong (labels,
never codes), the confirmation of a deletion, the file's download, the list's search and pages,
the links from the catalogue and the draft page, and as many queries for 40 sources as for 3."""
import html as html_lib
import re

import pytest
from sqlalchemy import select

from mab.drafts.models import Draft
from mab.evidence.models import DataStatus, IndicatorEvidence, Source
from mab.extensions import db
from tests.drafts.support import circulate, make_draft
from tests.evidence.support_evidence import (
    A,
    PDF,
    add_source,
    counts,
    indicator,
    own_framework,
    world,
)
from tests.factories import make_assessment, make_member, sign_in_client
from tests.querycount import counting

READERS = ("coordinator", "researcher", "board_member", "observer")
WRITERS = ("coordinator", "researcher")


@pytest.fixture
def w(app):
    assessment, people = world()
    source = add_source(assessment, people["researcher"], title="ICT household survey",
                        publisher="Bureau of National Statistics", data_year=2021,
                        kind="official_statistics", url="https://stat.gov.kz/ict",
                        codes=["A.3.1"], filename="survey.pdf", data=PDF,
                        gender_disaggregated=True, other_dimensions="age, region")
    return assessment, people, source


def text_of(response, status=200) -> str:
    assert response.status_code == status, (response.status_code, response.location)
    return response.get_data(as_text=True)


def plain(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def as_(client, user):
    sign_in_client(client, user)


def urls(assessment, source):
    item = indicator(assessment, "A.3.1")
    return {
        "indicator": f"{A}/framework/{item.id}/evidence",
        "sources": f"{A}/sources",
        "new": f"{A}/sources/new",
        "source": f"{A}/sources/{source.id}",
        "edit": f"{A}/sources/{source.id}/edit",
        "file": f"{A}/sources/{source.id}/file",
    }


# --- who may do what ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", READERS)
def test_members_read_the_register(client, w, role):
    assessment, people, source = w
    as_(client, people[role])
    pages = urls(assessment, source)
    for name in ("indicator", "sources", "source", "file"):
        response = client.get(pages[name])
        assert response.status_code == 200, (name, response.status_code)
    for name in ("new", "edit"):
        assert client.get(pages[name]).status_code == (200 if role in WRITERS else 403), name


def test_the_translator_is_refused_and_an_outsider_finds_nothing(client, w):
    assessment, people, source = w
    pages = urls(assessment, source)
    as_(client, people["translator"])
    assert {client.get(u).status_code for u in pages.values()} == {403}
    as_(client, people["outsider"])
    assert {client.get(u).status_code for u in pages.values()} == {404}


def test_anonymous_is_asked_to_sign_in(client, w):
    assessment, people, source = w
    for url in urls(assessment, source).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url
    response = client.post(f"{A}/sources/new", data={"title": "X"})
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("role", ("board_member", "observer", "translator"))
def test_readers_cannot_write(client, w, role):
    assessment, people, source = w
    item = indicator(assessment, "R.5.1")
    as_(client, people[role])
    before = counts()
    posts = {
        f"{A}/sources/new": {"title": "Mine", "kind": "other"},
        f"{A}/sources/{source.id}/edit": {"title": "Changed", "kind": "other"},
        f"{A}/sources/{source.id}/delete": {"confirm": "1"},
        f"{A}/framework/{item.id}/evidence": {"data_status": "available"},
        f"{A}/framework/{item.id}/evidence/link": {"source_id": source.id},
        f"{A}/framework/{item.id}/evidence/unlink": {"source_id": source.id},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == 403, url
    assert counts() == before
    assert db.session.get(Source, source.id).title == "ICT household survey"


def test_objects_of_another_assessment_or_framework_are_not_found(client, w):
    assessment, people, source = w
    other = make_assessment(slug="uz-2023")
    foreign_item = own_framework(other)
    theirs = add_source(other, make_member(other, "researcher"), title="Theirs",
                        filename="theirs.pdf", data=PDF)
    question = indicator(assessment, "A.3.1").parent_id
    as_(client, people["coordinator"])
    before = counts()
    for item_id in (foreign_item.id, question, 987654):
        assert client.get(f"{A}/framework/{item_id}/evidence").status_code == 404
        assert client.post(f"{A}/framework/{item_id}/evidence",
                           data={"data_status": "available"}).status_code == 404
        assert client.post(f"{A}/framework/{item_id}/evidence/link",
                           data={"source_id": source.id}).status_code == 404
    for suffix in ("", "/edit", "/file"):
        assert client.get(f"{A}/sources/{theirs.id}{suffix}").status_code == 404, suffix
    assert client.post(f"{A}/sources/{theirs.id}/edit",
                       data={"title": "Mine now", "kind": "other"}).status_code == 404
    assert client.post(f"{A}/sources/{theirs.id}/delete",
                       data={"confirm": "1"}).status_code == 404
    # Their source named in a link form of ours: refused with a message, nothing linked.
    item = indicator(assessment, "R.5.1")
    response = client.post(f"{A}/framework/{item.id}/evidence/link",
                           data={"source_id": theirs.id}, follow_redirects=True)
    assert "Choose one of this assessment&#39;s sources." in text_of(response)
    assert counts() == before and db.session.get(Source, theirs.id).title == "Theirs"


# --- the indicator's page -----------------------------------------------------------------------

def test_the_indicator_page_shows_its_evidence_and_the_team_s_forms(client, w):
    assessment, people, source = w
    item = indicator(assessment, "A.3.1")
    other = add_source(assessment, people["researcher"], title="Mobile operators' report")
    as_(client, people["researcher"])
    page = text_of(client.get(f"{A}/framework/{item.id}/evidence"))
    assert "Evidence for A.3.1" in page and "Share of adults using the Internet" in page
    assert "Not yet assessed" in page
    row = plain(page[page.index('id="sources-caption"'):page.index("</table>")])
    assert "ICT household survey" in row and "Bureau of National Statistics" in row
    assert "2021" in row and "Official statistics" in row and "By gender; age, region" in row
    assert "survey.pdf" in row and "[@src-1]" in row
    assert "official_statistics" not in plain(page)
    # Link an existing source (not those linked already); add a new one for this indicator.
    start = page.index('id="source_id"')
    select_ = page[start:page.index("</select>", start)]
    assert f'value="{other.id}"' in select_ and f'value="{source.id}"' not in select_
    assert f'href="{A}/sources/new?item={item.id}"' in page
    # The data status select shows labels.
    status = page[page.index('id="data_status"'):]
    status = status[:status.index("</select>")]
    assert "Partial data" in status and ">no_data<" not in status


def test_board_members_read_the_indicator_page_without_forms(client, w):
    assessment, people, source = w
    as_(client, people["board_member"])
    page = text_of(client.get(f"{A}/framework/{indicator(assessment, 'A.3.1').id}/evidence"))
    assert "ICT household survey" in page
    assert "<form" not in page.split('<main')[1].split("</main>")[0]
    assert "Cite as" not in page and "/sources/new" not in page


def test_the_data_status_is_saved_and_a_bad_one_keeps_the_note(client, w):
    assessment, people, source = w
    item = indicator(assessment, "A.3.1")
    as_(client, people["researcher"])
    url = f"{A}/framework/{item.id}/evidence"
    response = client.post(url, data={"data_status": "plenty", "quality_note": "Kept note"})
    page = text_of(response, 422)
    assert "Kept note" in page and "Not a valid choice" in page
    assert db.session.scalar(select(IndicatorEvidence)) is None
    response = client.post(url, data={"data_status": "partial",
                                      "quality_note": "Rural areas undersampled."})
    assert response.status_code == 302 and response.location.endswith(url)
    row = db.session.scalar(select(IndicatorEvidence))
    assert (row.data_status, row.quality_note) == (DataStatus.PARTIAL,
                                                   "Rural areas undersampled.")
    page = text_of(client.get(url))
    assert "Partial data" in page and "Rural areas undersampled." in page


def test_linking_and_unlinking_a_source(client, w):
    assessment, people, source = w
    item = indicator(assessment, "R.5.1")
    as_(client, people["researcher"])
    url = f"{A}/framework/{item.id}/evidence"
    page = text_of(client.post(f"{url}/link", data={"source_id": source.id},
                               follow_redirects=True))
    assert "[@src-1] now serves R.5.1." in page
    assert [i.code for i in db.session.get(Source, source.id).indicators] == ["R.5.1", "A.3.1"]
    page = text_of(client.post(f"{url}/unlink", data={"source_id": source.id},
                               follow_redirects=True))
    assert "no longer serves R.5.1" in page
    assert [i.code for i in db.session.get(Source, source.id).indicators] == ["A.3.1"]
    page = text_of(client.post(f"{url}/link", data={}, follow_redirects=True))
    assert "Choose one of this assessment&#39;s sources." in page


# --- the source's form --------------------------------------------------------------------------

def test_a_new_source_for_an_indicator_is_linked_and_leads_back(client, w):
    assessment, people, source = w
    item = indicator(assessment, "R.7.1")
    as_(client, people["researcher"])
    form = text_of(client.get(f"{A}/sources/new?item={item.id}"))
    chosen = re.search(rf'<option[^>]*selected[^>]*value="{item.id}"|'
                       rf'<option[^>]*value="{item.id}"[^>]*selected', form)
    assert chosen, "the indicator is chosen already"
    kinds = form[form.index('id="kind"'):]
    kinds = kinds[:kinds.index("</select>")]
    assert ">Official statistics<" in kinds and ">official_statistics<" not in kinds
    response = client.post(f"{A}/sources/new?item={item.id}", data={
        "title": "Law on access to information", "publisher": "Parliament", "data_year": "2015",
        "kind": "legal_text", "url": "https://adilet.zan.kz/", "indicators": [str(item.id)]})
    assert response.status_code == 302
    assert response.location.endswith(f"/framework/{item.id}/evidence")
    created = db.session.scalar(select(Source).where(Source.number == 2))
    assert created.title == "Law on access to information"
    assert [i.code for i in created.indicators] == ["R.7.1"]
    page = text_of(client.get(response.location))
    assert "Cite it in a finding as [@src-2]." in page and "Law on access to information" in page


@pytest.mark.parametrize("data, field, message", [
    ({"title": ""}, "title", "Give the source a title."),
    ({"data_year": "2999"}, "data_year", "The year of the data cannot be in the future"),
    ({"data_year": "1850"}, "data_year", "1900 or later"),
    ({"data_year": "twenty"}, "data_year", "Not a valid integer value"),
    ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
])
def test_a_refused_source_keeps_what_was_typed(client, w, data, field, message):
    assessment, people, source = w
    as_(client, people["researcher"])
    before = counts()
    sent = {"title": "Telecom tariffs", "publisher": "Регулятор связи", "kind": "survey",
            "verification": "Table 3, page 12", "other_dimensions": "region",
            "indicators": [str(indicator(assessment, "A.6.1").id)], **data}
    page = text_of(client.post(f"{A}/sources/new", data=sent), 422)
    assert message in html_lib.unescape(page)
    assert f'id="{field}-error"' in page and 'class="error-summary"' in page
    for value in ("Регулятор связи", "Table 3, page 12", "region"):
        assert value in page
    if data.get("title", "x"):
        assert 'value="Telecom tariffs"' in page
    assert re.search(r'<option selected value="survey">|<option value="survey" selected',
                     page)
    assert counts() == before


def test_a_refused_file_says_why_and_keeps_the_rest(client, w):
    assessment, people, source = w
    as_(client, people["researcher"])
    before = counts()
    import io
    response = client.post(f"{A}/sources/new", data={
        "title": "Scanned table", "kind": "other",
        "file": (io.BytesIO(b"MZ\x90\x00not a pdf"), "table.pdf")},
        content_type="multipart/form-data")
    page = html_lib.unescape(text_of(response, 422))
    assert "“table.pdf” was not attached:" in page and "is not a .pdf file" in page
    assert 'value="Scanned table"' in page and counts() == before
    response = client.post(f"{A}/sources/new", data={
        "title": "Scanned table", "kind": "other", "file": (io.BytesIO(PDF), "table.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    created = db.session.scalar(select(Source).where(Source.title == "Scanned table"))
    download = client.get(f"{A}/sources/{created.id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_source_without_a_file_has_no_download(client, w):
    assessment, people, source = w
    bare = add_source(assessment, people["researcher"], title="No file")
    as_(client, people["board_member"])
    assert client.get(f"{A}/sources/{bare.id}/file").status_code == 404


def test_an_indicator_of_another_framework_is_refused_on_the_form(client, w):
    assessment, people, source = w
    other = make_assessment(slug="uz-2023")
    foreign = own_framework(other)
    db.session.commit()
    as_(client, people["researcher"])
    before = counts()
    page = text_of(client.post(f"{A}/sources/new", data={
        "title": "Sneaky", "kind": "other", "indicators": [str(foreign.id)]}), 422)
    assert "Choose indicators of this assessment's framework." in html_lib.unescape(page)
    assert 'id="indicators-error"' in page and 'value="Sneaky"' in page
    assert counts() == before


def test_editing_a_source_keeps_its_reference(client, w):
    assessment, people, source = w
    as_(client, people["coordinator"])
    form = text_of(client.get(f"{A}/sources/{source.id}/edit"))
    assert 'value="ICT household survey"' in form and "Its reference stays [@src-1]" in form
    assert "Attached now: survey.pdf" in form
    response = client.post(f"{A}/sources/{source.id}/edit", data={
        "title": "ICT use survey", "publisher": "Bureau", "data_year": "2020", "kind": "survey",
        "indicators": [str(indicator(assessment, "A.3.1").id),
                       str(indicator(assessment, "A.3.2").id)], "remove_file": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Source, source.id)
    assert (changed.number, changed.title, changed.data_year) == (1, "ICT use survey", 2020)
    assert [i.code for i in changed.indicators] == ["A.3.1", "A.3.2"]
    assert not changed.has_file and not changed.gender_disaggregated
    page = text_of(client.get(response.location))
    assert "Survey" in page and "A.3.2" in page
    response = client.post(f"{A}/sources/{source.id}/edit", data={
        "title": "", "publisher": "Kept publisher", "kind": "survey"})
    page = text_of(response, 422)
    assert "Kept publisher" in page and db.session.get(Source, source.id).title == "ICT use survey"


# --- deleting -----------------------------------------------------------------------------------

def test_deleting_asks_first_and_names_the_consequences(client, w):
    assessment, people, source = w
    as_(client, people["researcher"])
    before = counts()
    page = plain(text_of(client.post(f"{A}/sources/{source.id}/delete")))
    assert "Delete the source [@src-1]?" in page
    assert "“ICT household survey” ([@src-1]) is deleted from the evidence register" in page
    assert "1 indicator loses it as a source: A.3.1." in page
    assert "Its file “survey.pdf” can no longer be downloaded." in page
    assert counts() == before
    response = client.post(f"{A}/sources/{source.id}/delete", data={"confirm": "1"})
    assert response.status_code == 302 and response.location.endswith(f"{A}/sources")
    assert db.session.get(Source, source.id) is None
    assert "The source [@src-1] is deleted." in text_of(client.get(response.location))


def test_a_cited_source_cannot_be_deleted(client, w):
    assessment, people, source = w
    make_draft(assessment, people["researcher"], "Most adults are online [@src-1].",
               title="Access findings")
    as_(client, people["researcher"])
    before = counts()
    for data in ({}, {"confirm": "1"}):
        response = client.post(f"{A}/sources/{source.id}/delete", data=data,
                               follow_redirects=True)
        page = html_lib.unescape(text_of(response))
        assert "[@src-1] cannot be deleted: 1 versions or translations cite it (the first: " \
               "“Access findings”, version 1)." in page
    assert counts() == before


# --- the list of sources ------------------------------------------------------------------------

def test_the_list_searches_title_and_publisher_and_pages_by_fifty(client, w):
    assessment, people, source = w
    researcher = people["researcher"]
    add_source(assessment, researcher, title="Закон «Об информатизации»", publisher="Парламент",
               commit=False)
    for n in range(3, 56):
        add_source(assessment, researcher, title=f"Source {n}", publisher="Various",
                   commit=False)
    db.session.commit()
    as_(client, people["observer"])
    page = text_of(client.get(f"{A}/sources"))
    assert "55 sources" in page and "Page 1 of 2" in page
    assert page.count("<tr>") == 51 and "Reference" in page and "Cite as" not in page
    assert "Source 55" not in page
    page = text_of(client.get(f"{A}/sources?page=2"))
    assert "Source 55" in page and page.count("<tr>") == 6
    page = text_of(client.get(f"{A}/sources?q=%D0%BE%D0%B1+%D0%B8%D0%BD%D1%84"))   # "об инф"
    assert "Закон" in page and "ICT household survey" not in page
    page = text_of(client.get(f"{A}/sources?q=bureau"))
    assert "ICT household survey" in page and "Source 3<" not in page
    page = text_of(client.get(f"{A}/sources?q=%25"))       # % is a letter, not a wildcard
    assert "No source matches" in page
    row = plain(text_of(client.get(f"{A}/sources?q=ICT")).split('id="sources-caption"')[1])
    assert "[@src-1] ICT household survey Bureau of National Statistics 2021 Official " \
           "statistics 1" in row


def test_the_team_sees_how_to_cite(client, w):
    assessment, people, source = w
    as_(client, people["researcher"])
    page = text_of(client.get(f"{A}/sources"))
    assert "Cite as" in page and "Add a source" in page
    page = text_of(client.get(f"{A}/sources/{source.id}"))
    assert "Cite as" in page and "<code>[@src-1]</code>" in page and "Cited in" in page
    as_(client, people["board_member"])
    page = text_of(client.get(f"{A}/sources/{source.id}"))
    assert "Cited in" not in page and "Delete this source" not in page


# --- links from the catalogue and the draft page ------------------------------------------------

def test_the_catalogue_and_an_indicator_finding_link_to_the_evidence(client, w):
    assessment, people, source = w
    item = indicator(assessment, "A.3.1")
    draft = make_draft(assessment, people["researcher"], "Text [@src-1].", subject="indicator",
                       item_id=item.id, title="Internet use")
    circulate(draft, assessment, people["researcher"])
    as_(client, people["board_member"])
    page = text_of(client.get(f"{A}/framework"))
    assert f'href="{A}/framework/{item.id}/evidence"' in page
    page = text_of(client.get(f"{A}/drafts/{draft.id}"))
    assert f'href="{A}/framework/{item.id}/evidence"' in page and "Evidence for A.3.1" in page
    report = make_draft(assessment, people["researcher"], "Report.", title="Report")
    circulate(report, assessment, people["researcher"])
    assert not re.search(r"/framework/\d+/evidence", text_of(client.get(f"{A}/drafts/{report.id}")))


# --- saving text with an unknown reference, over HTTP ---------------------------------------------

def test_the_draft_editor_keeps_the_text_and_says_which_reference_is_unknown(client, w):
    assessment, people, source = w
    draft = make_draft(assessment, people["researcher"], "First [@src-1].")
    as_(client, people["researcher"])
    before = counts()
    version = draft.versions[0]
    response = client.post(f"{A}/drafts/{draft.id}/edit", data={
        "body": "My new text cites [@src-1] and [@src-42].", "change_summary": "",
        "base_revision": str(version.revision), "base_number": "1"})
    page = html_lib.unescape(text_of(response, 422))
    assert "Unknown source reference [@src-42]: add the source to the evidence register or " \
           "correct the reference." in page
    assert "My new text cites [@src-1] and [@src-42]." in page and 'id="body-error"' in page
    assert counts() == before
    assert db.session.get(Draft, draft.id).versions[0].body == "First [@src-1]."
    response = client.post(f"{A}/drafts/new", data={
        "title": "New finding", "subject": "report", "body": "Cites [@src-7].",
        "source_language": "ru"})
    page = html_lib.unescape(text_of(response, 422))
    assert "Unknown source reference [@src-7]" in page and "Cites [@src-7]." in page
    assert counts() == before


def test_the_translation_editor_refuses_an_unknown_reference(client, w):
    assessment, people, source = w
    draft = make_draft(assessment, people["researcher"], "Growth [@src-1].")
    as_(client, people["translator"])
    before = counts()
    response = client.post(f"{A}/drafts/{draft.id}/v/1/translate/kk", data={
        "block_id": "p1", "text": "Өсу [@src-3].", "revision": "0"})
    page = html_lib.unescape(text_of(response, 422))
    assert "Unknown source reference [@src-3]" in page and "Өсу [@src-3]." in page
    assert counts() == before


# --- queries ------------------------------------------------------------------------------------

def test_the_pages_make_as_many_queries_for_40_sources_as_for_3(client, w):
    assessment, people, source = w
    researcher = people["researcher"]
    item = indicator(assessment, "A.3.1")
    add_source(assessment, researcher, title="Second", codes=["A.3.1", "R.5.1"])
    add_source(assessment, researcher, title="Third", codes=["A.6.1"])
    as_(client, researcher)
    pages = [f"{A}/sources", f"{A}/framework/{item.id}/evidence", f"{A}/sources?q=s"]

    def measure():
        found = []
        for url in pages:
            client.get(url)
            with counting() as statements:
                text_of(client.get(url))
            found.append(len(statements))
        return found

    few = measure()
    for n in range(37):
        add_source(assessment, researcher, title=f"Source {n}", commit=False,
                   codes=["A.3.1", "A.3.2"] if n % 2 else ["R.5.1"])
    db.session.commit()
    many = measure()
    assert many == few
    assert len(db.session.scalars(select(Source)).all()) == 40

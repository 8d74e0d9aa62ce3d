"""Citations (issue 19 item 1): a version's ``[@src-N]`` render as numbered citations, linked to
a references list that follows the text (on screen and in print), numbered by first appearance;
the sources are read once per page; code, links and unknown numbers are handled; translations
are numbered as their source is."""
import re

import pytest
from sqlalchemy import select

from mab.evidence import citations
from mab.evidence.models import Source, SourceKind
from mab.extensions import db
from mab.markdown import render_paragraph
from tests.drafts.editions_support import translate
from tests.drafts.support import circulate, make_draft
from tests.evidence.support_evidence import A, add_source, world
from tests.querycount import counting

BOOKKEEPING = ("INSERT INTO version_views", "INSERT INTO visits")


def _sources(*specs) -> dict[int, Source]:
    return {n: Source(number=n, title=title, publisher=publisher, data_year=year,
                      kind=SourceKind.SURVEY)
            for n, title, publisher, year in specs}


def cites(texts, *specs) -> citations.Citations:
    from mab.evidence import rules
    sources = _sources(*specs)
    return citations.Citations(numbers=rules.numbering(texts, set(sources)), sources=sources,
                               cited=True)


# --- the post-processing of a paragraph's HTML -------------------------------------------------

def test_a_reference_becomes_a_numbered_citation_with_its_hover(app):
    text = "Most adults use the Internet [@src-12]."
    c = cites([text], (12, "ICT survey", "Bureau of National Statistics", 2021))
    html = str(c.html(render_paragraph(text)))
    assert ('<sup class="cite"><a href="#ref-12" title="ICT survey, Bureau of National '
            'Statistics, 2021">[1]</a></sup>') in html
    assert "[@src-12]" not in html


def test_citations_are_numbered_by_first_appearance(app):
    texts = ["[@src-7] and [@src-3].", "[@src-3] again, then [@src-5]."]
    c = cites(texts, (3, "Three", "", None), (5, "Five", "", None), (7, "Seven", "", None))
    first = str(c.html(render_paragraph(texts[0])))
    second = str(c.html(render_paragraph(texts[1])))
    assert re.findall(r'href="#ref-(\d+)"[^>]*>\[(\d+)\]', first) == [("7", "1"), ("3", "2")]
    assert re.findall(r'href="#ref-(\d+)"[^>]*>\[(\d+)\]', second) == [("3", "2"), ("5", "3")]
    assert [(r.number, r.source.number) for r in c.references] == [(1, 7), (2, 3), (3, 5)]


def test_the_hover_is_escaped_and_leaves_out_what_is_missing(app):
    text = "See [@src-1]."
    c = cites([text], (1, 'A "quoted" <b>title</b> & more', "", None))
    html = str(c.html(render_paragraph(text)))
    assert 'title="A &#34;quoted&#34; &lt;b&gt;title&lt;/b&gt; &amp; more"' in html
    assert "<b>" not in html


def test_an_unknown_number_shows_a_question_mark_with_hidden_words(app, request_context):
    text = "Known [@src-1], unknown [@src-99]."
    c = cites([text], (1, "Known", "", None))
    html = str(c.html(render_paragraph(text)))
    assert '<sup class="cite cite--unknown">[?]<span class="visually-hidden"> ' \
           '(unknown source [@src-99])</span></sup>' in html
    assert [r.source.number for r in c.references] == [1]


def test_code_and_links_keep_the_reference_as_written(app):
    text = "Write `[@src-1]` to cite; [see [@src-1]](https://example.org) or [@src-1]."
    c = cites([text], (1, "One", "", None))
    html = str(c.html(render_paragraph(text)))
    assert "<code>[@src-1]</code>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">see [@src-1]</a>' \
        in html
    assert html.count('class="cite"') == 1


def test_a_paragraph_without_references_is_left_as_it_is(app):
    c = cites(["[@src-1]"], (1, "One", "", None))
    rendered = render_paragraph("Plain text with [brackets] and @src-1.")
    assert str(c.html(rendered)) == str(rendered)


def test_what_the_sanitiser_removed_cannot_come_back(app):
    text = '<script>alert(1)</script> [@src-1] <img src=x onerror=alert(1)>'
    c = cites([text], (1, "<script>x</script>", "", None))
    html = str(c.html(render_paragraph(text)))
    assert "<script" not in html and "onerror" not in html and "<img" not in html
    assert 'title="&lt;script&gt;x&lt;/script&gt;"' in html


# --- reading the sources ------------------------------------------------------------------------

def test_the_sources_are_read_in_one_query_and_none_without_references(app):
    assessment, people = world()
    for n in range(3):
        add_source(assessment, people["researcher"], title=f"Source {n + 1}")
    assert assessment.id   # loaded again after the commits, before counting
    with counting() as none:
        found = citations.of_texts(assessment, ["No reference.", None, ""])
    assert none == [] and not found
    with counting() as one:
        found = citations.of_texts(assessment, ["[@src-3] [@src-1]", "[@src-99] [@src-3]"])
    assert len(one) == 1
    assert found.numbers == {3: 1, 1: 2}
    assert [r.source.title for r in found.references] == ["Source 3", "Source 1"]


def test_another_assessments_sources_are_not_cited(app):
    assessment, people = world()
    add_source(assessment, people["researcher"], title="Ours")
    from tests.factories import make_assessment
    other = make_assessment(slug="uz-2023")
    db.session.add(Source(assessment_id=other.id, number=2, title="Theirs"))
    db.session.commit()
    found = citations.of_texts(assessment, ["[@src-1] [@src-2]"])
    assert list(found.sources) == [1] and found.numbers == {1: 1}


# --- the version page ---------------------------------------------------------------------------

BODY = ("Internet use grew [@src-2].\n\n"
        "Prices fell [@src-1], as the regulator says [@src-2].\n\n"
        "No source here.")


@pytest.fixture
def cited():
    assessment, people = world()
    researcher = people["researcher"]
    add_source(assessment, researcher, title="Tariff review", publisher="Regulator",
               data_year=2020, url="https://regulator.example.org/tariffs")
    add_source(assessment, researcher, title="ICT household survey",
               publisher="Bureau of National Statistics", data_year=2021,
               kind="official_statistics")
    draft = make_draft(assessment, researcher, BODY, title="Access findings")
    return assessment, people, draft


def _page(client, draft, query=""):
    response = client.get(f"{A}/drafts/{draft.id}/v/1{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _references(page):
    start = page.index('class="references"')
    return page[start:page.index("</section>", start)]


def test_the_version_page_numbers_citations_and_lists_the_references(client, login, cited):
    assessment, people, draft = cited
    login(people["researcher"])
    page = _page(client, draft)
    body = page[page.index('class="draft-body'):page.index("</article>")]
    assert re.findall(r'href="#ref-(\d+)" title="([^"]*)">\[(\d+)\]', body) == [
        ("2", "ICT household survey, Bureau of National Statistics, 2021", "1"),
        ("1", "Tariff review, Regulator, 2020", "2"),
        ("2", "ICT household survey, Bureau of National Statistics, 2021", "1")]
    assert "[@src-" not in body
    refs = _references(page)
    assert page.index('class="references"') > page.index("</article>")   # after the text
    assert "<h2" in refs and "References" in refs
    items = re.findall(r'<li id="ref-(\d+)">(.*?)</li>', refs, re.S)
    assert [n for n, _ in items] == ["2", "1"]            # in citation order: ol numbers 1, 2
    first = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", items[0][1])).strip()
    assert first == "ICT household survey, Bureau of National Statistics, 2021. Official statistics"
    assert 'href="https://regulator.example.org/tariffs"' in items[1][1]


def test_a_board_member_reads_the_citations_of_a_circulated_version(client, login, cited):
    assessment, people, draft = cited
    circulate(draft, assessment, people["researcher"])
    login(people["board_member"])
    page = _page(client, draft)
    assert page.count('class="cite"') == 3 and 'id="ref-1"' in page and 'id="ref-2"' in page


def test_a_version_without_references_has_no_list(client, login):
    assessment, people = world()
    draft = make_draft(assessment, people["researcher"], "Plain text.")
    login(people["researcher"])
    page = _page(client, draft)
    assert 'class="references"' not in page and 'class="cite' not in page


def test_the_references_list_is_kept_in_print(client):
    css = client.get("/static/css/mab.css").get_data(as_text=True)
    prints = re.findall(r"@media print\s*\{(.*?)\n\}", css, re.S)
    hidden = [rule for p in prints for rule in re.findall(r"([^{}]*)\{[^}]*display: none", p)]
    assert hidden and not any("references" in selectors or "cite" in selectors
                              for selectors in hidden)
    assert any(".references { display: block" in p for p in prints)


def test_a_translation_is_numbered_as_its_source(client, login, cited):
    assessment, people, draft = cited
    version = draft.versions[-1]
    translate(version, "kk", {"p1": "Интернетті пайдалану өсті [@src-2].",
                              "p2": "Бағалар төмендеді [@src-1], реттеуші айтқандай [@src-2].",
                              "p3": "Мұнда дереккөз жоқ."})
    login(people["researcher"])
    page = _page(client, draft, "?edition=kk")
    block = page[page.index('id="p2"'):page.index('id="p3"')]
    assert re.findall(r'href="#ref-(\d+)"[^>]*>\[(\d+)\]', block)[:2] == [("1", "2"), ("2", "1")]
    assert "[@src-" not in page[page.index('class="draft-body'):page.index("</article>")]


def test_the_page_reads_the_sources_once_whatever_their_number(client, login):
    assessment, people = world()
    researcher = people["researcher"]
    add_source(assessment, researcher, title="First")
    small = make_draft(assessment, researcher, "One [@src-1].", title="Small")
    for n in range(2, 31):
        add_source(assessment, researcher, title=f"Source {n}", commit=False)
    db.session.commit()
    large = make_draft(assessment, researcher,
                       "\n\n".join(f"Paragraph [@src-{n}] and [@src-1]." for n in range(1, 31)),
                       title="Large")
    login(researcher)

    def count(draft):
        _page(client, draft)
        with counting() as statements:
            _page(client, draft)
        return [s for s in statements if not s.startswith(BOOKKEEPING)]

    few, many = count(small), count(large)
    assert len(few) == len(many)
    assert sum("FROM sources" in s for s in many) == 1


def test_the_editor_s_preview_shows_the_citations_and_unknown_ones(client, login, cited):
    assessment, people, draft = cited
    login(people["researcher"])
    version = draft.versions[-1]
    response = client.post(f"{A}/drafts/{draft.id}/edit", data={
        "body": "Grew [@src-2], fell [@src-1], unsure [@src-9].", "change_summary": "",
        "base_revision": str(version.revision), "base_number": "1", "preview": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    preview = page[page.index('id="preview-heading"'):]
    assert re.findall(r'href="#ref-(\d+)"[^>]*>\[(\d+)\]', preview) == [("2", "1"), ("1", "2")]
    assert "cite--unknown" in preview and 'id="ref-2"' in preview
    assert db.session.get(type(version), version.id).body == BODY     # a preview saves nothing


def test_a_member_quotes_a_passage_across_a_citation(client, login, cited):
    from mab.comments.models import Comment
    assessment, people, draft = cited
    version = circulate(draft, assessment, people["researcher"])
    login(people["board_member"])
    response = client.post(f"{A}/drafts/{draft.id}/v/1/comments", data={
        "block_id": "p2", "quote": "Prices fell [2], as the regulator says [1].",
        "body": "Which year?"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    comment = db.session.scalar(select(Comment).where(Comment.version_id == version.id))
    assert comment.quote == "Prices fell [2], as the regulator says [1]."
    page = _page(client, draft, f"?comment={comment.id}")
    block = page[page.index('id="p2"'):page.index('id="p3"')]
    assert "<mark>" in block and "not in this version as written" not in block
    assert re.findall(r'href="#ref-(\d+)"[^>]*>(?:<mark>)?\[(\d+)\]', block) == [("1", "2"),
                                                                               ("2", "1")]


@pytest.mark.parametrize("quote, expected", [
    ("Prices fell [2], as the regulator says", True),       # as shown
    ("Prices fell [@src-1], as", True),                      # as written
    ("fell [?], as", True),                                  # an unknown one as shown
    ("Prices fell, as the regulator", True),                 # without the number
    ("Prices rose [2]", False),
    ("[2]", False),                                          # a citation alone is no passage
])
def test_a_quote_is_compared_citations_aside(quote, expected):
    from mab.comments import rules as comment_rules
    source = "Prices fell [@src-1], as the regulator says [@src-2]."
    shown = comment_rules.plain_text(str(render_paragraph(source)))
    assert comment_rules.quote_in(quote, shown, source) is expected

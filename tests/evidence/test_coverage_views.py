"""The coverage dashboard over HTTP: who may see it, its figures, filters, pages, the CSVs, and
as many queries for 40 indicators as for 5."""
import html as html_lib
import re
from datetime import timedelta

import pytest

from mab.assessments.models import Role
from mab.evidence.models import Source, source_indicators
from mab.extensions import db
from mab.types import utcnow
from mab.validation.models import ValidationRound
from tests.drafts.support import circulate
from tests.evidence.support_coverage import (
    A,
    add_source,
    csv_rows,
    import_sample,
    indicator,
    indicator_draft,
    many_indicators_csv,
    set_status,
    world,
)
from tests.factories import make_member
from tests.querycount import counting


@pytest.fixture
def w(app):
    return world()


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def plain(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table(html: str, caption_id: str) -> list[list[str]]:
    """The cells (as plain text) of each row of the table with this caption, header included."""
    start = html.index(f'id="{caption_id}"')
    body = html[start:html.index("</table>", start)]
    return [[plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.DOTALL)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def indicators_shown(html: str) -> list[str]:
    if 'id="indicators-caption"' not in html:
        return []
    return [row[0].split()[0] for row in table(html, "indicators-caption")[1:]]


def gaps_section(html: str) -> str:
    return plain(html[html.index('id="gaps-heading"'):])


def add_round(assessment, version, *, passed=None, closed=False):
    db.session.add(ValidationRound(
        assessment_id=assessment.id, version_id=version.id,
        version_sha256=version.sha256 or "0" * 64, deadline=assessment.today() + timedelta(days=7),
        rule={}, closed_at=utcnow() if closed else None, passed=passed))
    db.session.commit()


def evidence_of_the_sample(assessment, people):
    """R.5.1 available with two sources (one by gender); R.7.1 no data with one source; A.3.1
    partial, no source; A.6.1 not yet assessed. R.5.1 validated, R.7.1 drafting twice, A.3.1
    in validation."""
    add_source(assessment, ["R.5.1", "R.7.1"], gender=True, title="Census 2021")
    add_source(assessment, ["R.5.1"], title="Media law")
    set_status(assessment, "R.5.1", "available")
    set_status(assessment, "R.7.1", "no_data")
    set_status(assessment, "A.3.1", "partial")
    researcher = people["researcher"]
    validated = indicator_draft(assessment, researcher, "R.5.1")
    add_round(assessment, circulate(validated, assessment, researcher), passed=True, closed=True)
    indicator_draft(assessment, researcher, "R.7.1")
    indicator_draft(assessment, researcher, "R.7.1", title="Second try")
    in_validation = indicator_draft(assessment, researcher, "A.3.1")
    add_round(assessment, circulate(in_validation, assessment, researcher))


# --- who may see it --------------------------------------------------------------------------

PAGES = ["/evidence", "/evidence.csv", "/evidence-gaps.csv"]


@pytest.mark.parametrize("who", ["coordinator", "researcher", "board_member", "observer"])
def test_the_team_the_board_and_observers_read_the_dashboard_and_its_csvs(client, login, w, who):
    assessment, people = w
    login(people[who])
    for page in PAGES:
        assert client.get(A + page).status_code == 200, page


def test_a_translator_is_refused_an_outsider_finds_nothing_and_anonymous_signs_in(client, login,
                                                                                   w):
    assessment, people = w
    for page in PAGES:
        assert client.get(A + page).status_code == 302
        assert "/login" in client.get(A + page).headers["Location"]
    login(people["translator"])
    for page in PAGES:
        assert client.get(A + page).status_code == 403, page
    login(people["outsider"])
    for page in PAGES:
        assert client.get(A + page).status_code == 404, page


def test_a_member_of_another_assessment_sees_only_their_own(client, login, w):
    from tests.factories import make_assessment
    assessment, people = w
    add_source(assessment, ["R.5.1"], title="Secret source")
    set_status(assessment, "R.5.1", "available")
    other = make_assessment(slug="kg-2023", framework_id=assessment.framework_id)
    coordinator = make_member(other, Role.COORDINATOR, email="kg@example.org")
    db.session.commit()
    login(coordinator)
    html = text_of(client.get("/a/kg-2023/evidence"))
    rows = table(html, "indicators-caption")
    assert rows[1][:4] == ["R.5.1 Legal guarantee of freedom of expression",
                           "R.B · Freedom of expression", "Not yet assessed", "0"]
    assert client.get(f"{A}/evidence").status_code == 404


# --- the page --------------------------------------------------------------------------------

def test_the_dashboard_shows_the_figures_by_category_and_theme(client, login, w):
    assessment, people = w
    evidence_of_the_sample(assessment, people)
    login(people["board_member"])
    html = text_of(client.get(f"{A}/evidence"))
    assert "4 indicators in scope" in plain(html) and "Core indicators only" in html
    data = table(html, "data-by-category")
    assert data[0] == ["Category", "Indicators", "Data available", "Partial data", "No data",
                       "Not applicable", "Not yet assessed", "With a source",
                       "Gender-disaggregated share"]
    assert data[1] == ["R · Rights", "2", "1", "0", "1", "0", "0", "2", "100%"]
    assert data[2] == ["A · Accessibility to all", "2", "0", "1", "0", "0", "1", "0", "—"]
    assert data[3] == ["Total", "4", "1", "1", "1", "0", "1", "2", "100%"]
    findings = table(html, "findings-by-category")
    assert findings[0][2:] == ["No draft", "Drafting", "In consultation", "In validation",
                               "Validated"]
    assert findings[1] == ["R · Rights", "2", "0", "1", "0", "0", "1"]
    assert findings[2] == ["A · Accessibility to all", "2", "1", "0", "0", "1", "0"]
    assert findings[3] == ["Total", "4", "1", "1", "0", "1", "1"]
    themes = table(html, "data-themes-1")
    assert [r[0] for r in themes[1:]] == ["R.B · Freedom of expression",
                                          "R.C · Right of access to information"]
    assert themes[2][1:] == ["1", "0", "0", "1", "0", "0", "1", "100%"]
    assert "<details>" in html and "<svg" in html


def test_the_indicator_table_labels_and_links_each_indicator(client, login, w):
    assessment, people = w
    evidence_of_the_sample(assessment, people)
    login(people["observer"])
    html = text_of(client.get(f"{A}/evidence"))
    rows = table(html, "indicators-caption")
    assert rows[0] == ["Indicator", "Theme", "Data status", "Sources", "Disaggregated by gender",
                       "Finding status"]
    assert rows[1:] == [
        ["R.5.1 Legal guarantee of freedom of expression", "R.B · Freedom of expression",
         "Data available", "2", "1", "Validated"],
        ["R.7.1 Law on access to information", "R.C · Right of access to information",
         "No data", "1", "1", "Drafting"],
        ["A.3.1 Share of adults using the Internet", "A.B · Connectivity and usage",
         "Partial data", "0", "0", "In validation"],
        ["A.6.1 Price of 1 GB of mobile data", "A.C · Affordability", "Not yet assessed", "0",
         "0", "No draft"]]
    item = indicator(assessment, "R.5.1")
    assert f'href="/a/kz-2022/framework/{item.id}/evidence"' in html
    for code in ("no_data", "not_assessed", "in_validation", "available"):
        assert f">{code}<" not in html


def test_the_data_gaps_are_grouped_by_category_with_why(client, login, w):
    assessment, people = w
    evidence_of_the_sample(assessment, people)
    login(people["coordinator"])
    gaps = gaps_section(text_of(client.get(f"{A}/evidence")))
    assert "R.5.1" not in gaps
    assert "R · Rights (1 gap) R.7.1 Law on access to information : No data" in gaps
    assert ("A · Accessibility to all (2 gaps) A.3.1 Share of adults using the Internet : "
            "Partial data; No source A.6.1 Price of 1 GB of mobile data : "
            "Data status not yet assessed; No source") in gaps


def test_the_scope_decides_which_indicators_count(client, login, w):
    assessment, people = w
    login(people["coordinator"])
    assert indicators_shown(text_of(client.get(f"{A}/evidence"))) == [
        "R.5.1", "R.7.1", "A.3.1", "A.6.1"]
    assessment.core_only = False
    db.session.commit()
    html = text_of(client.get(f"{A}/evidence"))
    assert indicators_shown(html) == ["R.5.1", "R.5.2", "R.7.1", "A.3.1", "A.3.2", "A.6.1"]
    assert "6 indicators in scope" in plain(html) and "All indicators" in html


def test_without_a_framework_or_indicators_the_page_says_so(client, login, app):
    from tests.drafts.support import setup
    assessment, people = setup()
    login(people["coordinator"])
    assert "No indicator is in the assessment" in text_of(client.get(f"{A}/evidence"))
    assessment.framework_id = None
    db.session.commit()
    assert "No framework is chosen" in text_of(client.get(f"{A}/evidence"))
    assert csv_rows(client.get(f"{A}/evidence.csv"))[1:] == []


def test_the_catalogue_links_to_the_dashboard(client, login, w):
    assessment, people = w
    login(people["board_member"])
    assert 'href="/a/kz-2022/evidence"' in text_of(client.get(f"{A}/framework"))


# --- filters and pages -----------------------------------------------------------------------

def test_filters_by_category_data_status_and_finding_status(client, login, w):
    assessment, people = w
    evidence_of_the_sample(assessment, people)
    login(people["researcher"])

    def shown(query):
        return indicators_shown(text_of(client.get(f"{A}/evidence?{query}")))
    assert shown("category=A") == ["A.3.1", "A.6.1"]
    assert shown("data=no_data") == ["R.7.1"]
    assert shown("data=not_assessed") == ["A.6.1"]
    assert shown("finding=validated") == ["R.5.1"]
    assert shown("finding=no_draft&category=A") == ["A.6.1"]
    assert shown("category=R&data=partial") == []
    # Unknown values filter nothing (and are not echoed back as chosen).
    html = text_of(client.get(f"{A}/evidence?category=Z&data=nonsense&finding=<b>"))
    assert indicators_shown(html) == ["R.5.1", "R.7.1", "A.3.1", "A.6.1"]
    assert "<b>" not in html
    # The filters do not change the summaries or the gaps.
    html = text_of(client.get(f"{A}/evidence?category=A"))
    assert table(html, "data-by-category")[3][1] == "4"
    assert "No indicator matches these filters." in text_of(
        client.get(f"{A}/evidence?category=R&data=partial"))


def test_the_filter_form_is_a_plain_get_form_keeping_its_choices(client, login, w):
    assessment, people = w
    login(people["board_member"])
    html = text_of(client.get(f"{A}/evidence?category=A&data=partial&finding=drafting"))
    form = html[html.index('<form method="get"'):]
    form = form[:form.index("</form>")]
    assert 'name="category"' in form and 'name="data"' in form and 'name="finding"' in form
    assert '<option value="A" selected>' in form
    assert '<option value="partial" selected>' in form
    assert '<option value="drafting" selected>' in form


def test_a_hundred_indicators_per_page_and_the_filters_carried_to_the_next(client, login, app):
    from tests.drafts.support import setup
    assessment, people = setup()
    import_sample(assessment, people["coordinator"], many_indicators_csv(230))
    login(people["observer"])
    first = text_of(client.get(f"{A}/evidence"))
    assert len(indicators_shown(first)) == 100
    assert "230 indicators shown" in plain(first) and "Page 1 of 3" in first
    third = text_of(client.get(f"{A}/evidence?page=3"))
    assert len(indicators_shown(third)) == 30
    assert len(indicators_shown(text_of(client.get(f"{A}/evidence?page=99")))) == 30
    assert len(indicators_shown(text_of(client.get(f"{A}/evidence?page=x")))) == 100
    filtered = text_of(client.get(f"{A}/evidence?category=R"))
    assert "115 indicators shown" in plain(filtered) and "Page 1 of 2" in filtered
    next_link = re.search(r'<a href="([^"]+)" rel="next">', filtered).group(1)
    assert "category=R" in next_link and "page=2" in next_link
    second = text_of(client.get(html_lib.unescape(next_link)))
    assert len(indicators_shown(second)) == 15
    assert all(code.startswith("R.") for code in indicators_shown(second))


# --- the CSVs --------------------------------------------------------------------------------

def test_the_coverage_csv_has_one_row_per_indicator_with_labels_and_a_bom(client, login, w):
    assessment, people = w
    evidence_of_the_sample(assessment, people)
    login(people["observer"])
    response = client.get(f"{A}/evidence.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="kz-2022-evidence.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["code", "title", "category_code", "category", "theme_code", "theme",
                       "data_status", "sources", "gender_disaggregated_sources",
                       "finding_status"]
    assert rows[1:] == [
        ["R.5.1", "Legal guarantee of freedom of expression", "R", "Rights", "R.B",
         "Freedom of expression", "Data available", "2", "1", "Validated"],
        ["R.7.1", "Law on access to information", "R", "Rights", "R.C",
         "Right of access to information", "No data", "1", "1", "Drafting"],
        ["A.3.1", "Share of adults using the Internet", "A", "Accessibility to all", "A.B",
         "Connectivity and usage", "Partial data", "0", "0", "In validation"],
        ["A.6.1", "Price of 1 GB of mobile data", "A", "Accessibility to all", "A.C",
         "Affordability", "Not yet assessed", "0", "0", "No draft"]]


def test_the_csv_speaks_the_readers_language(client, login, w):
    assessment, people = w
    evidence_of_the_sample(assessment, people)
    people["coordinator"].language = "ru"
    db.session.commit()
    login(people["coordinator"])
    rows = csv_rows(client.get(f"{A}/evidence.csv"))
    assert rows[1][3] == "Права" and rows[1][5] == "Свобода выражения мнений"
    assert rows[1][9] == "Валидирован" and rows[2][9] == "В работе"


def test_the_gaps_csv_lists_each_gap_with_why(client, login, w):
    assessment, people = w
    evidence_of_the_sample(assessment, people)
    login(people["researcher"])
    response = client.get(f"{A}/evidence-gaps.csv")
    assert 'filename="kz-2022-evidence-gaps.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][-1] == "why"
    assert [(r[0], r[6], r[-1]) for r in rows[1:]] == [
        ("R.7.1", "No data", "No data"),
        ("A.3.1", "Partial data", "Partial data; No source"),
        ("A.6.1", "Not yet assessed", "Data status not yet assessed; No source")]


def test_the_dashboard_only_reads(client, login, w):
    assessment, people = w
    login(people["coordinator"])
    before = db.session.scalar(db.select(db.func.count()).select_from(Source))
    with counting() as statements:
        client.get(f"{A}/evidence")
    assert not [s for s in statements if s.lstrip().upper().startswith(
        ("INSERT INTO SOURCE", "UPDATE SOURCE", "INSERT INTO INDICATOR", "UPDATE INDICATOR"))]
    assert db.session.scalar(db.select(db.func.count()).select_from(Source)) == before


# --- queries ---------------------------------------------------------------------------------

def _sized(assessment, people, count):
    """``count`` core indicators with three sources each (one by gender), a data status each,
    and a draft for every indicator: circulated for half of them, validated for a quarter."""
    import_sample(assessment, people["coordinator"], many_indicators_csv(count))
    researcher = people["researcher"]
    codes = [f"{'R' if n % 2 else 'A'}.90.{n}" for n in range(1, count + 1)]
    statuses = ["available", "partial", "no_data", "not_applicable", None]
    number = 0
    for n, code in enumerate(codes):
        item = indicator(assessment, code)
        for k in range(3):
            number += 1
            db.session.add(Source(assessment_id=assessment.id, number=number,
                                  title=f"Source {number}", gender_disaggregated=k == 0))
            db.session.flush()
            db.session.execute(source_indicators.insert().values(
                source_id=db.session.scalar(db.select(Source.id).where(
                    Source.assessment_id == assessment.id, Source.number == number)),
                item_id=item.id))
        db.session.commit()
        if statuses[n % 5]:
            set_status(assessment, code, statuses[n % 5])
        draft = indicator_draft(assessment, researcher, code)
        if n % 2 == 0:
            version = circulate(draft, assessment, researcher)
            if n % 4 == 0:
                add_round(assessment, version, passed=True, closed=True)


@pytest.mark.parametrize("page", ["/evidence", "/evidence.csv", "/evidence-gaps.csv"])
def test_the_same_number_of_queries_for_5_and_40_indicators(client, login, app, page):
    from tests.drafts.support import setup
    assessment, people = setup()
    _sized(assessment, people, 5)
    login(people["board_member"])
    client.get(A + page)
    with counting() as small:
        assert client.get(A + page).status_code == 200
    # The forty: the same five (their sources made anew) and thirty-five more of the same kinds.
    db.session.execute(db.delete(source_indicators))
    db.session.execute(db.delete(Source))
    db.session.commit()
    _sized(assessment, people, 40)
    with counting() as large:
        response = client.get(A + page)
    assert response.status_code == 200
    if page == "/evidence":
        assert "40 indicators in scope" in plain(response.get_data(as_text=True))
    assert len(large) == len(small), (len(small), len(large))

"""The report page over HTTP: who may read it, what each reader sees (placeholders for the team
only), provenance and citations, the languages, the print view's stylesheet, and as many
queries for 40 indicators as for 5."""
import re
from pathlib import Path

import pytest

from mab.evidence.models import Source, source_indicators
from mab.extensions import db
from tests.querycount import counting
from tests.report.support_assembly import (A, add_source, finding, import_sample, indicator,
                                           many_indicators_csv, set_status, setup, world)

CSS = Path(__file__).resolve().parents[2] / "mab" / "static" / "css" / "report-print.css"


@pytest.fixture
def w(app):
    assessment, people = world()
    source = add_source(assessment, ["R.5.1"], title="Census 2021")
    finding(assessment, people, "R.5.1", f"Freedom is guaranteed {source.reference}.")
    return assessment, people


def page(client, url=f"{A}/report"):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["coordinator", "researcher", "board_member", "observer"])
def test_the_team_the_board_and_observers_read_the_report(client, login, w, role):
    assessment, people = w
    login(people[role])
    html = page(client)
    assert "Legal guarantee of freedom of expression" in html
    assert "Freedom is guaranteed" in html


def test_a_translator_is_refused_an_outsider_told_nothing_and_anonymous_sent_to_sign_in(
        client, login, w):
    assessment, people = w
    assert client.get(f"{A}/report").status_code == 302
    login(people["translator"])
    assert client.get(f"{A}/report").status_code == 403
    login(people["outsider"])
    assert client.get(f"{A}/report").status_code == 404
    assert client.get("/a/no-such/report").status_code == 404


def test_placeholders_for_the_team_only(client, login, w):
    assessment, people = w
    login(people["researcher"])
    team = page(client)
    assert "report-placeholder" in team and "Law on access to information" in team
    assert "visible to the research team only" in team
    login(people["board_member"])
    board = page(client)
    assert "report-placeholder" not in board
    findings = board[board.index('class="report"'):board.index("Data gaps</h2>")]
    assert "Law on access to information" not in findings      # (the gaps name it: no source)
    assert "visible to the research team only" not in board
    assert "Legal guarantee of freedom of expression" in board


def test_provenance_citations_references_and_the_manifest(client, login, w):
    assessment, people = w
    login(people["board_member"])
    html = page(client)
    assert re.search(r"Version 1, validated on [A-Z][a-z]+ \d{1,2}, \d{4}", html)
    assert re.search(r'<code class="hash" title="[0-9a-f]{64}">[0-9a-f]{12}…</code>', html)
    assert re.search(rf'href="{A}/validation/\d+/certificate"', html)
    assert re.search(r'<sup class="cite"><a href="#ref-1" title="Census 2021">\[1\]</a></sup>',
                     html)
    assert 'id="ref-1" value="1">Census 2021' in html
    assert re.search(r"Manifest of this report.*<code class=\"hash\">[0-9a-f]{64}</code>", html)
    toc = html[html.index('id="report-toc-heading"'):html.index("</nav>",
                                                               html.index("report-toc-heading"))]
    assert '<a href="#s-1"><span class="report-number">1</span> Rights</a>' in toc
    assert 'id="s-1-1-1"' in html and "<h4" in html


def test_the_language_asked_else_the_reader_s_else_the_first(client, login, w):
    assessment, people = w
    login(people["board_member"])
    assert 'lang="kk"' in page(client, f"{A}/report?lang=kk").split('class="report"')[1][:20]
    english = page(client, f"{A}/report?lang=en")
    assert 'class="report" lang="en"' in english and "Rights" in english
    russian = page(client, f"{A}/report?lang=ru")
    assert 'class="report" lang="ru"' in russian and "Права" in russian
    # An unknown language: the reader's (the page's, English here) when it is a content language.
    assert 'class="report" lang="en"' in page(client, f"{A}/report?lang=xx")
    assessment.languages = "ru,kk"
    db.session.commit()
    assert 'class="report" lang="ru"' in page(client, f"{A}/report?lang=en")


def test_the_print_view_links_the_page_stylesheet(client, login, w):
    assessment, people = w
    login(people["observer"])
    html = page(client, f"{A}/report?print=1")
    assert "css/report-print.css" in html and '<html lang="en">' in html
    assert "site-header" not in html                    # no menu in print
    assert "Freedom is guaranteed" in html
    css = CSS.read_text()
    assert "@page" in css and "counter(page)" in css and "@bottom-center" in css
    assert "break-after: avoid" in css and "margin:" in css
    assert re.search(r"validated on [A-Z][a-z]+ \d{1,2}, \d{4}", html)   # four-digit years


# --- queries ---------------------------------------------------------------------------------

def _sized(assessment, people, count):
    """``count`` core indicators, each with a source and a data status, and a validated
    finding citing its source for every other one."""
    import_sample(assessment, people["coordinator"], many_indicators_csv(count))
    db.session.execute(db.delete(source_indicators))
    db.session.execute(db.delete(Source))
    db.session.commit()
    statuses = ["available", "partial", "no_data", "not_applicable", None]
    for n in range(1, count + 1):
        code = f"{'R' if n % 2 else 'A'}.90.{n}"
        source = Source(assessment_id=assessment.id, number=n, title=f"Source {n}",
                        indicators=[indicator(assessment, code)])
        db.session.add(source)
        db.session.commit()
        if statuses[n % 5]:
            set_status(assessment, code, statuses[n % 5])
        if n % 2 == 0 and not _has_finding(assessment, code):
            finding(assessment, people, code, f"Finding {n} {source.reference}.")


def _has_finding(assessment, code):
    from mab.drafts.models import Draft
    return db.session.scalar(db.select(Draft.id).where(
        Draft.assessment_id == assessment.id,
        Draft.item_id == indicator(assessment, code).id)) is not None


@pytest.mark.parametrize("role", ["coordinator", "board_member"])
def test_the_same_number_of_queries_for_5_and_40_indicators(client, login, app, role):
    assessment, people = setup()
    _sized(assessment, people, 5)
    login(people[role])
    page(client)
    with counting() as small:
        page(client)
    _sized(assessment, people, 40)
    with counting() as large:
        html = page(client)
    assert "Finding 40" in html
    assert len(large) == len(small), (len(small), len(large))


def test_the_menu_leads_to_the_report_for_its_readers_only(client, login, w):
    assessment, people = w
    login(people["board_member"])
    html = page(client, f"{A}/drafts")
    assert f'href="{A}/report"' in html
    assert f'<a href="{A}/report" aria-current="page">' in page(client)
    login(people["translator"])
    assert f'href="{A}/report"' not in page(client, f"{A}/")

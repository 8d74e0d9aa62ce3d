"""Issue 13, item 5: one status per version and per draft, built from the facts (every version's
circulation and deadline, its round, later circulated versions), whoever looks: the facts
builder, its queries (no N+1), and the pages (drafts index, draft page, home page)."""
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from mab.assessments.models import Assessment
from mab.drafts import queries
from mab.drafts.models import Circulation, Draft
from mab.drafts.rules import (
    CONSULTATION_CLOSED, DRAFTING, IN_CONSULTATION, IN_VALIDATION, NOT_VALIDATED, SUPERSEDED,
    VALIDATED, VersionFacts, VersionRow, VersionStatus, facts_by_version, version_status)
from mab.extensions import db
from mab.types import utcnow
from mab.validation.models import ValidationRound
from tests.drafts.support import A, circulate, make_draft, new_version, setup
from tests.querycount import counting

TODAY = date(2026, 12, 4)
ROLES = ["coordinator", "researcher", "board_member", "observer"]


# --- the facts builder (pure) -----------------------------------------------------------------

def test_facts_of_a_draft_never_circulated():
    facts = facts_by_version([VersionRow(1, 10, 1, False)])
    assert facts == {1: VersionFacts(circulated=False)}
    assert version_status(facts[1], TODAY).code == DRAFTING


def test_a_version_is_superseded_only_by_a_later_circulated_version_of_its_draft():
    rows = [VersionRow(1, 10, 1, True, date(2026, 12, 20)),
            VersionRow(2, 10, 2, True, date(2026, 12, 30)),
            VersionRow(3, 10, 3, False),                      # a working version: no effect
            VersionRow(4, 11, 1, True, date(2026, 12, 20))]   # another draft: no effect
    facts = facts_by_version(list(reversed(rows)))            # any order
    assert [facts[i].superseded for i in (1, 2, 3, 4)] == [True, False, False, False]
    assert version_status(facts[1], TODAY).code == SUPERSEDED
    assert version_status(facts[2], TODAY) == VersionStatus(IN_CONSULTATION,
                                                            until=date(2026, 12, 30))
    assert version_status(facts[3], TODAY).code == DRAFTING


@pytest.mark.parametrize("open_, passed, code", [
    (True, None, IN_VALIDATION),
    (False, True, VALIDATED),
    (False, False, NOT_VALIDATED),
])
def test_the_round_settles_the_status(open_, passed, code):
    rows = [VersionRow(1, 10, 1, True, date(2026, 12, 20), True, open_, passed),
            VersionRow(2, 10, 2, True, date(2026, 12, 30))]
    facts = facts_by_version(rows)
    assert facts[1].round_open is open_
    assert facts[1].validated is (None if open_ else passed)
    assert version_status(facts[1], TODAY).code == code      # superseded or not


def test_without_a_round_the_round_fields_are_ignored():
    facts = facts_by_version([VersionRow(1, 10, 1, True, TODAY - timedelta(days=1), False,
                                         True, True)])
    assert facts[1] == VersionFacts(circulated=True, deadline=TODAY - timedelta(days=1))
    assert version_status(facts[1], TODAY).code == CONSULTATION_CLOSED


# --- fixtures and helpers for the pages -------------------------------------------------------

@pytest.fixture
def w(app):
    """kz-2022: a researcher's draft whose version 1 is circulated (deadline in 14 days)."""
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], "One.\n\nTwo.", title="Status draft")
    circulate(draft, assessment, people["researcher"])
    return assessment, people, draft


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def index_status(client, title="Status draft"):
    html = text_of(client.get(f"{A}/drafts"))
    row = re.search(rf"{title}</a></td>(.*?)</tr>", html, re.DOTALL).group(1)
    return re.findall(r"<td[^>]*>([^<]*)</td>", row)[-1]


def page_status(client, draft, number=None):
    url = f"{A}/drafts/{draft.id}" + (f"/v/{number}" if number else "")
    html = text_of(client.get(url))
    return re.search(r"<dt>Status</dt><dd>([^<]*)</dd>", html).group(1)


def listed_versions(client, draft):
    """Version number -> the status the version list gives it, on the draft page."""
    html = text_of(client.get(f"{A}/drafts/{draft.id}"))
    section = html.split('id="history-heading"')[1].split("</section>")[0]
    return {int(n): s.strip() for n, s in re.findall(
        r">Version (\d+)</a>\s*· ([^<\n]*)", section)}


def deadline_of(draft, number, days):
    """Move version ``number``'s deadline to ``days`` from the assessment's today."""
    circulation = db.session.scalar(select(Circulation).where(
        Circulation.version.has(draft_id=draft.id, number=number)))
    today = db.session.get(Assessment, draft.assessment_id).today()
    circulation.deadline = today + timedelta(days=days)
    db.session.commit()
    return circulation.deadline


def add_round(assessment, version, *, passed=None, closed=False):
    round_ = ValidationRound(assessment_id=assessment.id, version_id=version.id,
                             version_sha256=version.sha256 or "0" * 64,
                             deadline=assessment.today() + timedelta(days=7), rule={},
                             closed_at=utcnow() if closed else None, passed=passed)
    db.session.add(round_)
    db.session.commit()
    return round_


def en(day):
    return format_date(day, "medium", locale="en")


def fresh(draft):
    db.session.expire_all()
    return db.session.get(Draft, draft.id)


# --- the pages --------------------------------------------------------------------------------

def test_a_passed_deadline_reads_consultation_closed_for_everyone(client, login, w):
    assessment, people, draft = w
    new_version(draft, assessment, people["researcher"], "One.\n\nTwo, reworked.", "Reworked")
    deadline_of(draft, 1, -1)
    seen = {}
    for who in ROLES:
        login(people[who])
        seen[who] = (index_status(client), page_status(client, draft),
                     listed_versions(client, draft)[1])
    assert set(seen.values()) == {("Consultation closed",) * 3}, seen
    # The team also sees the working version, as what it is.
    login(people["researcher"])
    assert listed_versions(client, draft) == {2: "Drafting", 1: "Consultation closed"}


def test_in_consultation_names_the_deadline_as_a_date_in_words(client, login, w):
    assessment, people, draft = w
    deadline = deadline_of(draft, 1, 0)          # the last day still takes comments
    expected = f"In consultation until {en(deadline)}"
    for who in ROLES:
        login(people[who])
        assert index_status(client) == expected
        assert page_status(client, draft) == expected
        assert listed_versions(client, draft)[1] == expected
    html = text_of(client.get(f"{A}/drafts"))
    assert deadline.isoformat() not in html
    # The board member's home page lists it to review with the same words.
    login(people["board_member"])
    home = text_of(client.get(f"{A}/")).split('id="drafts-heading"')[1].split("</section>")[0]
    assert "Status draft" in home and expected in home


def test_a_version_superseded_by_a_circulated_one_reads_superseded(client, login, w):
    assessment, people, draft = w
    new_version(draft, assessment, people["researcher"], "One.\n\nTwo, reworked.", "Reworked")
    circulate(fresh(draft), assessment, people["researcher"], days=20)
    deadline = deadline_of(draft, 2, 20)
    for who in ROLES:
        login(people[who])
        assert listed_versions(client, draft) == {
            2: f"In consultation until {en(deadline)}", 1: "Superseded"}
        assert page_status(client, draft, 1) == f"In consultation until {en(deadline)}"
        assert index_status(client) == f"In consultation until {en(deadline)}"
    # Version 1 is no longer waiting for comments on the home page; version 2 is.
    home = text_of(client.get(f"{A}/")).split('id="drafts-heading"')[1].split("</section>")[0]
    assert f"/drafts/{draft.id}/v/2" in home and f"/drafts/{draft.id}/v/1" not in home


def test_an_open_round_reads_in_validation_everywhere(client, login, w):
    assessment, people, draft = w
    add_round(assessment, draft.versions[0])
    for who in ROLES:
        login(people[who])
        assert index_status(client) == page_status(client, draft) == "In validation"
        assert listed_versions(client, draft)[1] == "In validation"
        home = text_of(client.get(f"{A}/"))
        assert "Phase: Validation" in home
        signoffs = home.split('id="signoff-heading"')[1].split("</section>")[0]
        assert "Status draft, version 1" in signoffs and "In validation" in signoffs
        # A version in validation is not listed as waiting for comments.
        assert "Status draft" not in home.split('id="drafts-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize("passed, label", [(True, "Validated"), (False, "Not validated")])
def test_a_closed_round_settles_the_status(client, login, w, passed, label):
    assessment, people, draft = w
    add_round(assessment, draft.versions[0], closed=True, passed=passed)
    new_version(draft, assessment, people["researcher"], "One.\n\nTwo, reworked.", "Reworked")
    for who in ROLES:
        login(people[who])
        assert index_status(client) == page_status(client, draft, 1) == label
        assert listed_versions(client, draft)[1] == label
        assert "Phase: Setting up" in text_of(client.get(f"{A}/"))


def test_a_draft_never_circulated_reads_drafting(client, login, w):
    assessment, people, _draft = w
    hidden = make_draft(assessment, people["researcher"], "Hidden.", title="Hidden draft")
    login(people["coordinator"])
    assert index_status(client, "Hidden draft") == page_status(client, hidden) == "Drafting"


# --- the queries: all versions count, and no N+1 ----------------------------------------------

def test_version_facts_count_every_version_whatever_the_viewer_sees(w):
    assessment, people, draft = w
    new_version(draft, assessment, people["researcher"], "One.\n\nTwo, reworked.", "Reworked")
    draft = fresh(draft)
    facts = queries.version_facts([draft])
    v1, v2 = draft.versions
    assert facts[v1.id].circulated and not facts[v1.id].superseded
    assert facts[v2.id] == VersionFacts(circulated=False)
    statuses = queries.circulated_statuses([assessment])[assessment.id]
    assert set(statuses) == {v1.id}
    assert statuses[v1.id] == queries.version_statuses([draft], assessment.today())[v1.id]


def test_the_drafts_index_runs_as_many_queries_for_many_drafts_as_for_one(client, login, w):
    assessment, people, draft = w
    add_round(assessment, draft.versions[0])
    login(people["board_member"])
    client.get(f"{A}/drafts")
    with counting() as one:
        text_of(client.get(f"{A}/drafts"))
    for n in range(5):
        extra = make_draft(assessment, people["researcher"], "Text.", title=f"Extra {n}")
        circulate(extra, assessment, people["researcher"])
        if n % 2:
            add_round(assessment, extra.versions[0], closed=True, passed=True)
    with counting() as many:
        html = text_of(client.get(f"{A}/drafts"))
    assert html.count("Validated") == 2
    assert len(many) == len(one)


def test_the_home_page_runs_as_many_queries_for_many_drafts_as_for_one(client, login, w):
    assessment, people, draft = w
    login(people["board_member"])
    client.get(f"{A}/")
    with counting() as one:
        text_of(client.get(f"{A}/"))
    for n in range(4):
        extra = make_draft(assessment, people["researcher"], "Text.", title=f"Extra {n}")
        circulate(extra, assessment, people["researcher"])
        add_round(assessment, extra.versions[0], closed=n % 2 == 0, passed=True)
    with counting() as many:
        text_of(client.get(f"{A}/"))
    assert len(many) == len(one)

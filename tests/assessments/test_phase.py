"""Issue 13, item 5: the assessment's phase is shown from the drafts' statuses (validation while a
version is in validation, consultation while one is in consultation), else as the coordinator
set it; on the home page and on the list of assessments (one query for all of them)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from mab.assessments.models import Phase, Role
from mab.assessments.rules import shown_phase
from mab.drafts.models import Circulation
from mab.extensions import db
from mab.types import utcnow
from mab.validation.models import ValidationRound
from tests.drafts.support import A, circulate, make_draft, setup
from tests.factories import make_assessment, make_member
from tests.querycount import counting


# --- the rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize("stored, codes, shown", [
    # The workflow phases come from the versions' statuses; validation first.
    ("setup", ["in_validation"], "validation"),
    ("research", ["in_consultation", "in_validation", "validated"], "validation"),
    ("research", ["in_consultation", "consultation_closed"], "consultation"),
    ("published", ["in_consultation"], "consultation"),
    # Otherwise the phase the coordinator set.
    ("setup", [], "setup"),
    ("research", ["consultation_closed", "drafting", "superseded"], "research"),
    ("published", ["validated", "not_validated"], "published"),
    # A stored workflow phase that no version bears out any more shows as research.
    ("consultation", ["consultation_closed"], "research"),
    ("validation", ["validated"], "research"),
    ("consultation", [], "research"),
    (Phase.RESEARCH, iter(["drafting"]), "research"),        # an enum, a one-pass iterable
])
def test_shown_phase(stored, codes, shown):
    assert shown_phase(stored, codes) == shown


# --- the pages --------------------------------------------------------------------------------

@pytest.fixture
def w(app):
    assessment, people = setup()
    assessment.phase = Phase.RESEARCH
    draft = make_draft(assessment, people["researcher"], "Text.", title="Phase draft")
    db.session.commit()
    return assessment, people, draft


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def set_deadline(assessment, draft, days):
    circulation = db.session.scalar(select(Circulation).where(
        Circulation.version.has(draft_id=draft.id)))
    circulation.deadline = assessment.today() + timedelta(days=days)
    db.session.commit()


def add_round(assessment, version, *, closed=False, passed=None):
    db.session.add(ValidationRound(
        assessment_id=assessment.id, version_id=version.id,
        version_sha256=version.sha256 or "0" * 64, rule={},
        deadline=assessment.today() + timedelta(days=7),
        closed_at=utcnow() if closed else None, passed=passed))
    db.session.commit()


@pytest.mark.parametrize("who", ["coordinator", "researcher", "board_member", "observer"])
def test_the_home_page_shows_the_phase_from_the_statuses(client, login, w, who):
    assessment, people, draft = w
    login(people[who])

    def phase():
        return text_of(client.get(f"{A}/")).split("Phase: ")[1].split("</p>")[0]

    assert phase() == "Research"                       # nothing circulated: as set
    circulate(draft, assessment, people["researcher"])
    assert phase() == "Consultation"
    set_deadline(assessment, draft, 0)                 # the last day
    assert phase() == "Consultation"
    set_deadline(assessment, draft, -1)                # the day after
    assert phase() == "Research"
    add_round(assessment, draft.versions[0])
    assert phase() == "Validation"
    round_ = db.session.scalar(select(ValidationRound))
    round_.closed_at, round_.passed = utcnow(), True
    db.session.commit()
    assert phase() == "Research"


def test_an_old_stored_consultation_phase_does_not_outlive_the_consultation(client, login, w):
    assessment, people, draft = w
    assessment.phase = Phase.CONSULTATION             # as the demo data stored it
    db.session.commit()
    circulate(draft, assessment, people["researcher"])
    add_round(assessment, draft.versions[0])
    login(people["board_member"])
    assert "Phase: Validation" in text_of(client.get(f"{A}/"))


def test_the_list_of_assessments_shows_each_phase_in_one_query(client, login, w):
    assessment, people, draft = w
    member = people["board_member"]
    circulate(draft, assessment, people["researcher"])
    others = []
    for n in range(3):
        other = make_assessment(slug=f"other-{n}", title=f"Other {n}", phase=Phase.PUBLISHED)
        make_member(other, Role.BOARD_MEMBER, user=member)
        researcher = make_member(other, Role.RESEARCHER, email=f"res{n}@example.org")
        db.session.commit()
        others.append((other, researcher))
    login(member)

    def phases():
        html = text_of(client.get("/"))
        return dict(re.findall(r'>([^<]+)</a></h2>\s*<p>[^<]*· ([^<]+)</p>', html))

    shown = phases()
    assert shown[assessment.title] == "Consultation"
    assert {shown[f"Other {n}"] for n in range(3)} == {"Published"}
    with counting() as before:
        client.get("/")
    for other, researcher in others:
        d = make_draft(other, researcher, "Text.", title="Other draft")
        circulate(d, other, researcher)
        add_round(other, d.versions[0])
    with counting() as after:
        shown = phases()
    assert {shown[f"Other {n}"] for n in range(3)} == {"Validation"}
    assert len([s for s in after if "validation_rounds" in s]) == 1
    assert len([s for s in after if "circulations" in s]) == len(
        [s for s in before if "circulations" in s]) == 1

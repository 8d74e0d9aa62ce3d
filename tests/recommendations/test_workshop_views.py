"""The page of a validation workshop's recommendations: who reads it, the coordinator's agenda,
positions and carrying them into a new version (a confirmation first), and the refusals."""
import html

import pytest
from sqlalchemy import func, select

from mab.assessments.models import Role
from mab.drafts.models import DraftVersion
from mab.extensions import db
from mab.notify.models import OutboxMessage
from tests.confirming import confirmation_fields
from tests.drafts.support import circulate
from tests.factories import make_assessment, make_member
from tests.recommendations.support_workshop import (
    A,
    RECOMMENDATIONS,
    counts,
    items,
    keys,
    positions,
    record,
    recommendations_draft,
    set_agenda,
    workshop,
    world,
)


def body(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def ws(app):
    assessment, people = world()
    draft = recommendations_draft(assessment, people)
    meeting = workshop(assessment, people)
    set_agenda(meeting, assessment, people, keys(draft))
    return assessment, people, draft, meeting


def page(meeting):
    return f"{A}/meetings/{meeting.id}/recommendations"


def state():
    return {**counts(), "mail": db.session.scalar(select(func.count())
                                                  .select_from(OutboxMessage))}


# --- reading --------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["coordinator", "researcher", "board_member", "observer"])
def test_the_team_the_board_and_observers_read_the_agenda(ws, client, login, role):
    assessment, people, draft, meeting = ws
    record(items(meeting)[1], assessment, people, "amended", "Adopt a data protection law now.")
    login(people[role])
    response = client.get(page(meeting))
    assert response.status_code == 200
    text = body(response)
    assert "Recommendations at “Validation workshop”" in text
    for wording in RECOMMENDATIONS:
        assert wording in text
    assert "Ministry 1" in text and "High priority" in text and "Short term" in text
    assert "Amended" in text and "Adopt a data protection law now." in text
    assert "Not recorded yet" in text
    manager = role == "coordinator"
    assert ("Record the position" in text) is manager
    assert ("Update the agenda" in text) is manager
    assert ("Carry the positions into a new version" in text) is manager


def test_translator_is_refused_and_an_outsider_finds_nothing(ws, client, login):
    assessment, people, _draft, meeting = ws
    login(people["translator"])
    assert client.get(page(meeting)).status_code == 403
    login(people["outsider"])
    assert client.get(page(meeting)).status_code == 404


def test_anonymous_is_asked_to_sign_in(ws, client):
    response = client.get(page(ws[3]))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_meeting_that_is_not_a_workshop_or_not_ours_has_no_such_page(ws, client, login):
    assessment, people, _draft, _meeting = ws
    board = workshop(assessment, people, kind="board_meeting", title="Board meeting")
    other = make_assessment(slug="kg-2023")
    theirs = workshop(other, {"coordinator": make_member(other, Role.COORDINATOR)})
    login(people["coordinator"])
    assert client.get(page(board)).status_code == 404
    assert client.get(page(theirs)).status_code == 404
    assert client.post(f"{page(theirs)}/apply", data={"confirm": "1"}).status_code == 404


def test_the_meeting_page_links_a_workshops_recommendations(ws, client, login):
    assessment, people, _draft, meeting = ws
    board = workshop(assessment, people, kind="board_meeting", title="Board meeting")
    login(people["board_member"])
    assert f'href="{page(meeting)}"' in body(client.get(f"{A}/meetings/{meeting.id}"))
    assert f"/meetings/{board.id}/recommendations" not in body(client.get(f"{A}/meetings/{board.id}"))


# --- the agenda -----------------------------------------------------------------------------------

def test_the_coordinator_sets_the_agenda(ws, client, login):
    assessment, people, draft, meeting = ws
    login(people["coordinator"])
    chosen = [f"{d}:{b}" for d, b in keys(draft, [2, 5])]
    response = client.post(f"{page(meeting)}/agenda", data={"keys": chosen})
    assert response.status_code == 302
    assert [r.block_id for r in items(meeting)] == [b for _d, b in keys(draft, [2, 5])]
    text = body(client.get(page(meeting)))
    assert "The agenda is updated: 0 recommendations added, 4 taken off." in text


@pytest.mark.parametrize("role", ["researcher", "board_member", "observer"])
def test_only_the_coordinator_changes_the_agenda_and_positions(ws, client, login, role):
    assessment, people, draft, meeting = ws
    before = state()
    login(people[role])
    item = items(meeting)[0]
    assert client.post(f"{page(meeting)}/agenda", data={"keys": []}).status_code == 403
    assert client.post(f"{page(meeting)}/{item.id}/position",
                       data={f"i{item.id}-position": "rejected"}).status_code == 403
    assert client.post(f"{page(meeting)}/apply", data={"confirm": "1"}).status_code == 403
    assert state() == before


def test_a_recommendation_of_another_draft_kind_is_refused(ws, client, login):
    assessment, people, draft, meeting = ws
    from tests.drafts.support import make_draft
    findings = make_draft(assessment, people["researcher"], "A finding.", title="Findings")
    circulate(findings, assessment, people["researcher"])
    before = state()
    login(people["coordinator"])
    response = client.post(f"{page(meeting)}/agenda", data={"keys": [f"{findings.id}:p1"]},
                           follow_redirects=True)
    assert "Choose recommendations of the latest circulated version" in body(response)
    assert state() == before
    assert client.post(f"{page(meeting)}/agenda", data={"keys": ["nonsense"]}).status_code == 400


# --- positions ------------------------------------------------------------------------------------

def test_the_coordinator_records_a_position(ws, client, login):
    assessment, people, draft, meeting = ws
    login(people["coordinator"])
    item = items(meeting)[1]
    response = client.post(f"{page(meeting)}/{item.id}/position", data={
        f"i{item.id}-position": "amended",
        f"i{item.id}-amended_text": "Adopt a data protection law by 2026."})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"#item-{item.id}")
    assert positions(meeting)[1] == ("amended", "Adopt a data protection law by 2026.", None)
    assert "The position is recorded: Amended." in body(client.get(page(meeting)))


def test_amended_without_wording_is_refused_with_a_field_error(ws, client, login):
    assessment, people, draft, meeting = ws
    login(people["coordinator"])
    item = items(meeting)[1]
    before = state()
    response = client.post(f"{page(meeting)}/{item.id}/position", data={
        f"i{item.id}-position": "amended", f"i{item.id}-amended_text": "  "})
    assert response.status_code == 422
    text = body(response)
    assert "Give the new wording of the recommendation." in text
    assert f'id="i{item.id}-amended_text-error"' in text
    assert state() == before and positions(meeting)[1] == (None, "", None)
    response = client.post(f"{page(meeting)}/{item.id}/position", data={})
    assert response.status_code == 422
    assert "Choose the board's position." in body(response)


def test_no_position_before_the_meeting_starts(ws, client, login):
    assessment, people, draft, _meeting = ws
    later = workshop(assessment, people, started=False, title="Later workshop")
    set_agenda(later, assessment, people, keys(draft, [1]))
    item = items(later)[0]
    login(people["coordinator"])
    text = body(client.get(page(later)))
    assert "Positions are recorded during the meeting, from its start" in text
    assert "Record the position" not in text
    before = state()
    response = client.post(f"{page(later)}/{item.id}/position",
                           data={f"i{item.id}-position": "endorsed"}, follow_redirects=True)
    assert "Positions are recorded during the meeting: it starts on" in body(response)
    assert state() == before


def test_an_item_of_another_meeting_is_not_found(ws, client, login):
    assessment, people, draft, meeting = ws
    later = workshop(assessment, people, title="Second workshop")
    (theirs,) = set_agenda(later, assessment, people, keys(draft, [1]))
    login(people["coordinator"])
    assert client.post(f"{page(meeting)}/{theirs.id}/position",
                       data={f"i{theirs.id}-position": "endorsed"}).status_code == 404


# --- carrying the positions -----------------------------------------------------------------------

def test_carrying_the_positions_asks_first_then_starts_the_version(ws, client, login):
    assessment, people, draft, meeting = ws
    rows = items(meeting)
    record(rows[0], assessment, people, "endorsed")
    record(rows[1], assessment, people, "endorsed")
    record(rows[2], assessment, people, "endorsed")
    record(rows[3], assessment, people, "amended", "Train judges and prosecutors.")
    record(rows[4], assessment, people, "rejected")
    record(rows[5], assessment, people, "deferred")
    login(people["coordinator"])
    before = state()
    first = client.post(f"{page(meeting)}/apply")
    assert first.status_code == 200
    text = body(first)
    assert ("Version 2 of “Policy recommendations” will be started: 3 endorsed, 1 amended, "
            "1 rejected and removed, and 1 deferred and kept unchanged.") in text
    assert state() == before                    # nothing started, nothing mailed
    fields = confirmation_fields(first)
    assert fields["confirm"] == "1"
    response = client.post(f"{page(meeting)}/apply", data=fields)
    assert response.status_code == 302
    version = db.session.scalar(select(DraftVersion).where(
        DraftVersion.draft_id == draft.id, DraftVersion.number == 2))
    assert version is not None and "Train judges and prosecutors." in version.body
    assert RECOMMENDATIONS[4] not in version.body
    assert state()["mail"] == before["mail"]
    text = body(client.get(page(meeting)))
    assert "Version 2 of “Policy recommendations” is started with the workshop's positions." \
        in text
    assert f'href="{A}/drafts/{draft.id}/v/2">Version 2</a>' in text
    assert "Record the position" not in text and "Update the agenda" not in text
    # Twice: refused, nothing more.
    before = state()
    again = client.post(f"{page(meeting)}/apply", data={"confirm": "1"}, follow_redirects=True)
    assert "have been carried into new versions" in body(again)
    assert state() == before
    # The board member reads where they went, without a link to the working version.
    login(people["board_member"])
    assert "Version 2 (being prepared by the research team)" in body(client.get(page(meeting)))
    circulate(draft, assessment, people["researcher"])   # once circulated: the link
    assert f'href="{A}/drafts/{draft.id}/v/2">Version 2</a>' in body(client.get(page(meeting)))


def test_carrying_nothing_is_refused_before_the_confirmation(ws, client, login):
    _assessment, people, _draft, meeting = ws
    login(people["coordinator"])
    before = state()
    response = client.post(f"{page(meeting)}/apply", follow_redirects=True)
    assert "No position is recorded yet" in body(response)
    assert 'class="card confirm"' not in body(response)
    assert state() == before



def test_the_page_reads_in_the_same_number_of_queries_whatever_the_agenda(ws, client, login):
    from tests.querycount import counting
    assessment, people, draft, meeting = ws
    login(people["coordinator"])
    url = page(meeting)
    client.get(url)
    with counting() as small:
        assert client.get(url).status_code == 200
    for n in range(3):
        other = recommendations_draft(assessment, people, [f"Recommendation {n}.{k}."
                                                           for k in range(8)],
                                      title=f"More recommendations {n}")
        set_agenda(meeting, assessment, people, keys(draft) + keys(other)
                   + [(r.draft_id, r.block_id) for r in items(meeting)])
        record(items(meeting)[-1], assessment, people, "endorsed")
    with counting() as large:
        assert client.get(url).status_code == 200
    assert len(items(meeting)) == 30
    assert len(large) == len(small), "\n".join(large)

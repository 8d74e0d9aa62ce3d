"""Validation over HTTP: opening, signing, on-behalf records, closing, reminders, who sees what,
the certificate, and the validated status on the drafts and the catalogue."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from mab.assessments.models import BoardStatus, Role
from mab.drafts.models import Draft
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.meetings.models import Meeting
from mab.validation import services
from mab.validation.models import SignDecision, SignOff, ValidationRound
from tests.drafts.support import import_sample, make_draft
from tests.factories import make_member
from tests.validation.support import (
    A,
    add_board_member,
    as_request,
    circulate,
    close,
    count,
    current_rows,
    events,
    fresh,
    last_mail_id,
    mail,
    new_version,
    on_behalf,
    open_round,
    sign,
    sign_form,
    text_of,
    world,
)


@pytest.fixture
def w(app, request_context):
    return world()


def url(round_, tail=""):
    return f"{A}/validation/{round_.id}{tail}"


def sign_offered(client, round_) -> bool:
    return f'action="{url(round_, "/sign")}"' in client.get(url(round_)).get_data(as_text=True)


def open_form(w, version=None, *, days=7, meeting="", confirm_end=True):
    """The open-round form; ``confirm_end`` confirms ending a consultation still running
    (tests/validation/test_open_guard.py tests the confirmation itself)."""
    deadline = (w.assessment.today() + timedelta(days=days)).isoformat()
    data = {"version_id": str((version or w.version).id), "deadline": deadline,
            "meeting_id": str(meeting)}
    if confirm_end:
        data["confirm_end"] = "1"
    return data


def checked(html, value) -> bool:
    """Whether the decision radio with this value is checked."""
    tag = re.search(rf'<input[^>]*value="{value}"[^>]*>', html)
    return tag is not None and "checked" in tag.group(0)


def textarea(html, name) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    return match.group(1).strip() if match else None


# --- opening -----------------------------------------------------------------------------------

def test_the_coordinator_opens_a_round(client, login, w):
    login(w.people["coordinator"])
    page = client.get(f"{A}/validation")
    assert page.status_code == 200 and "Policy findings, version 1" in text_of(page)
    response = client.post(f"{A}/validation", data=open_form(w, meeting=w.workshop.id))
    [round_] = db.session.scalars(select(ValidationRound)).all()
    assert response.status_code == 302 and response.headers["Location"].endswith(url(round_))
    html = client.get(url(round_)).get_data(as_text=True)
    assert w.version.sha256 in html and "Validation workshop" in html
    assert len(events("validation.opened")) == 1


def test_an_uncirculated_version_cannot_be_opened(client, login, w):
    draft = make_draft(w.assessment, w.people["researcher"], "Not sent.", title="Unsent")
    login(w.people["coordinator"])
    assert "Unsent" not in text_of(client.get(f"{A}/validation"))    # not offered
    response = client.post(f"{A}/validation", data=open_form(w, draft.versions[0]))
    assert response.status_code == 422
    assert "Only a circulated version can be validated" in text_of(response)
    assert count(ValidationRound) == 0


def test_a_superseded_version_cannot_be_opened(client, login, w):
    new_version(w.draft, w.assessment, w.people["researcher"], "Policy is sound.\n\nRevised.")
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["coordinator"])
    html = text_of(client.get(f"{A}/validation"))
    assert "Policy findings, version 2" in html and "Policy findings, version 1" not in html
    response = client.post(f"{A}/validation", data=open_form(w, w.version))
    assert response.status_code == 422
    assert "Version 1 has been superseded by version 2" in text_of(response)
    assert count(ValidationRound) == 0


def test_a_second_round_on_the_same_version_is_refused(client, login, w):
    login(w.people["coordinator"])
    assert client.post(f"{A}/validation", data=open_form(w)).status_code == 302
    response = client.post(f"{A}/validation", data=open_form(w))      # the form posted again
    assert response.status_code == 422
    assert "This version already has a validation round" in text_of(response)
    assert count(ValidationRound) == 1


def test_a_deadline_in_the_past_is_refused(client, login, w):
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=open_form(w, days=-1))
    assert response.status_code == 422
    assert "Give a deadline today or later" in text_of(response)
    assert count(ValidationRound) == 0


def test_a_meeting_of_another_assessment_is_refused(client, login, w):
    foreign = db.session.scalar(select(Meeting).where(Meeting.assessment_id == w.other.id))
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=open_form(w, meeting=foreign.id))
    assert response.status_code == 422
    assert "Choose a meeting of this assessment." in text_of(response)
    assert "Uzbek workshop" not in text_of(response)
    assert count(ValidationRound) == 0


def test_a_version_of_another_assessment_is_not_found(client, login, w):
    researcher = make_member(w.other, Role.RESEARCHER, email="writer@example.uz")
    version = circulate(make_draft(w.other, researcher, "Elsewhere.", title="Uzbek draft"),
                        w.other, researcher)
    login(w.people["coordinator"])
    # Another assessment's version reads like one that does not exist.
    for version_id in (version.id, 999999):
        response = client.post(f"{A}/validation", data={**open_form(w),
                                                         "version_id": str(version_id)})
        assert response.status_code == 422
        assert "Choose a circulated version." in text_of(response)
        assert "Uzbek draft" not in text_of(response)
    assert client.post(f"{A}/validation", data={**open_form(w), "version_id": "abc"}
                       ).status_code == 422
    assert count(ValidationRound) == 0


@pytest.mark.parametrize("who", ["researcher", "board_member", "observer"])
def test_only_the_coordinator_opens_and_closes(client, login, w, who):
    round_ = open_round(w)
    login(w.people[who])
    assert client.post(f"{A}/validation", data=open_form(w)).status_code == 403
    assert client.post(url(round_, "/close"), data={"confirm": "y"}).status_code == 403
    assert client.post(url(round_, "/remind")).status_code == 403
    assert client.post(url(round_, "/on-behalf"), data={
        "membership_id": w.m("member2").id, "decision": "endorse",
        "meeting_id": w.workshop.id}).status_code == 403
    assert fresh(round_).is_open and count(SignOff) == 0
    html = text_of(client.get(f"{A}/validation"))
    assert "Open a validation round" not in html


# --- signing -----------------------------------------------------------------------------------

def test_a_member_endorses_without_a_statement(client, login, w):
    round_ = open_round(w)
    login(w.people["board_member"])
    assert sign_offered(client, round_)
    page = client.get(url(round_)).get_data(as_text=True)
    assert f'value="{w.version.sha256}"' in page                  # the hash being confirmed
    response = client.post(url(round_, "/sign"), data=sign_form(round_, "endorse"))
    assert response.status_code == 302
    [row] = current_rows(round_, w.m("board_member"))
    assert row.decision == SignDecision.ENDORSE and row.statement == ""
    html = text_of(client.get(url(round_)))
    assert "Your decision is recorded." in html and "You gave: Endorse" in html


@pytest.mark.parametrize("decision", ["reservations", "object"])
def test_reservations_and_objections_need_a_statement(client, login, w, decision):
    round_ = open_round(w)
    login(w.people["board_member"])
    response = client.post(url(round_, "/sign"), data=sign_form(round_, decision, "  "))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write your statement: it is required with reservations or an objection." \
        in text_of(response)
    assert checked(html, decision)                                 # the choice is kept
    assert count(SignOff) == 0


def test_the_confirm_box_is_required_and_the_input_kept(client, login, w):
    round_ = open_round(w)
    login(w.people["board_member"])
    response = client.post(url(round_, "/sign"), data=sign_form(
        round_, "object", "The draft ignores rural users.", confirm=False))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Confirm that this decision is about this exact version." in text_of(response)
    assert textarea(html, "statement") == "The draft ignores rural users."
    assert checked(html, "object")
    assert count(SignOff) == 0


def test_a_wrong_hash_is_refused(client, login, w):
    round_ = open_round(w)
    login(w.people["board_member"])
    for sha in ("0" * 64, ""):
        response = client.post(url(round_, "/sign"), data=sign_form(round_, sha256=sha))
        assert response.status_code == 422
        assert "Confirm the exact version" in text_of(response)
    assert count(SignOff) == 0


@pytest.mark.parametrize("who", ["researcher", "coordinator", "observer"])
def test_only_board_members_sign(client, login, w, who):
    round_ = open_round(w)
    login(w.people[who])
    assert client.post(url(round_, "/sign"), data=sign_form(round_)).status_code == 403
    assert count(SignOff) == 0
    assert not sign_offered(client, round_)


def test_a_member_who_stepped_down_cannot_sign(client, login, w):
    round_ = open_round(w)
    w.m("board_member").board_status = BoardStatus.STEPPED_DOWN
    db.session.commit()
    login(w.people["board_member"])
    assert client.get(url(round_)).status_code == 200 and not sign_offered(client, round_)
    response = client.post(url(round_, "/sign"), data=sign_form(round_), follow_redirects=True)
    assert "Only active board members sign off." in text_of(response)
    assert count(SignOff) == 0


def test_the_same_form_posted_twice_signs_once(client, login, w):
    round_ = open_round(w)
    login(w.people["board_member"])
    data = sign_form(round_, "endorse")
    assert client.post(url(round_, "/sign"), data=data).status_code == 302
    second = client.post(url(round_, "/sign"), data=data, follow_redirects=True)
    assert "Your decision was recorded a moment ago" in text_of(second)
    assert len(current_rows(round_, w.m("board_member"))) == 1 and count(SignOff) == 1
    assert len(events("validation.signed")) == 1


def test_changing_a_decision_supersedes_the_old_one_with_history_shown(client, login, w):
    round_ = open_round(w)
    login(w.people["board_member"])
    client.post(url(round_, "/sign"), data=sign_form(round_, "object", "Too vague on access."))
    [first] = current_rows(round_, w.m("board_member"))
    # The page offers the change, naming the decision it replaces.
    html = client.get(url(round_)).get_data(as_text=True)
    assert re.search(rf'name="replaces"[^>]*value="{first.id}"|value="{first.id}"[^>]*'
                     r'name="replaces"', html)
    response = client.post(url(round_, "/sign"), data=sign_form(round_, "endorse",
                                                                  replaces=first.id))
    assert response.status_code == 302
    [second] = current_rows(round_, w.m("board_member"))
    assert second.id != first.id and fresh(first).superseded_at is not None
    assert count(SignOff) == 2
    history = text_of(client.get(url(round_)))
    assert "Your decisions in this round" in history
    assert "Object · “Too vague on access.” (superseded)" in history
    # Counted once, as an endorsement, in the coordinator's live outcome.
    login(w.people["coordinator"])
    live = text_of(client.get(url(round_)))
    assert "Responded: 1 of 2 active members (50%, needs 50%)." in live
    assert "Endorsed: 1 of 1 responses (100%, needs 67%), 0 with reservations; 0 objected." \
        in live


def test_no_signing_on_a_closed_round(client, login, w):
    round_ = open_round(w)
    close(w, round_)
    login(w.people["board_member"])
    assert not sign_offered(client, round_)
    response = client.post(url(round_, "/sign"), data=sign_form(round_), follow_redirects=True)
    assert "This round is closed" in text_of(response)
    assert count(SignOff) == 0


def test_no_signing_once_a_later_version_is_circulated(client, login, w):
    round_ = open_round(w)
    new_version(w.draft, w.assessment, w.people["researcher"], "Policy is sound.\n\nRevised.")
    circulate(w.draft, w.assessment, w.people["researcher"])
    login(w.people["board_member"])
    page = text_of(client.get(url(round_)))
    assert "Version 1 has been superseded by version 2" in page
    response = client.post(url(round_, "/sign"), data=sign_form(round_), follow_redirects=True)
    assert "superseded by version 2" in text_of(response)
    assert count(SignOff) == 0


# --- on behalf ---------------------------------------------------------------------------------

def test_on_behalf_needs_a_meeting_and_is_marked_on_page_and_certificate(client, login, w):
    round_ = open_round(w)
    foreign = db.session.scalar(select(Meeting).where(Meeting.assessment_id == w.other.id))
    login(w.people["coordinator"])
    data = {"membership_id": str(w.m("member2").id), "decision": "reservations",
            "statement": "Given orally at the workshop."}
    for meeting in ("", str(foreign.id)):
        response = client.post(url(round_, "/on-behalf"), data={**data, "meeting_id": meeting})
        assert response.status_code == 422
        assert "Given orally at the workshop." in response.get_data(as_text=True)
    assert count(SignOff) == 0
    response = client.post(url(round_, "/on-behalf"),
                           data={**data, "meeting_id": str(w.workshop.id)})
    assert response.status_code == 302
    [row] = current_rows(round_, w.m("member2"))
    assert row.on_behalf and row.meeting_id == w.workshop.id
    page = text_of(client.get(url(round_)))
    coordinator = w.people["coordinator"].display_name
    assert f"recorded by {coordinator} at Validation workshop" in page
    close(w, round_)
    certificate = text_of(client.get(url(round_, "/certificate")))
    assert "given at Validation workshop, recorded by the coordinator" in certificate
    # The member's own decision is not marked.
    assert certificate.count("recorded by the coordinator") == 1


def test_on_behalf_without_a_meeting_names_the_problem(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    response = client.post(url(round_, "/on-behalf"), data={
        "membership_id": str(w.m("member2").id), "decision": "endorse", "statement": "",
        "meeting_id": ""})
    assert response.status_code == 422
    assert "Name the meeting where the member gave this decision." in text_of(response)


# --- closing -----------------------------------------------------------------------------------

# The rounds here close before their deadline: closing asks for a reason (test_close_guard.py).
CLOSE_EARLY = {"confirm": "y", "reason": "The board agreed at its meeting."}

def test_closing_before_any_response_says_why_it_failed(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    response = client.post(url(round_, "/close"), data=CLOSE_EARLY, follow_redirects=True)
    html = text_of(response)
    assert "The round is closed: the version is not validated." in html
    assert "Responded: 0 of 2 active members (0%, needs 50%)." in html
    assert "Endorsed: no response, so no endorsement (needs 67% of the responses)." in html
    assert "Groups responding: 0 of 2. Missing: Academia, Government." in html
    assert fresh(round_).passed is False
    assert "Close the round" not in html


def test_closing_needs_the_confirm_box(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    response = client.post(url(round_, "/close"), data={})
    assert response.status_code == 422 and "Confirm that closing is final." in text_of(response)
    assert fresh(round_).is_open


def test_closing_is_final(client, login, w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    sign(w, round_, "member2", "endorse")
    login(w.people["coordinator"])
    first = client.post(url(round_, "/close"), data=CLOSE_EARLY, follow_redirects=True)
    assert "The round is closed: the version is validated." in text_of(first)
    closed_at, result = fresh(round_).closed_at, fresh(round_).result
    second = client.post(url(round_, "/close"), data=CLOSE_EARLY, follow_redirects=True)
    assert "This round is already closed; closing is final." in text_of(second)
    assert (fresh(round_).closed_at, fresh(round_).result) == (closed_at, result)
    assert len(events("validation.closed")) == 1


def test_the_closed_result_does_not_move_with_the_board(client, login, w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    sign(w, round_, "member2", "object", "Missing data.")
    close(w, round_)
    login(w.people["coordinator"])
    before = text_of(client.get(url(round_, "/certificate")))
    assert "Responded: 2 of 2 active members (100%, needs 50%)." in before
    # The board grows and a signatory steps down after closing.
    for n in range(4):
        add_board_member(w.assessment, f"later{n}@example.org", w.groups[3])
    w.m("member2").board_status = BoardStatus.STEPPED_DOWN
    db.session.commit()
    for page in (url(round_), url(round_, "/certificate")):
        html = text_of(client.get(page))
        assert "Responded: 2 of 2 active members (100%, needs 50%)." in html
        assert "Endorsed: 1 of 2 responses (50%, needs 67%), 0 with reservations; 1 objected." \
            in html
    # And later sign-offs are impossible.
    login(w.people["board_member"])
    client.post(url(round_, "/sign"), data=sign_form(round_, "object", "Late."))
    assert count(SignOff) == 2


# --- reminders ---------------------------------------------------------------------------------

def test_remind_queues_mail_to_pending_active_members_only(client, login, w):
    add_board_member(w.assessment, "gone@example.org", w.groups[2],
                     status=BoardStatus.STEPPED_DOWN)
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    login(w.people["coordinator"])
    html = text_of(client.get(url(round_)))
    assert "Remind the 1 pending member" in html
    first = last_mail_id()
    response = client.post(url(round_, "/remind"), follow_redirects=True)
    assert "1 reminders are in the outbox." in text_of(response)
    assert [m.recipient for m in mail(first)] == ["member2@example.org"]
    assert events("validation.reminded")[0].changes == {"recipients": 1}


# --- who sees what -----------------------------------------------------------------------------

VALIDATION_URLS = ["", "/{id}", "/{id}/certificate"]
VALIDATION_POSTS = ["", "/{id}/sign", "/{id}/on-behalf", "/{id}/remind", "/{id}/close"]


def test_outsiders_get_404_everywhere(client, login, w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    closed = open_round(w, circulate(make_draft(w.assessment, w.people["researcher"], "Other.",
                                                title="Other"), w.assessment,
                                     w.people["researcher"]))
    close(w, closed)
    for who in ("outsider", "other_coordinator", "other_member"):
        login(w.people[who])
        for r in (round_, closed):
            for tail in VALIDATION_URLS:
                assert client.get(f"{A}/validation" + tail.format(id=r.id)).status_code == 404
            for tail in VALIDATION_POSTS:
                response = client.post(f"{A}/validation" + tail.format(id=r.id),
                                       data={**sign_form(r), "confirm": "y"})
                assert response.status_code == 404, (who, tail)
    assert count(SignOff) == 1 and fresh(round_).is_open


def test_a_round_of_another_assessment_is_404_under_this_one(client, login, w):
    researcher = make_member(w.other, Role.RESEARCHER, email="writer@example.uz")
    draft = make_draft(w.other, researcher, "Elsewhere.", title="Uzbek draft")
    version = circulate(draft, w.other, researcher)
    with as_request():
        foreign = services.open_round(version, w.other, deadline=w.other.today(),
                                      actor=w.people["other_coordinator"],
                                      end_consultation=True)
    db.session.commit()
    login(w.people["coordinator"])
    for tail in ("", "/certificate"):
        assert client.get(url(foreign, tail)).status_code == 404
    assert client.post(url(foreign, "/close"), data={"confirm": "y"}).status_code == 404
    login(w.people["board_member"])
    assert client.post(url(foreign, "/sign"), data=sign_form(foreign)).status_code == 404
    assert fresh(foreign).is_open and count(SignOff) == 0



def test_the_rounds_list_counts_current_decisions_and_shows_the_members_own(client, login, w):
    first = open_round(w)
    sign(w, first, "board_member", "object", "Not yet.")
    sign(w, first, "board_member", "endorse")          # changed: counted once, as it stands
    sign(w, first, "member2", "reservations", "Update the figures.")
    draft = make_draft(w.assessment, w.people["researcher"], "Another finding.",
                       title="Another finding")
    second = open_round(w, circulate(draft, w.assessment, w.people["researcher"]))
    sign(w, second, "member2", "object", "No.")

    def row(html, round_):
        cells = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*?/validation/{round_.id}".*?</tr>', html,
                          re.S).group(0)
        return [" ".join(re.sub(r"<[^>]+>", " ", c).split())
                for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]

    login(w.people["board_member"])
    html = client.get(f"{A}/validation").get_data(as_text=True)
    assert row(html, first)[2] == "2" and row(html, first)[-1] == "Endorse"
    assert row(html, second)[2] == "1" and row(html, second)[-1] == "Not yet given"
    login(w.people["coordinator"])            # not on the board: no column of one's own
    html = client.get(f"{A}/validation").get_data(as_text=True)
    assert "Your decision" not in html and row(html, first)[2] == "2"


def test_the_rounds_list_is_paged_newest_first(client, login, w, monkeypatch):
    monkeypatch.setattr("mab.validation.views.ROUNDS_PER_PAGE", 1)
    first = open_round(w)
    sign(w, first, "member2", "reservations", "Update the figures.")
    draft = make_draft(w.assessment, w.people["researcher"], "Another finding.",
                       title="Another finding")
    second = open_round(w, circulate(draft, w.assessment, w.people["researcher"]))
    login(w.people["board_member"])
    one = client.get(f"{A}/validation").get_data(as_text=True)
    assert f"/validation/{second.id}\"" in one and f"/validation/{first.id}\"" not in one
    assert "Page 1 of 2" in one and f"{A}/validation?page=2" in one
    two = text_of(client.get(f"{A}/validation?page=2"))
    assert "Page 2 of 2" in two and "Policy findings, version 1" in two
    assert "Another finding" not in two and "Update the figures." not in two
    beyond = text_of(client.get(f"{A}/validation?page=9"))
    assert "No round on this page. Back to the first page" in beyond

def test_board_members_see_their_decision_but_not_the_others(client, login, w):
    round_ = open_round(w)
    sign(w, round_, "member2", "object", "Secret objection text.")
    login(w.people["board_member"])
    response = client.get(url(round_))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="progress-heading"' not in html and "Secret objection text." not in html
    assert "Second Member" not in html
    assert 'id="behalf-heading"' not in html and 'id="close-heading"' not in html
    sign(w, round_, "board_member", "reservations", "My own reservation.")
    html = text_of(client.get(url(round_)))
    assert "You gave: Endorse with reservations" in html
    assert "Secret objection text." not in html
    index = text_of(client.get(f"{A}/validation"))
    assert "Your decision" in index and "Endorse with reservations" in index
    # The coordinator sees everyone's.
    login(w.people["coordinator"])
    html = client.get(url(round_)).get_data(as_text=True)
    assert 'id="progress-heading"' in html and "Secret objection text." in html


@pytest.mark.parametrize("who", ["observer", "researcher"])
def test_readers_see_the_round_without_the_progress(client, login, w, who):
    round_ = open_round(w)
    sign(w, round_, "member2", "object", "Secret objection text.")
    login(w.people[who])
    response = client.get(url(round_))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="progress-heading"' not in html and "Secret objection text." not in html
    assert w.version.sha256 in html


# --- the certificate ---------------------------------------------------------------------------

def test_the_certificate_is_issued_when_the_round_is_closed(client, login, w):
    round_ = open_round(w)
    login(w.people["coordinator"])
    response = client.get(url(round_, "/certificate"), follow_redirects=True)
    assert "The certificate is issued when the round is closed." in text_of(response)
    assert "Signatories" not in text_of(response)


def test_the_certificate_lists_signatories_by_group_with_hash_and_figures(client, login, w):
    add_board_member(w.assessment, "third@example.org", w.groups[0], name="Bolat Third")
    round_ = open_round(w)
    sign(w, round_, "member2", "object", "Rural data is missing.")
    sign(w, round_, "board_member", "object", "Too early.")
    sign(w, round_, "board_member", "reservations", "Add the 2022 survey.")   # supersedes
    close(w, round_)
    login(w.people["observer"])
    response = client.get(url(round_, "/certificate"))
    assert response.status_code == 200
    html = text_of(response)
    assert w.version.sha256 in html
    assert "Not validated" in html
    # Government (position 1) before academia (position 2), each with its members.
    government = html.index("Government")
    academia = html.index("Academia")
    assert government < html.index("Aigerim Board") < academia < html.index("Second Member")
    assert "Aigerim Board, Ministry of Digital Development: Endorse with reservations" in html
    assert "Add the 2022 survey." in html and "Too early." not in html     # superseded row
    assert "Second Member, KazNU: Object" in html and "Rural data is missing." in html
    # did not respond: not a signatory, listed under "Did not respond"
    assert html.index("Did not respond") < html.index("Bolat Third")
    assert "Responded: 2 of 3 active members (67%, needs 50%)." in html
    assert "Endorsed: 1 of 2 responses (50%, needs 67%), 1 with reservations; 1 objected." \
        in html
    assert "Groups responding: 2 of 2." in html


def test_the_certificate_of_a_passed_round(client, login, w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    on_behalf(w, round_, "member2", "endorse")
    close(w, round_)
    login(w.people["board_member"])
    html = text_of(client.get(url(round_, "/certificate")))
    assert "Outcome Validated" in html
    assert "Groups responding: 2 of 2." in html and "Missing" not in html


# --- the draft list and the catalogue ---------------------------------------------------------

def draft_status(client, title):
    html = client.get(f"{A}/drafts").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if title in r)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[4].strip()   # the Status column


def test_the_draft_list_shows_in_validation_then_validated(client, login, w):
    login(w.people["researcher"])
    assert draft_status(client, "Policy findings").startswith("In consultation until ")
    round_ = open_round(w)
    assert draft_status(client, "Policy findings") == "In validation"
    sign(w, round_, "board_member", "endorse")
    sign(w, round_, "member2", "endorse")
    close(w, round_)
    assert draft_status(client, "Policy findings") == "Validated"
    login(w.people["board_member"])
    assert draft_status(client, "Policy findings") == "Validated"


def test_a_failed_round_does_not_validate_the_draft(client, login, w):
    round_ = open_round(w)
    close(w, round_)
    login(w.people["researcher"])
    assert draft_status(client, "Policy findings") not in ("Validated", "In validation")


def test_the_catalogue_counts_validated_indicators(client, login, w):
    import_sample(w.assessment, w.people["coordinator"])
    indicator = db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.code == "R.5.1", FrameworkItem.kind == ItemKind.INDICATOR))
    other = db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.code == "A.3.1", FrameworkItem.kind == ItemKind.INDICATOR))
    drafts = {}
    for item in (indicator, other):
        draft = make_draft(w.assessment, w.people["researcher"], f"About {item.code}.",
                           title=f"On {item.code}", subject="indicator", item_id=item.id)
        drafts[item.code] = circulate(draft, w.assessment, w.people["researcher"])
    login(w.people["coordinator"])
    assert "0 validated." in text_of(client.get(f"{A}/framework"))
    passed = open_round(w, drafts["R.5.1"])
    failed = open_round(w, drafts["A.3.1"])
    assert "0 validated." in text_of(client.get(f"{A}/framework"))    # open is not validated
    sign(w, passed, "board_member", "endorse")
    sign(w, passed, "member2", "endorse")
    close(w, passed)
    close(w, failed)
    html = text_of(client.get(f"{A}/framework"))
    assert "1 validated." in html
    assert db.session.scalar(select(Draft.id).where(Draft.item_id == indicator.id))

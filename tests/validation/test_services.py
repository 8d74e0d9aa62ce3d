"""Validation use cases: opening on the right version, signing, superseding, on-behalf records,
closing for good, reminders, and an audit event for every change."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mab.assessments.models import BoardStatus, Role
from mab.audit.services import verify_chain
from mab.errors import DomainError
from mab.extensions import db
from mab.meetings.models import Meeting
from mab.validation import services
from mab.validation.models import SignDecision, SignOff, ValidationRound
from tests.drafts.support import make_draft, membership_of
from tests.factories import make_member
from tests.validation.support import (
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
    world,
)


@pytest.fixture
def w(app, request_context):
    return world()


def refused(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value


# --- opening -----------------------------------------------------------------------------------

def test_opening_freezes_the_hash_and_the_rule_and_tells_the_active_members(w):
    first = last_mail_id()
    round_ = open_round(w, meeting=w.workshop)
    assert round_.version_id == w.version.id and round_.version_sha256 == w.version.sha256
    assert round_.rule == {"response_pct": 50, "endorse_num": 2, "endorse_den": 3,
                           "all_groups": True}
    assert round_.meeting_id == w.workshop.id and round_.is_open
    # The two active members are told; the nominee, researcher and observer are not.
    assert sorted(m.recipient for m in mail(first, "validation_opened")) == [
        "board_member@example.org", "member2@example.org"]
    [event] = events("validation.opened")
    assert event.object_id == str(round_.id) and event.actor_id == w.people["coordinator"].id
    assert event.changes["sha256"] == w.version.sha256 and event.changes["version"] == 1


def test_only_a_circulated_version_can_be_validated(w):
    draft = make_draft(w.assessment, w.people["researcher"], "Not yet sent.", title="Unsent")
    error = refused(services.open_round, draft.versions[0], w.assessment,
                    deadline=w.assessment.today(), actor=w.people["coordinator"])
    assert error.field == "version_id" and "Only a circulated version" in str(error.message)
    assert count(ValidationRound) == 0


def test_a_version_superseded_by_a_later_circulated_one_cannot_be_validated(w):
    new_version(w.draft, w.assessment, w.people["researcher"], "Policy is sound.\n\nRevised.")
    # An uncirculated v2 does not supersede v1: v1 is still the latest circulated version.
    assert services.superseded_by(w.version) is None
    circulate(w.draft, w.assessment, w.people["researcher"])
    assert services.superseded_by(w.version).number == 2
    error = refused(services.open_round, w.version, w.assessment,
                    deadline=w.assessment.today(), actor=w.people["coordinator"])
    assert "superseded by version 2" in str(error.message)
    assert count(ValidationRound) == 0
    assert open_round(w, w.draft.versions[1]).version.number == 2


def test_a_version_gets_one_round_only(w):
    first = open_round(w)
    close(w, first)
    error = refused(open_round, w)
    assert "already has a validation round" in str(error.message)
    assert count(ValidationRound) == 1


def test_the_database_refuses_a_second_round_on_a_version(w):
    round_ = open_round(w)
    db.session.add(ValidationRound(assessment_id=w.assessment.id, version_id=w.version.id,
                                   version_sha256=round_.version_sha256,
                                   deadline=w.assessment.today(), rule={}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_deadline_is_today_or_later(w):
    error = refused(open_round, w, days=-1)
    assert error.field == "deadline"
    assert open_round(w, days=0).deadline == w.assessment.today()


def test_the_meeting_must_belong_to_the_assessment(w):
    foreign = db.session.scalar(select(Meeting).where(Meeting.assessment_id == w.other.id))
    error = refused(open_round, w, meeting=foreign)
    assert error.field == "meeting_id"
    assert count(ValidationRound) == 0


def test_a_version_of_another_assessment_is_refused(w):
    researcher = make_member(w.other, Role.RESEARCHER, email="writer@example.uz")
    draft = make_draft(w.other, researcher, "Elsewhere.", title="Other draft")
    version = circulate(draft, w.other, researcher)
    error = refused(services.open_round, version, w.assessment,
                    deadline=w.assessment.today(), actor=w.people["coordinator"])
    assert error.field == "version_id"


def test_the_rule_in_force_at_opening_decides_even_if_the_policy_changes(w):
    round_ = open_round(w)
    w.assessment.validation_response_pct = 100
    w.assessment.validation_endorse_num = w.assessment.validation_endorse_den = 1
    db.session.commit()
    sign(w, round_, "board_member", "endorse")
    # 1 of 2 responded: enough under the frozen 50 %, not under the new 100 %; and one
    # endorsement of one response is judged against 2/3, not 1/1.
    result = close(w, round_)
    responded, endorsed, _groups = result.conditions
    assert responded.ok and responded.figures["needs_pct"] == 50
    assert endorsed.ok and endorsed.figures["needs_pct"] == 67
    assert fresh(round_).rule["response_pct"] == 50


# --- signing -----------------------------------------------------------------------------------

def test_endorse_needs_no_statement_but_reservations_and_objections_do(w):
    round_ = open_round(w)
    assert sign(w, round_, "board_member", "endorse").statement == ""
    for decision in ("reservations", "object"):
        error = refused(services.sign, round_, w.assessment, w.m("member2"), decision=decision,
                        statement="   ", seen_sha256=round_.version_sha256, replaces=None)
        assert error.field == "statement"
    assert current_rows(round_, w.m("member2")) == []


def test_the_database_also_requires_a_statement_with_an_objection(w):
    round_ = open_round(w)
    db.session.add(SignOff(round_id=round_.id, membership_id=w.m("member2").id,
                           decision=SignDecision.OBJECT, statement="",
                           version_sha256=round_.version_sha256))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_signing_needs_the_exact_hash(w):
    round_ = open_round(w)
    error = refused(services.sign, round_, w.assessment, w.m("board_member"), decision="endorse",
                    statement="", seen_sha256="0" * 64, replaces=None)
    assert error.field == "confirm"
    assert count(SignOff) == 0


def test_a_sign_off_records_the_hash_seen_and_is_audited(w):
    round_ = open_round(w)
    row = sign(w, round_, "member2", "reservations", "Update the list of laws.")
    assert row.version_sha256 == w.version.sha256 and not row.on_behalf
    [event] = events("validation.signed")
    assert event.actor_id == w.people["member2"].id
    assert event.changes["decision"] == "reservations" and event.changes["supersedes"] is None
    assert event.changes["statement"] == "Update the list of laws."


def test_a_double_submission_is_refused_and_one_decision_stays_current(w):
    round_ = open_round(w)
    member = w.m("board_member")
    services.sign(round_, w.assessment, member, decision="endorse", statement="",
                  seen_sha256=round_.version_sha256, replaces=None)
    db.session.commit()
    # The same form posted again (it still says it replaces nothing).
    error = refused(services.sign, round_, w.assessment, member, decision="endorse",
                    statement="", seen_sha256=round_.version_sha256, replaces=None)
    assert "a moment ago" in str(error.message)
    assert len(current_rows(round_, member)) == 1 and count(SignOff) == 1


def test_the_database_keeps_one_current_decision_per_member_and_round(w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    db.session.add(SignOff(round_id=round_.id, membership_id=w.m("board_member").id,
                           decision=SignDecision.ENDORSE, statement="",
                           version_sha256=round_.version_sha256))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_changed_decision_supersedes_the_old_row_which_stays(w):
    round_ = open_round(w)
    first = sign(w, round_, "board_member", "object", "Civil society is missing.")
    second = sign(w, round_, "board_member", "endorse")
    first, second = fresh(first), fresh(second)
    assert first.superseded_at is not None and first.decision == SignDecision.OBJECT
    assert first.statement == "Civil society is missing."          # never updated otherwise
    assert second.superseded_at is None
    assert current_rows(round_, w.m("board_member")) == [second]
    assert events("validation.signed")[-1].changes["supersedes"] == first.id
    result = services.compute(fresh(round_), w.assessment, w.group_names)
    endorsed = {c.code: c for c in result.conditions}["endorsed"]
    assert (endorsed.figures["responded"], endorsed.figures["endorsed"]) == (1, 1)


def test_a_stale_replaces_is_refused(w):
    round_ = open_round(w)
    first = sign(w, round_, "board_member", "endorse")
    sign(w, round_, "board_member", "reservations", "One change.")
    # A second tab still showing the first decision.
    error = refused(services.sign, round_, w.assessment, w.m("board_member"),
                    decision="object", statement="No.", seen_sha256=round_.version_sha256,
                    replaces=first.id)
    assert "a moment ago" in str(error.message)
    assert current_rows(round_, w.m("board_member"))[0].decision == SignDecision.RESERVATIONS


@pytest.mark.parametrize("status", [BoardStatus.STEPPED_DOWN, BoardStatus.NOMINEE])
def test_only_active_members_sign(w, status):
    round_ = open_round(w)
    w.m("board_member").board_status = status
    db.session.commit()
    error = refused(sign, w, round_, "board_member")
    assert "Only active board members" in str(error.message)
    assert count(SignOff) == 0


def test_a_member_of_another_assessment_cannot_sign(w):
    round_ = open_round(w)
    error = refused(services.sign, round_, w.assessment,
                    membership_of(w.people["other_member"], w.other), decision="endorse",
                    statement="", seen_sha256=round_.version_sha256, replaces=None)
    assert "Only active board members" in str(error.message)


def test_no_decision_on_a_closed_round(w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    close(w, round_)
    for call in (lambda: sign(w, round_, "member2", "endorse"),
                 lambda: sign(w, round_, "board_member", "object", "Changed my mind."),
                 lambda: on_behalf(w, round_, "member2")):
        assert "closed" in str(refused(call).message)
    assert count(SignOff) == 1


def test_no_decision_once_a_later_version_is_circulated(w):
    round_ = open_round(w)
    new_version(w.draft, w.assessment, w.people["researcher"], "Policy is sound.\n\nRevised.")
    sign(w, round_, "board_member", "endorse")       # v2 not circulated yet: still fine
    circulate(w.draft, w.assessment, w.people["researcher"])
    error = refused(sign, w, round_, "member2", "endorse")
    assert "superseded by version 2" in str(error.message)
    assert count(SignOff) == 1


# --- on behalf ---------------------------------------------------------------------------------

def test_on_behalf_names_a_meeting_of_the_assessment_and_is_marked(w):
    round_ = open_round(w)
    foreign = db.session.scalar(select(Meeting).where(Meeting.assessment_id == w.other.id))
    for meeting_id in (None, foreign.id, 999999):
        error = refused(services.record_on_behalf, round_, w.assessment, w.m("coordinator"),
                        w.m("member2"), decision="endorse", statement="",
                        meeting_id=meeting_id)
        assert error.field == "meeting_id"
    assert count(SignOff) == 0
    row = on_behalf(w, round_, "member2", "reservations", "Said at the workshop.")
    assert row.on_behalf and row.recorded_by_id == w.m("coordinator").id
    assert row.meeting_id == w.workshop.id and row.membership_id == w.m("member2").id
    [event] = events("validation.signed")
    assert event.actor_id == w.people["coordinator"].id
    assert event.changes["on_behalf_at_meeting"] == w.workshop.id


def test_the_database_refuses_an_on_behalf_record_without_a_meeting(w):
    round_ = open_round(w)
    db.session.add(SignOff(round_id=round_.id, membership_id=w.m("member2").id,
                           decision=SignDecision.ENDORSE, statement="",
                           version_sha256=round_.version_sha256,
                           recorded_by_id=w.m("coordinator").id, meeting_id=None))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_on_behalf_only_for_active_members(w):
    round_ = open_round(w)
    error = refused(services.record_on_behalf, round_, w.assessment, w.m("coordinator"),
                    w.m("nominee"), decision="endorse", statement="",
                    meeting_id=w.workshop.id)
    assert "Only active board members" in str(error.message)


# --- closing -----------------------------------------------------------------------------------

def test_closing_without_any_response_fails_with_the_figures(w):
    round_ = open_round(w)
    result = close(w, round_)
    round_ = fresh(round_)
    assert not result.passed and round_.passed is False and round_.closed_at is not None
    responded = round_.result["conditions"][0]
    assert responded == {"code": "responded", "ok": False,
                         "figures": {"responded": 0, "active": 2, "pct": 0, "needs_pct": 50}}
    assert round_.result["conditions"][2]["figures"]["missing"] == ["Academia", "Government"]
    [event] = events("validation.closed")
    assert event.changes["passed"] is False and event.changes["result"] == round_.result


def test_closing_is_final(w):
    round_ = open_round(w)
    close(w, round_)
    closed_at = fresh(round_).closed_at
    error = refused(close, w, round_)
    assert "already closed" in str(error.message)
    assert fresh(round_).closed_at == closed_at and len(events("validation.closed")) == 1


def test_the_result_is_frozen_at_closing(w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    sign(w, round_, "member2", "endorse")
    close(w, round_)
    stored = fresh(round_).result
    assert stored["passed"] is True
    # Afterwards the board changes: a member steps down, three more join a new group.
    w.m("member2").board_status = BoardStatus.STEPPED_DOWN
    db.session.commit()
    for n in range(3):
        add_board_member(w.assessment, f"late{n}@example.org", w.groups[5])
    round_ = fresh(round_)
    assert round_.result == stored and round_.passed is True
    # Recomputed now it would fail: the stored result is what counts.
    assert not services.compute(round_, w.assessment, w.group_names).passed


def test_the_outcome_ignores_decisions_of_members_who_stepped_down_before_closing(w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    sign(w, round_, "member2", "object", "No.")
    w.m("member2").board_status = BoardStatus.STEPPED_DOWN
    db.session.commit()
    close(w, round_)
    figures = fresh(round_).result["conditions"][0]["figures"]
    assert (figures["responded"], figures["active"]) == (1, 1)
    assert fresh(round_).passed is True


# --- reminders ---------------------------------------------------------------------------------

def test_reminders_go_to_pending_active_members_only(w):
    add_board_member(w.assessment, "quiet@example.org", w.groups[2])
    add_board_member(w.assessment, "gone@example.org", w.groups[2],
                     status=BoardStatus.STEPPED_DOWN)
    round_ = open_round(w)
    sign(w, round_, "board_member", "endorse")
    first = last_mail_id()
    with as_request():
        sent = services.remind(round_, w.assessment, actor=w.people["coordinator"])
    db.session.commit()
    assert sent == 2
    reminders = mail(first, "validation_reminder")
    assert sorted(m.recipient for m in reminders) == ["member2@example.org",
                                                      "quiet@example.org"]
    assert f"/a/kz-2022/validation/{round_.id}" in reminders[0].body_text
    [event] = events("validation.reminded")
    assert event.changes == {"recipients": 2}


def test_no_reminder_on_a_closed_round(w):
    round_ = open_round(w)
    close(w, round_)
    first = last_mail_id()
    with as_request():
        refused(services.remind, round_, w.assessment, actor=w.people["coordinator"])
    assert mail(first) == [] and events("validation.reminded") == []


# --- the audit trail ---------------------------------------------------------------------------

def test_every_change_of_a_round_is_audited_in_an_intact_chain(w):
    round_ = open_round(w)
    sign(w, round_, "board_member", "object", "Too vague.")
    sign(w, round_, "board_member", "endorse")
    on_behalf(w, round_, "member2", "endorse")
    with as_request():
        services.remind(round_, w.assessment, actor=w.people["coordinator"])
    db.session.commit()
    close(w, round_)
    actions = [e.action for e in events("validation.opened") + events("validation.signed")
               + events("validation.reminded") + events("validation.closed")]
    assert actions == ["validation.opened"] + ["validation.signed"] * 3 + [
        "validation.reminded", "validation.closed"]
    assert all(e.assessment_id == w.assessment.id for e in events("validation.signed"))
    assert verify_chain() is None


def test_sign_offs_are_never_updated_in_place(w):
    """The superseded row keeps its decision, statement and time; only superseded_at is set."""
    round_ = open_round(w)
    first = sign(w, round_, "board_member", "object", "Too vague.")
    created = fresh(first).created_at
    sign(w, round_, "board_member", "reservations", "Better.")
    first = fresh(first)
    assert (first.decision, first.statement, first.created_at) == (
        SignDecision.OBJECT, "Too vague.", created)
    assert first.superseded_at >= created
    assert count(SignOff) == 2

"""The follow-up's use cases: a member proposes, the coordinator records and confirms or
declines; each refusal leaves nothing behind (no update, no file, no audit event, no mail)."""
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app

from mab.errors import DomainError
from mab.extensions import db
from mab.recommendations import followup_queries, followup_services as services
from mab.recommendations.models import UpdateState
from tests.records import events, last_mail_id, mail
from tests.recommendations.support_followup import (
    PDF,
    counts,
    report,
    states,
    validated_draft,
    world,
)
from tests.validation import support as validation

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _uploads() -> list[Path]:
    return [p for p in Path(current_app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def test_a_board_member_proposes_and_the_coordinators_are_emailed(app):
    f = world()
    before = last_mail_id()
    update = report(f, "board_member", status="partly_implemented", note="Half the villages.",
                    url="https://example.org/report", filename="report.pdf", data=PDF)
    assert update.state == UpdateState.PROPOSED
    assert update.reported_by_id == f.m("board_member").id and update.decided_by_id is None
    assert update.file_name == "report.pdf" and update.file_size == len(PDF)
    assert len(_uploads()) == 1
    [event] = events("follow_up.proposed")
    assert event.object_type == "FollowUpUpdate"
    assert event.changes["follow_up_status"] == "partly_implemented"
    assert event.changes["evidence_url"] == "https://example.org/report"
    [message] = mail(before, "follow_up_proposed")
    assert message.recipient == f.people["coordinator"].email
    assert "Partly implemented" in message.body_text and "Half the villages." in message.body_text
    assert "/a/kz-2022/recommendations/follow-up" in message.body_text
    # a proposal does not count yet
    [rec, *_] = followup_queries.followed(f.assessment, f.m("coordinator"))
    assert rec.status is None and rec.updates == [update]


def test_a_researchers_update_is_proposed_too(app):
    f = world()
    assert report(f, "researcher").state == UpdateState.PROPOSED


def test_the_coordinators_update_is_confirmed_at_once_without_mail(app):
    f = world()
    before = last_mail_id()
    update = report(f, "coordinator", status="implemented")
    assert update.state == UpdateState.CONFIRMED
    assert update.decided_by_id == f.people["coordinator"].id and update.decided_at is not None
    assert [e.action for e in events("follow_up.recorded")] == ["follow_up.recorded"]
    assert mail(before) == []
    [rec, *_] = followup_queries.followed(f.assessment, f.m("observer"))
    assert rec.status == "implemented"


def test_the_coordinator_confirms_a_proposed_update(app):
    f = world()
    update = report(f, "board_member", status="in_progress")
    services.confirm_update(update, f.assessment, actor=f.people["coordinator"])
    db.session.commit()
    assert update.state == UpdateState.CONFIRMED
    assert update.decided_by_id == f.people["coordinator"].id
    assert len(events("follow_up.confirmed")) == 1
    assert followup_queries.followed(f.assessment, f.m("observer"))[0].status == "in_progress"


def test_a_declined_update_counts_for_nothing_and_is_hidden_from_other_readers(app):
    f = world()
    update = report(f, "board_member", status="implemented")
    services.decline_update(update, f.assessment, actor=f.people["coordinator"])
    db.session.commit()
    assert update.state == UpdateState.DECLINED and len(events("follow_up.declined")) == 1
    assert followup_queries.followed(f.assessment, f.m("researcher"))[0].updates == [update]
    assert followup_queries.followed(f.assessment, f.m("board_member"))[0].updates == [update]
    [rec, *_] = followup_queries.followed(f.assessment, f.m("observer"))
    assert rec.status is None and rec.updates == []
    assert followup_queries.followed(f.assessment, f.m("member2"))[0].updates == []


@pytest.mark.parametrize("decide", [services.confirm_update, services.decline_update])
def test_only_a_proposed_update_is_decided(app, decide):
    f = world()
    update = report(f, "coordinator")
    before = counts()
    with pytest.raises(DomainError, match="already confirmed or declined"):
        decide(update, f.assessment, actor=f.people["coordinator"])
    db.session.rollback()
    assert counts() == before and states() == ["confirmed"]


@pytest.mark.parametrize("who", ["researcher", "board_member", "other_coordinator"])
def test_only_the_assessments_coordinator_decides(app, who):
    f = world()
    update = report(f, "board_member")
    before = counts()
    for decide in (services.confirm_update, services.decline_update):
        with pytest.raises(DomainError, match="does not allow"):
            decide(update, f.assessment, actor=f.people[who])
        db.session.rollback()
    assert counts() == before and states() == ["proposed"]


def test_an_update_of_another_assessment_is_not_decided(app):
    f = world()
    update = report(f, "board_member")
    with pytest.raises(DomainError, match="another assessment"):
        services.confirm_update(update, f.w.other, actor=f.people["other_coordinator"])
    db.session.rollback()
    assert states() == ["proposed"]


def _refused(f, match, field, who="board_member", **kwargs):
    """The report is refused with ``match`` on ``field``, and nothing is left behind."""
    before, files = counts(), _uploads()
    draft_id, block_id = kwargs.pop("key", f.keys[0])
    values = {"status": "in_progress", "reported_on": f.assessment.today(), "note": "",
              "evidence_url": "", "filename": None, "data": None, **kwargs}
    with current_app.test_request_context("/"):
        with pytest.raises(DomainError, match=match) as refused:
            services.report_update(f.assessment, draft_id, block_id, membership=f.m(who),
                                   **values)
    db.session.rollback()
    assert refused.value.field == field
    assert counts() == before
    assert _uploads() == files     # a file stored before the refusal is removed with it
    return refused.value


def test_refusals_leave_nothing_behind(app):
    f = world()
    today = f.assessment.today()
    _refused(f, "in the future", "reported_on", reported_on=today + timedelta(days=1))
    error = _refused(f, "before the recommendation was validated", "reported_on",
                     reported_on=f.validated_on - timedelta(days=1))
    assert str(f.validated_on.year) in str(error.message)
    _refused(f, "date of this status", "reported_on", reported_on=None)
    _refused(f, "Choose a status", "status", status="finished")
    _refused(f, "http:// or https://", "evidence_url", evidence_url="javascript:alert(1)")
    _refused(f, "http:// or https://", "evidence_url", evidence_url="www.example.org")
    _refused(f, "not accepted", "file", filename="tool.exe", data=EXE,
             evidence_url="https://example.org/ok")
    _refused(f, "not a .pdf file", "file", filename="fake.pdf", data=EXE)
    _refused(f, "empty", "file", filename="empty.pdf", data=b"")
    _refused(f, "at most", "note", note="x" * 5001)
    # the day of validation itself is fine
    assert report(f, "board_member", days_ago=(today - f.validated_on).days).id


def test_only_a_validated_recommendation_of_this_assessment_is_followed_up(app):
    from tests.drafts.support import circulate, make_draft
    f = world()
    w = f.w
    # a paragraph that does not exist; a paragraph of a findings draft (validated or not)
    _refused(f, "Only a validated recommendation", None, key=(f.draft.id, "nope"))
    _refused(f, "Only a validated recommendation", None,
             key=(w.draft.id, w.version.blocks[0]["id"]))
    # a circulated recommendations draft not validated yet
    pending = make_draft(f.assessment, f.people["researcher"], "Not validated yet.",
                         title="Later recommendations", subject="recommendations")
    circulate(pending, f.assessment, f.people["researcher"])
    _refused(f, "Only a validated recommendation", None,
             key=(pending.id, pending.versions[0].blocks[0]["id"]))


def test_a_membership_of_this_assessment_reports_only_here(app):
    f = world()
    before = counts()
    with current_app.test_request_context("/"):
        with pytest.raises(DomainError, match="does not allow"):
            services.report_update(f.w.other, f.keys[0][0], f.keys[0][1], status="in_progress",
                                   reported_on=f.w.other.today(), membership=f.m("coordinator"))
    db.session.rollback()
    assert counts() == before


def test_a_recommendation_of_another_assessment_is_refused_under_this_one(app):
    f = world()
    w = f.w
    # uz-2023 validates a recommendations draft of its own
    from mab.board.defaults import create_default_groups
    from tests.factories import make_member
    groups = create_default_groups(w.other)
    researcher = make_member(w.other, "researcher", email="researcher@example.uz")
    db.session.commit()
    from tests.drafts.support import membership_of
    member = membership_of(w.people["other_member"], w.other)
    member.group_id = groups[0].id
    db.session.commit()
    uz = validation.World(w.other, {"researcher": researcher,
                                    "coordinator": w.people["other_coordinator"],
                                    "board_member": w.people["other_member"]},
                          None, None, groups, None)
    draft, version = validated_draft(uz, ["Open the data of the census."], details=False)
    # kz-2022's coordinator names uz-2023's recommendation under kz-2022
    _refused(f, "Only a validated recommendation", None, who="coordinator",
             key=(draft.id, version.blocks[0]["id"]))
    assert states() == []


def test_an_observer_and_a_translator_cannot_report(app):
    f = world()
    _refused(f, "does not allow", None, who="observer")
    _refused(f, "does not allow", None, who="translator")


def test_confirming_an_update_whose_recommendation_is_no_longer_validated(app):
    f = world()
    update = report(f, "board_member")
    update.block_id = "gone"     # as if a later validated version had dropped the paragraph
    db.session.commit()
    with pytest.raises(DomainError, match="no longer among the validated"):
        services.confirm_update(update, f.assessment, actor=f.people["coordinator"])
    db.session.rollback()
    assert states() == ["proposed"]
    services.decline_update(update, f.assessment, actor=f.people["coordinator"])
    db.session.commit()
    assert states() == ["declined"]

"""The demo's evidence and policy recommendations (issue 19 item 6): sources for its indicators
(with "no data" cases), six recommendations addressed to different groups, carried through a
validation workshop into a validated version 2, and two of them followed up."""
import re
from collections import Counter

from sqlalchemy import func, select

from mab.comments.models import Comment, Disposition
from mab.demo import seed
from mab.demo.evidence import EVIDENCE, SOURCES
from mab.demo.recommendations import AMENDED, RECOMMENDATIONS, RECOMMENDATIONS_TITLE
from mab.drafts.models import Draft, Subject
from mab.drafts.paragraphs import split_blocks
from mab.drafts.services import version_hash
from mab.evidence.models import DataStatus, IndicatorEvidence, Source
from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.meetings.models import Meeting, MeetingKind, MeetingStatus
from mab.recommendations import queries
from mab.recommendations.models import (
    FollowUpStatus,
    FollowUpUpdate,
    Position,
    Recommendation,
    UpdateState,
    WorkshopItem,
)
from mab.validation.models import SignDecision, ValidationRound

MODELS = (Source, IndicatorEvidence, Draft, Recommendation, WorkshopItem, FollowUpUpdate,
          ValidationRound, Meeting, Comment)


def _recommendations(assessment) -> Draft:
    return db.session.scalar(select(Draft).where(Draft.assessment_id == assessment.id,
                                                 Draft.subject == Subject.RECOMMENDATIONS))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- evidence ------------------------------------------------------------------------------------

def test_ten_sources_serve_eight_indicators_one_source_several(demo):
    sources = db.session.scalars(select(Source).where(Source.assessment_id == demo.id)
                                 .order_by(Source.number)).all()
    assert [s.number for s in sources] == list(range(1, 11)) == list(
        range(1, len(SOURCES) + 1))
    served = {i.code for s in sources for i in s.indicators}
    assert len(served) == 8
    assert all(s.indicators for s in sources)
    assert max(len(s.indicators) for s in sources) >= 2
    assert all(i.framework_id == demo.framework_id for s in sources for i in s.indicators)
    assert {s.kind for s in sources} == {"official_statistics", "survey", "legal_text",
                                         "expert_interview", "international_index", "other"}
    assert {s.data_year for s in sources} <= {2019, 2020, 2021}
    assert {s.gender_disaggregated for s in sources} == {True, False}
    assert any(s.other_dimensions == "age, region" for s in sources)
    assert all(s.url.startswith("https://") for s in sources if s.url)
    assert any(not s.url for s in sources) and all(s.verification for s in sources)
    assert all(s.created_by_id is not None for s in sources)


def test_every_data_status_is_there_and_no_data_says_why(demo):
    rows = db.session.scalars(select(IndicatorEvidence).where(
        IndicatorEvidence.assessment_id == demo.id)).all()
    assert len(rows) == len(EVIDENCE)
    statuses = Counter(r.data_status for r in rows)
    assert statuses[DataStatus.AVAILABLE] >= 1 and statuses[DataStatus.PARTIAL] >= 1
    assert statuses[DataStatus.NO_DATA] >= 3 and statuses[DataStatus.NOT_APPLICABLE] == 1
    assert all(r.quality_note for r in rows if r.data_status in (DataStatus.NO_DATA,
                                                                   DataStatus.NOT_APPLICABLE))
    # All core indicators (the demo's scope): the coverage dashboard counts every one.
    items = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.id.in_([r.item_id for r in rows]))).all()
    assert len(items) == len(rows) and all(i.core for i in items)
    # Every indicator a source serves has a status; the "no data" ones have no source.
    sources = db.session.scalars(select(Source).where(Source.assessment_id == demo.id)).all()
    served = {i.id for s in sources for i in s.indicators}
    by_item = {r.item_id: r.data_status for r in rows}
    assert served <= set(by_item)
    assert all(by_item[i] in (DataStatus.AVAILABLE, DataStatus.PARTIAL) for i in served)
    assert not any(by_item[i] == DataStatus.NO_DATA for i in served)


def test_a_working_version_of_a_finding_cites_two_known_sources(demo):
    draft = db.session.scalar(select(Draft).where(Draft.assessment_id == demo.id,
                                                  Draft.title == "Connectivity and usage"))
    working = draft.versions[-1]
    assert not working.frozen
    cited = [int(n) for n in re.findall(r"\[@src-(\d+)\]", working.body)]
    assert cited == [1, 4]
    numbers = set(db.session.scalars(select(Source.number).where(
        Source.assessment_id == demo.id)))
    assert set(cited) <= numbers
    # Frozen versions cite nothing: their hashes are as before.
    frozen = db.session.scalars(select(Draft).where(Draft.assessment_id == demo.id)).all()
    assert not any("[@src-" in v.body for d in frozen for v in d.versions if v.frozen)


# --- recommendations -----------------------------------------------------------------------------

def test_six_recommendations_addressed_to_different_groups(demo):
    draft = _recommendations(demo)
    assert draft.title == RECOMMENDATIONS_TITLE and draft.owner.user.email == \
        "researcher@example.org"
    first, second = draft.versions
    assert len(first.blocks) == len(second.blocks) == 6
    assert split_blocks(first.body) == [b["text"] for b in first.blocks]
    assert split_blocks(second.body) == [b["text"] for b in second.blocks]
    for version in (first, second):
        details = queries.details_of([version.id])
        assert set(details) == {(version.id, b["id"]) for b in version.blocks}
        assert all(1 <= len(r.groups) <= 2 and r.indicators and r.findings and r.responsible
                   for r in details.values())
        assert all(g.assessment_id == demo.id for r in details.values() for g in r.groups)
        assert all(f.assessment_id == demo.id and f.subject == Subject.INDICATOR
                   for r in details.values() for f in r.findings)
        assert {g.name for r in details.values() for g in r.groups} >= {
            "Government", "Private sector", "Civil society", "Media and journalists",
            "Academia", "Technical community"}
        assert len({r.priority for r in details.values()}) == 3
        assert len({r.time_frame for r in details.values()}) == 3
        assert "Ministry of Digital Development of the Republic of Kazakhstan" in {
            r.responsible for r in details.values()}
    # Version 2 has the same details as version 1 (copied).
    one, two = queries.details_of([first.id]), queries.details_of([second.id])
    for block in first.blocks:
        a, b = one[(first.id, block["id"])], two[(second.id, block["id"])]
        assert (a.priority, a.time_frame, a.responsible) == (b.priority, b.time_frame,
                                                             b.responsible)
        assert [g.id for g in a.groups] == [g.id for g in b.groups]
        assert [i.id for i in a.indicators] == [i.id for i in b.indicators]
        assert [f.id for f in a.findings] == [f.id for f in b.findings]


def test_version_one_was_circulated_and_its_comment_disposed(demo):
    draft = _recommendations(demo)
    first, second = draft.versions
    assert first.frozen and first.circulation is not None
    assert first.sha256 == version_hash(first)
    [comment] = db.session.scalars(select(Comment).where(Comment.draft_id == draft.id)).all()
    assert comment.version_id == first.id and comment.paragraph == AMENDED[0] + 1
    assert comment.block_id == first.blocks[AMENDED[0]]["id"]
    assert comment.author.user.email == "member11@example.org"
    assert comment.disposition == Disposition.ACCEPTED and comment.response
    assert comment.addressed_in_id == second.id and comment.disposed_by is not None
    assert first.circulation.deadline < demo.today()


def test_the_workshop_positions_are_carried_into_version_two(demo):
    draft = _recommendations(demo)
    first, second = draft.versions
    workshop = db.session.scalar(select(Meeting).where(
        Meeting.assessment_id == demo.id, Meeting.kind == MeetingKind.VALIDATION_WORKSHOP))
    assert workshop.status == MeetingStatus.HELD
    assert workshop.starts_at.date() > first.frozen_at.date()
    items = db.session.scalars(select(WorkshopItem).where(
        WorkshopItem.meeting_id == workshop.id).order_by(WorkshopItem.id)).all()
    assert Counter(i.position for i in items) == {Position.ENDORSED: 4, Position.AMENDED: 1,
                                                  Position.DEFERRED: 1}
    assert [i.block_id for i in items] == [b["id"] for b in first.blocks]
    assert all(i.draft_id == draft.id and i.version_id == first.id for i in items)
    assert all(i.applied_version_id == second.id and i.recorded_by_id for i in items)
    # The amended paragraph keeps its id in version 2 with the new wording; the others
    # (endorsed and deferred) are unchanged.
    index, wording = AMENDED
    [amended] = [i for i in items if i.position == Position.AMENDED]
    assert amended.amended_text == wording and amended.block_id == first.blocks[index]["id"]
    assert [b["id"] for b in second.blocks] == [b["id"] for b in first.blocks]
    assert second.blocks[index]["text"] == wording != first.blocks[index]["text"]
    assert all(b["text"] == a["text"] for n, (a, b) in enumerate(zip(first.blocks,
                                                                    second.blocks))
               if n != index)
    assert second.change_summary.startswith("Positions of the validation workshop of ")
    assert "4 endorsed, 1 amended, 1 deferred" in second.change_summary
    assert not re.search(r"\d{4}-\d{2}-\d{2}", second.change_summary)
    assert [r[7] for r in RECOMMENDATIONS].count("amended") == 1


def test_version_two_was_circulated_and_validated(demo):
    draft = _recommendations(demo)
    first, second = draft.versions
    assert second.frozen and second.circulation is not None
    assert second.sha256 == version_hash(second) != first.sha256
    [round_] = db.session.scalars(select(ValidationRound).where(
        ValidationRound.version_id.in_([first.id, second.id]))).all()
    assert round_.version_id == second.id and round_.version_sha256 == second.sha256
    assert round_.passed is True and not round_.is_open
    assert round_.opened_at > second.frozen_at
    assert round_.opened_at.date() > second.circulation.deadline
    assert round_.closed_at > round_.opened_at
    assert round_.result["passed"] is True
    decisions = Counter(s.decision for s in round_.signoffs)
    assert decisions[SignDecision.ENDORSE] >= 8 and decisions[SignDecision.RESERVATIONS] == 1
    assert all(s.version_sha256 == second.sha256 for s in round_.signoffs)
    # The shared reads see version 2 as the validated one, with its six recommendations.
    assert queries.validated_versions(demo) == [second]
    assert len(queries.validated(demo)) == 6
    # The demo's first round stays the first one (the URL-map sweep uses it).
    first_round = db.session.scalar(select(func.min(ValidationRound.id)).where(
        ValidationRound.assessment_id == demo.id))
    assert db.session.get(ValidationRound, first_round).version.draft.title == \
        "Policy and regulatory framework"


def test_two_validated_recommendations_are_followed_up(demo):
    draft = _recommendations(demo)
    second = draft.versions[-1]
    validated = {item.block_id for item in queries.validated(demo)}
    updates = db.session.scalars(select(FollowUpUpdate).where(
        FollowUpUpdate.assessment_id == demo.id)
        .order_by(FollowUpUpdate.reported_on)).all()
    by_block: dict = {}
    for update in updates:
        assert update.draft_id == draft.id and update.block_id in validated
        by_block.setdefault(update.block_id, []).append(update)
    assert len(by_block) == 2
    closed = db.session.scalar(select(ValidationRound.closed_at).where(
        ValidationRound.version_id == second.id))
    assert all(closed.date() <= u.reported_on <= demo.today() for u in updates)
    progress, implemented = (by_block[b] for b in sorted(by_block, key=lambda b: len(
        [u for u in by_block[b] if u.state == UpdateState.PROPOSED])))
    assert [(u.status, u.state) for u in progress] == [
        (FollowUpStatus.IN_PROGRESS, UpdateState.CONFIRMED),
        (FollowUpStatus.PARTLY_IMPLEMENTED, UpdateState.CONFIRMED)]
    assert progress[-1].evidence_url.startswith("https://")
    assert [(u.status, u.state) for u in implemented] == [
        (FollowUpStatus.IMPLEMENTED, UpdateState.CONFIRMED),
        (FollowUpStatus.IMPLEMENTED, UpdateState.PROPOSED)]
    proposed = implemented[-1]
    assert proposed.reported_by.user.email == "member12@example.org"
    assert proposed.decided_by_id is None and proposed.decided_at is None
    assert all(u.decided_by_id is not None and u.decided_at is not None
               for u in updates if u.state == UpdateState.CONFIRMED)


def test_seeding_twice_changes_nothing(app, demo):
    before = {model.__name__: _count(model) for model in MODELS}
    assert before["Source"] == 10 and before["WorkshopItem"] == 6
    assert before["FollowUpUpdate"] == 4 and before["Recommendation"] == 12
    with app.test_request_context("/"):
        created, _accounts = seed()
    db.session.commit()
    assert not created
    assert {model.__name__: _count(model) for model in MODELS} == before

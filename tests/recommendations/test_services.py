"""The register's use cases: a recommendation is a paragraph of the recommendations draft,
added through the draft's own services; its details belong to the version, follow it into the
next one, and are covered by the version's content hash."""
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from mab.audit.models import AuditEvent
from mab.drafts import rules as draft_rules
from mab.drafts import services as draft_services
from mab.drafts.models import Draft, DraftVersion
from mab.errors import DomainError
from mab.extensions import db
from mab.framework.models import Framework, FrameworkItem, ItemKind
from mab.recommendations import queries, services
from mab.recommendations.models import Recommendation
from tests.drafts.support import circulate
from tests.factories import make_assessment
from tests.recommendations.support_register import (
    add,
    circulate_latest,
    finding,
    group,
    groups,
    indicator,
    rec_draft,
    world,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot():
    """What a refused action must leave as it was."""
    return (count(Draft), count(DraftVersion), count(Recommendation), count(AuditEvent),
            [(v.id, v.body, v.blocks) for v in db.session.scalars(
                select(DraftVersion).order_by(DraftVersion.id))])


def details_of(version, block_id):
    return queries.details_of([version.id]).get((version.id, block_id))


def refused(call, field):
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call()
    db.session.rollback()      # what the boundary does
    assert caught.value.field == field, caught.value.message
    assert snapshot() == before
    return str(caught.value.message)


def test_the_first_recommendation_starts_the_draft_in_the_assessments_language(app):
    assessment, people = world()
    row = add(assessment, people, "Publish the statistics of blocking requests.",
              groups=["Government", "Private sector"], indicators=["R.5.1", "A.3.1"],
              findings=["Access findings"], priority="high", time_frame="short",
              responsible="  Ministry of  Digital Development ")
    draft = row.version.draft
    with force_locale(assessment.language_list[0]):
        assert draft.title == _("Policy recommendations")
    assert draft.subject == "recommendations" and draft.owner.user_id == people["researcher"].id
    assert [v.number for v in draft.versions] == [1]
    assert row.version.blocks == [{"id": "p1",
                                   "text": "Publish the statistics of blocking requests."}]
    assert [g.name for g in row.groups] == ["Government", "Private sector"]   # their order
    assert [i.code for i in row.indicators] == ["R.5.1", "A.3.1"]   # ROAM-X order
    assert [f.title for f in row.findings] == ["Access findings"]
    assert (row.priority, row.time_frame) == ("high", "short")
    assert row.responsible == "Ministry of Digital Development"
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "recommendation.added"))
    assert event.actor_id == people["researcher"].id
    assert event.changes["block_id"] == "p1" and event.changes["priority"] == "high"


def test_a_second_one_is_appended_to_the_working_version(app):
    assessment, people = world()
    first = add(assessment, people, "First recommendation.", groups=["Government"])
    second = add(assessment, people, "Second recommendation.", groups=["Academia"],
                 priority="low", time_frame="long")
    assert second.version.id == first.version.id
    assert [b["id"] for b in second.version.blocks] == ["p1", "p2"]
    assert second.version.body == "First recommendation.\n\nSecond recommendation."
    assert [g.name for g in details_of(second.version, "p1").groups] == ["Government"]
    assert [g.name for g in details_of(second.version, "p2").groups] == ["Academia"]


def test_adding_to_a_circulated_version_starts_the_next_one_which_needs_a_summary(app):
    assessment, people = world()
    add(assessment, people, "First recommendation.", groups=["Government"],
        indicators=["R.5.1"], findings=["Access findings"], responsible="Ministry")
    v1 = circulate_latest(assessment, people)
    message = refused(lambda: add(assessment, people, "Second recommendation."),
                      "change_summary")
    assert "version 1" in message
    row = add(assessment, people, "Second recommendation.", groups=["Civil society"],
              change_summary="A second recommendation")
    v2 = row.version
    assert v2.number == 2 and v2.change_summary == "A second recommendation"
    assert [b["id"] for b in v2.blocks] == ["p1", "p2"]
    carried = details_of(v2, "p1")
    kept = details_of(v1, "p1")
    assert carried.id != kept.id         # a copy: version 1 keeps its own
    assert ([g.name for g in carried.groups], [i.code for i in carried.indicators],
            [f.title for f in carried.findings], carried.responsible) == (
        ["Government"], ["R.5.1"], ["Access findings"], "Ministry")
    assert [g.name for g in details_of(v2, "p2").groups] == ["Civil society"]
    assert details_of(v1, "p2") is None


def test_details_follow_their_paragraph_into_a_new_version_and_not_a_removed_one(app):
    assessment, people = world()
    add(assessment, people, "Keep this one.", groups=["Government"])
    add(assessment, people, "Drop this one.", groups=["Academia"])
    v1 = circulate_latest(assessment, people)
    draft = rec_draft(assessment)
    v2 = draft_services.save_body(draft, assessment,
                                  body="A new first one.\n\nKeep this one, reworded.",
                                  change_summary="Reworded", base_revision=v1.revision,
                                  base_number=1, actor=people["researcher"])
    db.session.commit()
    ids = {b["text"]: b["id"] for b in v2.blocks}
    assert ids["Keep this one, reworded."] == "p1"
    assert [g.name for g in details_of(v2, "p1").groups] == ["Government"]
    assert details_of(v2, ids["A new first one."]) is None
    assert details_of(v2, "p2") is None and "p2" not in ids.values()


def test_a_paragraph_inserted_before_others_in_the_working_version_leaves_their_details(app):
    """Re-saving a working version keeps the ids of its own new paragraphs, so the details
    stay with their recommendation when the draft's editor inserts or removes one before it."""
    assessment, people = world()
    add(assessment, people, "Connect the villages.", groups=["Government"])
    add(assessment, people, "Train the judges.", groups=["Academia"])
    draft = rec_draft(assessment)
    working = draft.versions[-1]
    draft_services.save_body(
        draft, assessment, body="An introduction.\n\nTrain the judges.\n\nConnect the villages.",
        change_summary="", base_revision=working.revision, base_number=1,
        actor=people["researcher"])
    db.session.commit()
    ids = {b["text"]: b["id"] for b in working.blocks}
    assert ids["Connect the villages."] == "p1" and ids["Train the judges."] == "p2"
    assert ids["An introduction."] == "p3"
    assert [g.name for g in details_of(working, "p2").groups] == ["Academia"]


def test_the_version_hash_covers_the_details_and_freezes_with_them(app):
    assessment, people = world()
    row = add(assessment, people, "Publish the statistics.", groups=["Government"])
    version = row.version
    plain = draft_rules.content_hash(version.body, [])
    with_details = draft_services.version_hash(version)
    assert with_details != plain
    services.set_details(assessment, version, "p1", group_ids=[group(assessment, "Academia").id],
                         indicator_ids=[], finding_ids=[], priority="high", time_frame="short",
                         responsible="Ministry of Digital Development",
                         actor=people["researcher"])
    db.session.commit()
    changed = draft_services.version_hash(version)
    assert changed not in (plain, with_details)
    circulated = circulate_latest(assessment, people)
    assert circulated.sha256 == changed == draft_services.version_hash(circulated)


def test_another_drafts_hash_is_unchanged(app):
    assessment, people = world()
    findings = finding(assessment, "Access findings")
    version = findings.versions[0]
    assert draft_services.version_hash(version) == draft_rules.content_hash(version.body, [])
    assert version.sha256 == draft_rules.content_hash(version.body, [])


def test_set_details_on_the_working_version_is_audited(app):
    assessment, people = world()
    row = add(assessment, people, "Publish the statistics.", groups=["Government"],
              priority="high")
    services.set_details(assessment, row.version, "p1",
                         group_ids=[group(assessment, "Media and journalists").id],
                         indicator_ids=[indicator(assessment, "R.7.1").id],
                         finding_ids=[finding(assessment, "Rights findings").id],
                         priority="low", time_frame="long", responsible="Parliament",
                         actor=people["coordinator"])
    db.session.commit()
    again = details_of(row.version, "p1")
    assert ([g.name for g in again.groups], [i.code for i in again.indicators],
            [f.title for f in again.findings], again.priority, again.time_frame,
            again.responsible) == (["Media and journalists"], ["R.7.1"], ["Rights findings"],
                                   "low", "long", "Parliament")
    assert count(Recommendation) == 1
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "recommendation.details_set"))
    assert event.actor_id == people["coordinator"].id
    assert event.changes["priority"] == ["high", "low"]
    assert "time_frame" in event.changes and "block_id" in event.changes


def test_refusals_save_nothing(app):
    assessment, people = world()
    other = make_assessment(slug="kg-2023")
    from mab.board.defaults import create_default_groups
    foreign_group = create_default_groups(other)[0]
    framework = Framework(key="other-framework", name="Other", version="1")
    db.session.add(framework)
    db.session.flush()
    foreign_indicator = FrameworkItem(framework_id=framework.id, kind=ItemKind.INDICATOR,
                                      code="X.1.1", title="Elsewhere")
    db.session.add(foreign_indicator)
    db.session.commit()
    question = db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.QUESTION))
    first = add(assessment, people, "An existing recommendation.", groups=["Government"])
    rec = first.version.draft

    def attempt(**overrides):
        values = dict(text="A new recommendation.", group_ids=[], indicator_ids=[],
                      finding_ids=[], priority="medium", time_frame="medium", responsible="",
                      change_summary="", actor=people["researcher"])
        values.update(overrides)
        return lambda: services.add_recommendation(assessment, **values)

    assert refused(attempt(text="   "), "text")
    assert refused(attempt(text="One.\n\nTwo."), "text")
    assert refused(attempt(text="```\ncode"), "text")
    assert refused(attempt(group_ids=[group(assessment, "Government").id, foreign_group.id]),
                   "groups")
    assert refused(attempt(group_ids=["x"]), "groups")
    assert refused(attempt(indicator_ids=[foreign_indicator.id]), "indicators")
    assert refused(attempt(indicator_ids=[question.id]), "indicators")
    assert refused(attempt(finding_ids=[rec.id]), "findings")
    assert refused(attempt(priority="urgent"), "priority")
    assert refused(attempt(time_frame="forever"), "time_frame")
    assert refused(attempt(responsible="x" * 301), "responsible")
    other_draft = draft_services.create_draft(other, subject="recommendations", item_id=None,
                                              title="Other's", owner=None, body="Elsewhere.",
                                              actor=people["researcher"])
    db.session.commit()
    assert refused(attempt(draft=other_draft), "draft_id")
    assert refused(attempt(draft=finding(assessment, "Access findings")), "draft_id")

    # Details: a paragraph the version does not have, then a circulated version.
    version = first.version

    def details(v, block_id="p1", **overrides):
        values = dict(group_ids=[group(assessment, "Academia").id], indicator_ids=[],
                      finding_ids=[], priority="low", time_frame="long", responsible="",
                      actor=people["researcher"])
        values.update(overrides)
        return lambda: services.set_details(assessment, v, block_id, **values)

    assert refused(details(version, "p9"), "block_id")
    assert refused(details(version, group_ids=[foreign_group.id]), "groups")
    circulate(rec, assessment, people["researcher"])
    message = refused(details(version), None)
    assert "circulated" in message
    assert [g.name for g in details_of(version, "p1").groups] == ["Government"]


def test_revising_the_details_of_a_circulated_version_starts_the_next_one(app):
    assessment, people = world()
    add(assessment, people, "Publish the statistics.", groups=["Government"])
    v1 = circulate_latest(assessment, people)
    draft = rec_draft(assessment)
    academia = group(assessment, "Academia").id

    def revise(summary):
        return services.revise_details(
            assessment, draft, "p1", group_ids=[academia], indicator_ids=[], finding_ids=[],
            priority="low", time_frame="long", responsible="", change_summary=summary,
            actor=people["researcher"])

    refused(lambda: revise(""), "change_summary")
    row = revise("Addressed to academia")
    db.session.commit()
    assert row.version.number == 2 and row.version.body == v1.body
    assert [g.name for g in details_of(row.version, "p1").groups] == ["Academia"]
    assert [g.name for g in details_of(v1, "p1").groups] == ["Government"]
    # On the working version now: no third version.
    again = revise("")
    db.session.commit()
    assert again.version.number == 2


def test_recommendations_draft_is_the_first_one_and_only_the_assessments(app):
    assessment, people = world()
    assert services.recommendations_draft(assessment) is None
    row = add(assessment, people, "One.", groups=[g.name for g in groups(assessment)[:1]])
    assert services.recommendations_draft(assessment).id == row.version.draft_id
    assert services.recommendations_draft(assessment, row.version.draft_id + 1000) is None


def test_the_audit_trail_tells_the_details_in_words(app):
    from mab.audit.present import describe
    assessment, people = world()
    row = add(assessment, people, "Publish the statistics.", groups=["Government"],
              indicators=["R.5.1"], findings=["Access findings"], priority="high",
              time_frame="short", responsible="Ministry")
    services.set_details(assessment, row.version, "p1",
                         group_ids=[group(assessment, "Academia").id], indicator_ids=[],
                         finding_ids=[], priority="low", time_frame="short",
                         responsible="Ministry", actor=people["researcher"])
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("recommendation.%")).order_by(AuditEvent.id)).all()
    with app.test_request_context("/"):
        added, changed = describe(events, assessment, hide_uncirculated=False, personal=True)
        title = row.version.draft.title
        assert added.sentence.endswith(f"added a recommendation to “{title}”, version 1")
        lines = {line.label: line.text for line in added.lines}
        assert lines == {"Addressed to": "Government", "Indicators": "R.5.1",
                         "Findings it rests on": "Access findings", "Priority": "High priority",
                         "Time frame": "Short term", "Responsible actor": "Ministry"}
        assert changed.label == "Details of a recommendation changed"
        lines = {line.label: line.text for line in changed.lines}
        assert lines == {"Addressed to": "Government → Academia", "Indicators": "R.5.1 → —",
                         "Findings it rests on": "Access findings → —",
                         "Priority": "High priority → Low priority"}

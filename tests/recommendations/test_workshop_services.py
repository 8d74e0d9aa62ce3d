"""A validation workshop's use cases: the agenda, the positions, and carrying them into a new
version of the recommendations (its body, paragraph ids, details, translations, summary)."""
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.drafts import services as draft_services
from mab.drafts.paragraphs import split_blocks
from mab.editions import services as edition_services
from mab.errors import DomainError
from mab.extensions import db
from mab.meetings import services as meeting_services
from mab.meetings.models import MeetingStatus
from mab.recommendations import workshop_services as services
from mab.recommendations.models import Recommendation
from mab.types import utcnow
from tests.drafts.support import make_draft
from tests.factories import make_assessment, make_member
from tests.recommendations.support_workshop import (
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


@pytest.fixture
def ws(app, request_context):
    assessment, people = world()
    draft = recommendations_draft(assessment, people)
    meeting = workshop(assessment, people)
    return assessment, people, draft, meeting


def english_day(moment, assessment):
    from mab import i18n
    with force_locale("en"):
        return i18n.date_filter(moment, "long", assessment.timezone)


def refused(call, message, field=None):
    before = counts()
    with pytest.raises(DomainError) as error:
        call()
    db.session.rollback()
    assert message in str(error.value.message)
    assert error.value.field == field
    assert counts() == before


# --- the agenda --------------------------------------------------------------------------------

def test_the_agenda_lists_the_chosen_recommendations_of_the_circulated_version(ws):
    assessment, people, draft, meeting = ws
    rows = set_agenda(meeting, assessment, people, keys(draft, [1, 3]))
    assert [(r.block_id, r.version_id) for r in rows] == [
        (draft.versions[0].blocks[0]["id"], draft.versions[0].id),
        (draft.versions[0].blocks[2]["id"], draft.versions[0].id)]
    entries = services.agenda(meeting)
    assert [e.text for e in entries] == [RECOMMENDATIONS[0], RECOMMENDATIONS[2]]
    assert entries[0].details.responsible == "Ministry 1"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "workshop.agenda_set"))
    assert event.changes == {"agenda_added": 2, "agenda_removed": 0, "agenda_items": 2}
    # Changed: one taken off, one added; the one kept is the same row.
    kept = rows[1].id
    rows = set_agenda(meeting, assessment, people, keys(draft, [3, 4]))
    assert [r.block_id for r in rows] == [b["id"] for b in draft.versions[0].blocks[2:4]]
    assert rows[0].id == kept


def test_the_candidates_are_the_latest_circulated_versions_paragraphs(ws):
    assessment, people, draft, meeting = ws
    # A working version 2 (not circulated): the candidates stay those of version 1.
    draft_services.save_body(draft, assessment, body="Only one now.", change_summary="Cut",
                             base_revision=0, base_number=1, actor=people["researcher"])
    make_draft(assessment, people["researcher"], "Not circulated.", title="Other",
               subject="recommendations")
    findings = make_draft(assessment, people["researcher"], "A finding.", title="Findings")
    assert [i.text for i in services.candidates(assessment)] == RECOMMENDATIONS
    refused(lambda: services.set_agenda(meeting, assessment, [(findings.id, "p1")],
                                        actor=people["coordinator"]),
            "latest circulated version", "keys")
    later = draft.versions[1]
    refused(lambda: services.set_agenda(meeting, assessment, [(draft.id, later.blocks[0]["id"])],
                                        actor=people["coordinator"]),
            "latest circulated version", "keys")


def test_the_agenda_is_only_for_a_validation_workshop_not_cancelled(ws):
    assessment, people, draft, meeting = ws
    board = workshop(assessment, people, kind="board_meeting", title="Board meeting")
    refused(lambda: services.set_agenda(board, assessment, keys(draft),
                                        actor=people["coordinator"]),
            "Only a validation workshop")
    later = workshop(assessment, people, started=False, title="Later workshop")
    meeting_services.cancel_meeting(later, assessment, actor=people["coordinator"])
    db.session.commit()
    assert later.status == MeetingStatus.CANCELLED
    refused(lambda: services.set_agenda(later, assessment, keys(draft),
                                        actor=people["coordinator"]), "cancelled")


def test_a_recommendation_of_another_assessment_is_refused(ws):
    assessment, people, draft, meeting = ws
    other = make_assessment(slug="kg-2023")
    researcher = make_member(other, "researcher")
    theirs = make_draft(other, researcher, "Their recommendation.", title="Theirs",
                        subject="recommendations")
    from tests.drafts.support import circulate
    circulate(theirs, other, researcher)
    refused(lambda: services.set_agenda(meeting, assessment, [(theirs.id, "p1")],
                                        actor=people["coordinator"]),
            "latest circulated version", "keys")
    # Nor may another assessment's workshop list ours.
    their_meeting = workshop(other, {"coordinator": researcher})
    refused(lambda: services.set_agenda(their_meeting, assessment, keys(draft),
                                        actor=people["coordinator"]), "not one of this")


def test_an_item_with_a_position_stays_on_the_agenda(ws):
    assessment, people, draft, meeting = ws
    rows = set_agenda(meeting, assessment, people, keys(draft, [1, 2]))
    record(rows[0], assessment, people, "endorsed")
    refused(lambda: services.set_agenda(meeting, assessment, keys(draft, [2]),
                                        actor=people["coordinator"]),
            "A position is recorded on 1 recommendation (“Publish statistics", "keys")
    set_agenda(meeting, assessment, people, keys(draft, [1]))   # the other may go
    assert [r.id for r in items(meeting)] == [rows[0].id]


# --- positions ----------------------------------------------------------------------------------

def test_positions_are_recorded_and_changed(ws):
    assessment, people, draft, meeting = ws
    rows = set_agenda(meeting, assessment, people, keys(draft, [1, 2]))
    record(rows[0], assessment, people, "amended", "Publish statistics\non removal requests.  ")
    assert (rows[0].position.value, rows[0].amended_text) == (
        "amended", "Publish statistics\non removal requests.")
    assert rows[0].recorded_by_id == people["coordinator"].id and rows[0].recorded_at
    record(rows[0], assessment, people, "endorsed", "ignored wording")
    assert (rows[0].position.value, rows[0].amended_text) == ("endorsed", "")
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "workshop.position_recorded").order_by(AuditEvent.id)).all()
    assert events[0].changes["workshop_position"] == [None, "amended"]
    assert events[1].changes["workshop_position"] == ["amended", "endorsed"]
    assert events[1].changes["amended_text"] == ["Publish statistics\non removal requests.", ""]


@pytest.mark.parametrize("text, message", [
    ("", "Give the new wording"),
    ("   \n ", "Give the new wording"),
    ("Two\n\nparagraphs.", "one paragraph"),
    (RECOMMENDATIONS[0], "the same as the current one"),
])
def test_an_amendment_needs_one_new_paragraph(ws, text, message):
    assessment, people, draft, meeting = ws
    rows = set_agenda(meeting, assessment, people, keys(draft, [1]))
    refused(lambda: services.record_position(rows[0], assessment, "amended", text,
                                             actor=people["coordinator"]),
            message, "amended_text")
    assert positions(meeting) == [(None, "", None)]


def test_an_unknown_position_is_refused(ws):
    assessment, people, draft, meeting = ws
    rows = set_agenda(meeting, assessment, people, keys(draft, [1]))
    refused(lambda: services.record_position(rows[0], assessment, "approved", "",
                                             actor=people["coordinator"]),
            "Choose the board's position", "position")


def test_no_position_before_the_meeting_starts_nor_once_cancelled(ws):
    assessment, people, draft, _meeting = ws
    later = workshop(assessment, people, started=False, title="Later workshop")
    rows = set_agenda(later, assessment, people, keys(draft, [1]))
    refused(lambda: services.record_position(rows[0], assessment, "endorsed", "",
                                             actor=people["coordinator"]),
            "Positions are recorded during the meeting: it starts on")
    meeting_services.cancel_meeting(later, assessment, actor=people["coordinator"])
    later.starts_at = utcnow() - timedelta(hours=1)
    later.ends_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    refused(lambda: services.record_position(rows[0], assessment, "endorsed", "",
                                             actor=people["coordinator"]), "cancelled")


# --- carrying the positions into a new version -------------------------------------------------

def six_positions(ws):
    assessment, people, draft, meeting = ws
    rows = set_agenda(meeting, assessment, people, keys(draft))
    record(rows[0], assessment, people, "endorsed")
    record(rows[1], assessment, people, "amended",
           "Adopt a personal data protection law and an independent regulator by 2026.")
    record(rows[2], assessment, people, "rejected")
    record(rows[3], assessment, people, "deferred")
    record(rows[4], assessment, people, "endorsed")
    return rows   # the sixth has no position


def test_the_positions_start_the_next_version(ws):
    assessment, people, draft, meeting = ws
    rows = six_positions(ws)
    first = draft.versions[0]
    ids = [b["id"] for b in first.blocks]
    with force_locale("en"):
        assert services.preview(meeting, assessment) == [
            "Version 2 of “Policy recommendations” will be started: 2 endorsed, 1 amended, "
            "1 rejected and removed, 1 deferred and kept unchanged, and 1 without a position, "
            "kept unchanged."]
    carried = services.apply_positions(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    version = draft.versions[-1]
    assert [c.version for c in carried] == [version] and version.number == 2
    amended = "Adopt a personal data protection law and an independent regulator by 2026."
    texts = [RECOMMENDATIONS[0], amended, *RECOMMENDATIONS[3:]]
    assert split_blocks(version.body) == texts
    # Same ids: the amended one keeps its own, the rejected one's is gone.
    assert version.blocks == [{"id": i, "text": t} for i, t in
                              zip([ids[0], ids[1], ids[3], ids[4], ids[5]], texts)]
    assert version.frozen_at is None and version.created_by_id == people["coordinator"].id
    # The summary in the assessment's first language (ru), the day in words.
    start = meeting.starts_at
    with force_locale("ru"):
        from mab import i18n
        day = i18n.date_filter(start, "long", assessment.timezone)
    assert day in version.change_summary and start.strftime("%Y-%m-%d") not in \
        version.change_summary
    draft.source_language = "en"   # a draft written in English: its summary in English
    with force_locale("ru"):
        assert services.change_summary(meeting, assessment, draft, carried[0].plan.outcome
                                       .counts) == (
            f"Positions of the validation workshop of "
            f"{english_day(start, assessment)}: 2 endorsed, 1 amended, "
            "1 rejected, 1 deferred")
    # The details followed, the amended recommendation's too; none for the rejected one.
    details = {r.block_id: r for r in db.session.scalars(select(Recommendation).where(
        Recommendation.version_id == version.id))}
    assert set(details) == {ids[0], ids[1], ids[3], ids[4], ids[5]}
    assert details[ids[1]].responsible == "Ministry 2"
    assert [g.id for g in details[ids[1]].groups] == [
        g.id for g in db.session.scalar(select(Recommendation).where(
            Recommendation.version_id == first.id,
            Recommendation.block_id == ids[1])).groups]
    # The items know where they went; the audit says what was done.
    assert {r.applied_version_id for r in items(meeting)} == {version.id}
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "workshop.positions_applied"))
    assert event.changes == {"draft_id": draft.id, "number": 2, "endorsed": 2, "amended": 1,
                             "rejected": 1, "deferred": 1, "unchanged": 1}
    assert rows


def test_a_reworded_paragraph_keeps_its_id_when_save_body_would_give_another(ws):
    """Rewording beyond recognition: assign_ids alone would give the paragraph a new id (and
    a rejected paragraph's id to a paragraph like it)."""
    assessment, people, draft, meeting = ws
    rows = set_agenda(meeting, assessment, people, keys(draft, [1, 2]))
    ids = [b["id"] for b in draft.versions[0].blocks]
    record(rows[0], assessment, people, "rejected")
    # Worded like the rejected one: by similarity it would take the rejected one's id.
    record(rows[1], assessment, people, "amended",
           "Publish statistics on content removal requests every month.")
    services.apply_positions(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    version = draft.versions[-1]
    assert [b["id"] for b in version.blocks] == ids[1:]
    details = {r.block_id: r.responsible for r in db.session.scalars(select(Recommendation)
               .where(Recommendation.version_id == version.id))}
    assert details == {ids[1]: "Ministry 2", ids[2]: "Ministry 3", ids[3]: "Ministry 4",
                       ids[4]: "Ministry 5", ids[5]: "Ministry 6"}


def test_translations_follow_the_kept_ids(ws):
    assessment, people, draft, meeting = ws
    first = draft.versions[0]
    ids = [b["id"] for b in first.blocks]
    revision = 0
    for block_id in ids:
        revision = edition_services.save_paragraph(
            first, "kk", block_id, f"Kazakh {block_id}", revision=revision,
            actor=people["researcher"], assessment=assessment).revision
    db.session.commit()
    rows = set_agenda(meeting, assessment, people, keys(draft, [1, 2]))
    record(rows[0], assessment, people, "rejected")
    record(rows[1], assessment, people, "amended",
           "Publish statistics on content removal requests every month.")
    services.apply_positions(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    version = draft.versions[-1]
    (edition,) = version.editions
    # The rejected paragraph's translation is gone; the amended one keeps its own (outdated:
    # made from the old wording), not the rejected one's.
    assert [(b["id"], b["text"]) for b in edition.blocks] == [
        (block_id, f"Kazakh {block_id}") for block_id in ids[1:]]
    assert set(edition.source_index) == set(ids[1:])


def test_apply_is_refused_when_a_newer_version_exists(ws):
    assessment, people, draft, meeting = ws
    six_positions(ws)
    draft_services.save_body(draft, assessment, body="Rewritten meanwhile.",
                             change_summary="Rewritten", base_revision=0, base_number=1,
                             actor=people["researcher"])
    db.session.commit()
    refused(lambda: services.apply_positions(meeting, assessment, actor=people["coordinator"]),
            "Version 2 of “Policy recommendations” was started after version 1, which the "
            "workshop discussed")
    assert [p[2] for p in positions(meeting)] == [None] * 6


def test_apply_twice_is_refused_and_positions_no_longer_change(ws):
    assessment, people, draft, meeting = ws
    rows = six_positions(ws)
    services.apply_positions(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    refused(lambda: services.apply_positions(meeting, assessment, actor=people["coordinator"]),
            "have been carried into new versions")
    refused(lambda: services.record_position(rows[5], assessment, "endorsed", "",
                                             actor=people["coordinator"]),
            "have been carried into new versions")
    refused(lambda: services.set_agenda(meeting, assessment, [], actor=people["coordinator"]),
            "have been carried into new versions")
    assert len(draft.versions) == 2


def test_apply_without_any_position_is_refused(ws):
    assessment, people, draft, meeting = ws
    set_agenda(meeting, assessment, people, keys(draft, [1]))
    refused(lambda: services.apply_positions(meeting, assessment, actor=people["coordinator"]),
            "No position is recorded yet")
    refused(lambda: services.preview(meeting, assessment), "No position is recorded yet")


def test_only_drafts_with_a_position_get_a_version(ws):
    assessment, people, draft, meeting = ws
    other = recommendations_draft(assessment, people, ["Another one.", "And one more."],
                                  title="Access recommendations")
    rows = set_agenda(meeting, assessment, people, keys(draft, [1]) + keys(other))
    record(rows[0], assessment, people, "endorsed")
    carried = services.apply_positions(meeting, assessment, actor=people["coordinator"])
    db.session.commit()
    assert [c.plan.draft.id for c in carried] == [draft.id]
    assert len(other.versions) == 1 and len(draft.versions) == 2
    assert draft.versions[-1].body == draft.versions[0].body   # endorsed: nothing changed

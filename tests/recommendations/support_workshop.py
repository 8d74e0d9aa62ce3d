"""Helpers of the workshop tests: a team, a circulated recommendations draft whose paragraphs
have details, a validation workshop, positions; made through the services as the pages would."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from mab.board.defaults import create_default_groups
from mab.drafts.models import DraftVersion
from mab.extensions import db
from mab.meetings import services as meeting_services
from mab.recommendations import workshop_services
from mab.recommendations.models import Priority, Recommendation, TimeFrame, WorkshopItem
from mab.types import utcnow
from tests.drafts.support import circulate, make_draft, setup

A = "/a/kz-2022"
RECOMMENDATIONS = [
    "Publish statistics on content removal requests every year.",
    "Adopt a law on personal data protection that meets international standards.",
    "Extend mobile broadband to every village of more than 500 people by 2027.",
    "Train judges on freedom of expression online.",
    "Set up a multistakeholder national IGF with a permanent secretariat.",
    "Fund digital literacy courses for women in rural areas.",
]


def world():
    """setup() (a team on the built-in framework) with the default stakeholder groups."""
    assessment, people = setup()
    create_default_groups(assessment)
    db.session.commit()
    return assessment, people


def recommendations_draft(assessment, people, texts=RECOMMENDATIONS, *, title="Policy "
                          "recommendations", circulated=True):
    """A recommendations draft whose paragraphs are ``texts``, each with details (addressed to
    the first group, high priority, short term), circulated (version 1 frozen)."""
    draft = make_draft(assessment, people["researcher"], "\n\n".join(texts), title=title,
                       subject="recommendations")
    version = draft.versions[0]
    groups = assessment_groups(assessment)
    for n, block in enumerate(version.blocks):
        db.session.add(Recommendation(version_id=version.id, block_id=block["id"],
                                      priority=Priority.HIGH, time_frame=TimeFrame.SHORT,
                                      responsible=f"Ministry {n + 1}",
                                      groups=[groups[n % len(groups)]]))
    db.session.commit()
    if circulated:
        circulate(draft, assessment, people["researcher"])
    return draft


def assessment_groups(assessment):
    from mab.board.models import StakeholderGroup
    return db.session.scalars(select(StakeholderGroup).where(
        StakeholderGroup.assessment_id == assessment.id)
        .order_by(StakeholderGroup.position)).all()


def workshop(assessment, people, *, started=True, kind="validation_workshop",
             title="Validation workshop"):
    """A validation workshop that started an hour ago (``started``) or starts in ten days."""
    start = (utcnow() + (timedelta(hours=-1) if started else timedelta(days=10))).replace(
        second=0, microsecond=0)
    with current_app.test_request_context("/"):
        meeting = meeting_services.schedule_meeting(
            assessment, actor=people["coordinator"], invitees=[], kind=kind, title=title,
            starts_at=start, ends_at=start + timedelta(hours=3), place="Astana",
            online_url="", agenda="")
    db.session.commit()
    return meeting


def keys(draft, numbers=None):
    """(draft id, paragraph id) of the latest circulated version's paragraphs (1-based
    ``numbers``, all by default)."""
    version = workshop_services.circulated_version(draft)
    blocks = version.blocks
    chosen = range(1, len(blocks) + 1) if numbers is None else numbers
    return [(draft.id, blocks[n - 1]["id"]) for n in chosen]


def set_agenda(meeting, assessment, people, pairs):
    workshop_services.set_agenda(meeting, assessment, pairs, actor=people["coordinator"])
    db.session.commit()
    return items(meeting)


def items(meeting) -> list[WorkshopItem]:
    """The meeting's agenda items in the order of their paragraphs."""
    rows = db.session.scalars(select(WorkshopItem).where(
        WorkshopItem.meeting_id == meeting.id)).all()
    order = {}
    for row in rows:
        order[row.id] = [b["id"] for b in row.version.blocks].index(row.block_id)
    return sorted(rows, key=lambda r: (r.draft_id, order[r.id]))


def record(item, assessment, people, position, text=""):
    workshop_services.record_position(item, assessment, position, text,
                                      actor=people["coordinator"])
    db.session.commit()
    return item


def counts():
    """Rows of the tables the workshop may change, to show that a refusal changed nothing."""
    from mab.audit.models import AuditEvent
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (WorkshopItem, DraftVersion, Recommendation, AuditEvent)}


def positions(meeting):
    return [(row.position.value if row.position else None, row.amended_text,
             row.applied_version_id) for row in items(meeting)]

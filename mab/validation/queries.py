"""Reads for validation shown elsewhere (the home page, the annex)."""
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, selectinload

from mab.assessments.models import Assessment, Membership
from mab.assessments.queries import with_person
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.validation.models import SignOff, ValidationRound


def with_titles():
    """Each round's version number and draft title in the same query (not one query a round)."""
    return joinedload(ValidationRound.version).options(
        defer(DraftVersion.body), defer(DraftVersion.blocks),
        joinedload(DraftVersion.draft).load_only(Draft.id, Draft.title))


def open_rounds(assessment: Assessment, membership: Membership) -> list[tuple]:
    """Open rounds with the member's current decision (None when still awaited)."""
    rounds = db.session.scalars(
        select(ValidationRound).where(ValidationRound.assessment_id == assessment.id,
                                      ValidationRound.closed_at.is_(None))
        .options(with_titles()).order_by(ValidationRound.deadline)).all()
    mine = {s.round_id: s for s in db.session.scalars(select(SignOff).where(
        SignOff.membership_id == membership.id, SignOff.superseded_at.is_(None),
        SignOff.round_id.in_([r.id for r in rounds])))}
    return [(r, mine.get(r.id)) for r in rounds]


def rounds(assessment: Assessment) -> list[ValidationRound]:
    return db.session.scalars(
        select(ValidationRound).where(ValidationRound.assessment_id == assessment.id)
        .options(with_titles(), selectinload(ValidationRound.signoffs).options(
            selectinload(SignOff.membership).options(*with_person()),
            selectinload(SignOff.meeting)))
        .order_by(ValidationRound.opened_at)).all()

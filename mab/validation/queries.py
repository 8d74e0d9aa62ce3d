"""Reads for validation shown elsewhere (the home page, the annex)."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mab.assessments.models import Assessment, Membership
from mab.extensions import db
from mab.validation.models import SignOff, ValidationRound


def open_rounds(assessment: Assessment, membership: Membership) -> list[tuple]:
    """Open rounds with the member's current decision (None when still awaited)."""
    rounds = db.session.scalars(
        select(ValidationRound).where(ValidationRound.assessment_id == assessment.id,
                                      ValidationRound.closed_at.is_(None))
        .order_by(ValidationRound.deadline)).all()
    mine = {s.round_id: s for s in db.session.scalars(select(SignOff).where(
        SignOff.membership_id == membership.id, SignOff.superseded_at.is_(None),
        SignOff.round_id.in_([r.id for r in rounds])))}
    return [(r, mine.get(r.id)) for r in rounds]


def rounds(assessment: Assessment) -> list[ValidationRound]:
    return db.session.scalars(
        select(ValidationRound).where(ValidationRound.assessment_id == assessment.id)
        .options(selectinload(ValidationRound.signoffs).options(
            selectinload(SignOff.membership), selectinload(SignOff.meeting)))
        .order_by(ValidationRound.opened_at)).all()

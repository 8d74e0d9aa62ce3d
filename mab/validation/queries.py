"""Reads for validation shown elsewhere (the home page, the annex)."""
from collections import Counter, defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from mab.assessments.models import Assessment, Membership
from mab.assessments.queries import with_person
from mab.auth.models import User
from mab.drafts.models import Draft, DraftVersion
from mab.extensions import db
from mab.meetings.models import Meeting
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


def rounds(assessment: Assessment, *, signoffs: bool = True) -> list[ValidationRound]:
    """The assessment's rounds in the order they opened, with their sign-offs (and who and at
    which meeting) unless ``signoffs`` is False."""
    options = [with_titles()]
    if signoffs:
        options.append(selectinload(ValidationRound.signoffs).options(
            selectinload(SignOff.membership).options(*with_person()),
            selectinload(SignOff.meeting)))
    return db.session.scalars(
        select(ValidationRound).where(ValidationRound.assessment_id == assessment.id)
        .options(*options).order_by(ValidationRound.opened_at)).all()


def _current_signoffs(assessment: Assessment, round_ids: list[int] | None):
    """The condition on the current sign-offs of the assessment's rounds (of ``round_ids``)."""
    conditions = [ValidationRound.assessment_id == assessment.id, SignOff.superseded_at.is_(None)]
    if round_ids is not None:
        conditions.append(SignOff.round_id.in_(round_ids))
    return conditions


def current_decision_counts(assessment: Assessment,
                            round_ids: list[int] | None = None) -> dict[int, Counter]:
    """Each round's current decisions counted (``{round id: Counter({"endorse": n, ...})}``),
    every round's or those of ``round_ids``: one grouped query, whatever the number of sign-offs
    (the annex shows the counts, not the 300 x 300 sign-offs of a large board's rounds)."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for round_id, decision, n in db.session.execute(
            select(SignOff.round_id, SignOff.decision, func.count(SignOff.id))
            .join(ValidationRound, ValidationRound.id == SignOff.round_id)
            .where(*_current_signoffs(assessment, round_ids))
            .group_by(SignOff.round_id, SignOff.decision)):
        counts[round_id][str(decision)] += n
    return counts


def current_decisions_of(assessment: Assessment, membership_id: int,
                         round_ids: list[int] | None = None) -> dict[int, str]:
    """``{round id: decision}`` of one member's current sign-offs in the assessment's rounds
    (those of ``round_ids``)."""
    return dict(db.session.execute(
        select(SignOff.round_id, SignOff.decision)
        .join(ValidationRound, ValidationRound.id == SignOff.round_id)
        .where(*_current_signoffs(assessment, round_ids),
               SignOff.membership_id == membership_id)).all())


def current_signoff_rows(assessment: Assessment) -> Iterator[tuple]:
    """Every round's current decisions as plain rows -- draft title, version number, member's
    name, group id, decision, statement, when, meeting title -- in the order of
    :func:`rounds` and their sign-offs: one query and no objects, read a thousand rows at a
    time as they are used (the annex ZIP's signoffs.csv: 90,000 rows when a 300-member board
    has validated 300 findings)."""
    return iter(db.session.execute(
        select(Draft.title, DraftVersion.number, func.coalesce(User.name, User.email),
               Membership.group_id, SignOff.decision, SignOff.statement, SignOff.created_at,
               Meeting.title)
        .join(ValidationRound, ValidationRound.id == SignOff.round_id)
        .join(DraftVersion, DraftVersion.id == ValidationRound.version_id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .join(Membership, Membership.id == SignOff.membership_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Meeting, Meeting.id == SignOff.meeting_id)
        .where(ValidationRound.assessment_id == assessment.id, SignOff.superseded_at.is_(None))
        .order_by(ValidationRound.opened_at, ValidationRound.id, SignOff.id)
        .execution_options(yield_per=1000)))

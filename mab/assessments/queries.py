"""Reads for the assessment pages, eager loading chosen here."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload

from mab.assessments.models import Assessment, Membership, Role
from mab.auth.models import User
from mab.comments.models import Comment
from mab.drafts.models import Circulation, Draft, DraftVersion
from mab.extensions import db
from mab.notify.models import OutboxMessage, OutboxStatus


def with_person():
    """Loader options for a membership shown by name: its person and stakeholder group."""
    return joinedload(Membership.user), joinedload(Membership.group)


def assessments_with_coordinators() -> Select:
    return select(Assessment).order_by(Assessment.year.desc(), Assessment.title)


def coordinators_by_assessment(assessment_ids) -> dict[int, list[User]]:
    rows = db.session.execute(
        select(Membership.assessment_id, User).join(Membership.user)
        .where(Membership.assessment_id.in_(assessment_ids), Membership.role == Role.COORDINATOR)
        .order_by(User.name)).all()
    result: dict[int, list[User]] = {}
    for assessment_id, user in rows:
        result.setdefault(assessment_id, []).append(user)
    return result


def team(assessment: Assessment) -> Select:
    role_order = {Role.COORDINATOR: 0, Role.RESEARCHER: 1, Role.BOARD_MEMBER: 2, Role.OBSERVER: 3}
    return (select(Membership).join(Membership.user).options(contains_eager(Membership.user))
            .where(Membership.assessment_id == assessment.id)
            .order_by(db.case(role_order, value=Membership.role), User.name, User.email))


def pending_invitations(assessment: Assessment) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.assessment_id == assessment.id, Membership.accepted_at.is_(None)))


def failed_messages(assessment: Assessment) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.assessment_id == assessment.id,
               OutboxMessage.status == OutboxStatus.FAILED))


# The home page's cards (issue 15) -------------------------------------------------------------

@dataclass(frozen=True)
class AwaitingResponse:
    """A draft with top-level comments still awaiting the research team's response."""
    draft_id: int
    title: str
    owner_id: int | None
    count: int
    last_deadline: date | None   # of its latest circulated version

    def consultation_ended(self, today: date) -> bool:
        return self.last_deadline is not None and self.last_deadline < today


def awaiting_response(assessment: Assessment) -> list[AwaitingResponse]:
    """Per draft, its top-level comments standing without a disposition (one query), the
    drafts with the most first."""
    # The comments counted per draft and each draft's last deadline, each grouped once for the
    # assessment, then joined to the drafts: a join of every comment to its draft before
    # counting took PostgreSQL 1.6 s at 20,000 comments while its statistics were not yet made.
    last = (select(DraftVersion.draft_id, func.max(Circulation.deadline).label("deadline"))
            .join(Circulation, Circulation.version_id == DraftVersion.id)
            .join(Draft, Draft.id == DraftVersion.draft_id)
            .where(Draft.assessment_id == assessment.id)
            .group_by(DraftVersion.draft_id).subquery("last"))
    waiting = (select(Comment.draft_id, func.count(Comment.id).label("count"))
               .where(Comment.assessment_id == assessment.id, Comment.parent_id.is_(None),
                      Comment.disposition.is_(None), Comment.withdrawn_at.is_(None))
               .group_by(Comment.draft_id).subquery("waiting"))
    rows = db.session.execute(
        select(Draft.id, Draft.title, Draft.owner_id, waiting.c.count, last.c.deadline)
        .join(waiting, waiting.c.draft_id == Draft.id)
        .outerjoin(last, last.c.draft_id == Draft.id)
        .where(Draft.assessment_id == assessment.id)).all()
    found = [AwaitingResponse(*row) for row in rows]
    return sorted(found, key=lambda a: (-a.count, a.title.casefold(), a.draft_id))

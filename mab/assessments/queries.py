"""Reads for the assessment pages, eager loading chosen here."""
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from mab.assessments.models import Assessment, Membership, Role
from mab.auth.models import User
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
    return (select(Membership).join(Membership.user)
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

"""Assessment use cases: they change rows, audit and queue mail; the view commits."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.audit.services import record_event
from mab.auth.models import User, normalise_email
from mab.auth.services import find_user, send_invitation
from mab.board.defaults import create_default_groups
from mab.errors import DomainError
from mab.extensions import db
from mab.notify.services import queue_email
from mab.types import utcnow


def create_assessment(*, title, slug, country, year, timezone, languages, coordinator_email,
                      coordinator_name, actor) -> Assessment:
    if db.session.scalar(select(Assessment.id).where(Assessment.slug == slug)) is not None:
        raise DomainError(_l("An assessment with this short name exists already."), field="slug")
    assessment = Assessment(title=title.strip(), slug=slug, country=country.strip(), year=year,
                            timezone=timezone, languages=",".join(languages))
    db.session.add(assessment)
    db.session.flush()
    record_event("assessment.created", assessment, actor=actor, assessment=assessment,
                 changes={"title": assessment.title, "slug": slug, "country": assessment.country,
                          "year": year, "timezone": timezone})
    create_default_groups(assessment, actor=actor)
    invite_person(assessment, email=coordinator_email, name=coordinator_name,
                  role=Role.COORDINATOR, actor=actor, language=languages[0])
    return assessment


def invite_person(assessment: Assessment, *, email: str, name: str, role: Role, actor,
                  language: str | None = None) -> Membership:
    """Give a person a role in the assessment and tell them by email.

    A new address gets an account waiting for them and an invitation link; a person who has an
    account already is told they were added.
    """
    email = normalise_email(email)
    user = find_user(email)
    if user is None:
        user = User(email=email, name=(name or "").strip(), language=language or "en")
        db.session.add(user)
        db.session.flush()
    elif db.session.scalar(select(Membership.id).where(
            Membership.assessment_id == assessment.id, Membership.user_id == user.id)):
        raise DomainError(_l("%(email)s is already part of this assessment.", email=email),
                          field="email")
    # A person without an account joins when they use this invitation's own link.
    membership = Membership(assessment=assessment, user=user, role=Role(role),
                            accepted_at=utcnow() if user.has_account else None)
    if membership.role == Role.BOARD_MEMBER:
        membership.board_status = BoardStatus.ACTIVE
        membership.nominated_on = membership.appointed_on = assessment.today()
    db.session.add(membership)
    db.session.flush()
    record_event("membership.invited", membership, actor=actor, assessment=assessment,
                 changes={"email": email, "role": str(role)})
    if user.has_account:
        queue_email(to=user, template="added_to_assessment", assessment=assessment,
                    subject=_l("You have been added to %(title)s", title=assessment.title),
                    role=role, inviter=actor)
    else:
        send_invitation(membership, inviter=actor)
    return membership


def resend_invitation(membership: Membership, *, actor) -> None:
    if membership.accepted_at is not None:
        raise DomainError(_l("This person has already accepted the invitation."))
    send_invitation(membership, inviter=actor)
    record_event("membership.invitation_resent", membership, actor=actor,
                 assessment=membership.assessment)

"""Use cases of the follow-up (issue 19 item 5): reporting how far a validated recommendation is
implemented, and the coordinator's confirmation or refusal of a member's report.

A board member's or researcher's update is proposed: it counts once the coordinator confirms it
(the coordinators are emailed). The coordinator's own update is confirmed at once. Refusals raise
DomainError with the field at fault; nothing is committed here (mab.boundary)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mab import i18n
from mab.assessments.models import Assessment, Membership, Role
from mab.audit.services import record_event
from mab.auth.models import User
from mab.drafts.files import RejectedFile
from mab.errors import DomainError
from mab.evidence import files
from mab.extensions import db
from mab.notify.services import external_url, queue_email
from mab.permissions import Action, can
from mab.recommendations import followup as rules
from mab.recommendations import followup_queries
from mab.recommendations.models import (
    FOLLOW_UP_LABELS,
    FollowUpStatus,
    FollowUpUpdate,
    UpdateState,
)
from mab.types import utcnow


def report_update(assessment: Assessment, draft_id: int, block_id: str, *, status: str,
                  reported_on: date | None, note: str = "", evidence_url: str = "",
                  filename: str | None = None, data: bytes | None = None,
                  membership: Membership) -> FollowUpUpdate:
    """Record a dated status of a validated recommendation of ``assessment``, with its evidence
    (a web link, a file, or both). The coordinator's is confirmed at once; anyone else's waits
    for the coordinator, who is emailed."""
    if membership.assessment_id != assessment.id or not can(membership.role,
                                                            Action.PROPOSE_FOLLOW_UP):
        raise DomainError(_l("Your role in this assessment does not allow this."))
    found = followup_queries.find_validated(assessment, draft_id, block_id)
    if found is None:
        raise DomainError(_l("Only a validated recommendation of this assessment can be "
                             "followed up."))
    try:
        status = FollowUpStatus(status)
    except ValueError:
        raise DomainError(_l("Choose a status."), field="status") from None
    problem = rules.date_problem(reported_on, today=assessment.today(),
                                 validated_on=found.validated_on)
    if problem == "missing":
        raise DomainError(_l("Give the date of this status."), field="reported_on")
    if problem == "future":
        raise DomainError(_l("The date cannot be in the future."), field="reported_on")
    if problem == "before_validation":
        raise DomainError(_l("The date cannot be before the recommendation was validated "
                             "(%(date)s).", date=i18n.date_filter(found.validated_on)),
                          field="reported_on")
    note = (note or "").strip()
    if len(note) > rules.MAX_NOTE:
        raise DomainError(_l("A note can be at most %(n)d characters.", n=rules.MAX_NOTE),
                          field="note")
    url = (evidence_url or "").strip()
    if url and not rules.is_web_link(url):
        raise DomainError(_l("Give a web address that starts with http:// or https://."),
                          field="evidence_url")
    update = FollowUpUpdate(assessment_id=assessment.id, draft_id=draft_id, block_id=block_id,
                            status=status, reported_on=reported_on, note=note,
                            evidence_url=url, reported_by_id=membership.id)
    if filename or data:
        try:
            files.attach(update, filename or "", data or b"")
        except RejectedFile as error:
            raise DomainError(error.message, field="file") from error
    by_coordinator = membership.role == Role.COORDINATOR
    if by_coordinator:
        update.state = UpdateState.CONFIRMED
        update.decided_by_id, update.decided_at = membership.user_id, utcnow()
    else:
        update.state = UpdateState.PROPOSED
    db.session.add(update)
    db.session.flush()
    record_event("follow_up.recorded" if by_coordinator else "follow_up.proposed", update,
                 actor=membership.user, assessment=assessment,
                 changes={"draft_id": draft_id, "block_id": block_id,
                          "follow_up_status": status.value, "reported_on": reported_on,
                          "evidence_url": url, "filename": update.file_name})
    if not by_coordinator:
        _tell_coordinators(assessment, update, found, membership)
    return update


def _coordinators(assessment: Assessment) -> list[Membership]:
    return db.session.scalars(
        select(Membership).join(Membership.user)
        .where(Membership.assessment_id == assessment.id, Membership.role == Role.COORDINATOR,
               Membership.accepted_at.is_not(None), User.active.is_(True))
        .order_by(Membership.id)).all()


def _tell_coordinators(assessment, update, found, membership) -> None:
    link = external_url("followup.dashboard", slug=assessment.slug)
    for coordinator in _coordinators(assessment):
        queue_email(to=coordinator.user, template="follow_up_proposed", assessment=assessment,
                    subject=_l("A follow-up update waits for your confirmation"),
                    reporter=membership.user, draft=found.item.draft, number=found.number,
                    status_label=FOLLOW_UP_LABELS[update.status.value], update=update,
                    link=link)


def _decide(update: FollowUpUpdate, assessment: Assessment, *, actor) -> None:
    """Only the assessment's coordinator decides, and only on a proposed update of it."""
    if update.assessment_id != assessment.id:
        raise DomainError(_l("This update belongs to another assessment."))
    role = db.session.scalar(select(Membership.role).where(
        Membership.assessment_id == assessment.id, Membership.user_id == actor.id,
        Membership.accepted_at.is_not(None)))
    if not can(role, Action.CONFIRM_FOLLOW_UP):
        raise DomainError(_l("Your role in this assessment does not allow this."))
    if update.state != UpdateState.PROPOSED:
        raise DomainError(_l("This update is already confirmed or declined."))


def confirm_update(update: FollowUpUpdate, assessment: Assessment, *, actor) -> None:
    """The coordinator confirms a proposed update: from now on it counts. The recommendation
    must still be validated (a later validated version may have dropped it)."""
    _decide(update, assessment, actor=actor)
    if followup_queries.find_validated(assessment, update.draft_id, update.block_id) is None:
        raise DomainError(_l("This recommendation is no longer among the validated ones: the "
                             "update can only be declined."))
    update.state, update.decided_by_id, update.decided_at = (
        UpdateState.CONFIRMED, actor.id, utcnow())
    record_event("follow_up.confirmed", update, actor=actor, assessment=assessment,
                 changes={"draft_id": update.draft_id, "block_id": update.block_id,
                          "follow_up_status": update.status.value,
                          "reported_on": update.reported_on})


def decline_update(update: FollowUpUpdate, assessment: Assessment, *, actor) -> None:
    """The coordinator declines a proposed update: it stays on record and counts for nothing."""
    _decide(update, assessment, actor=actor)
    update.state, update.decided_by_id, update.decided_at = (
        UpdateState.DECLINED, actor.id, utcnow())
    record_event("follow_up.declined", update, actor=actor, assessment=assessment,
                 changes={"draft_id": update.draft_id, "block_id": update.block_id,
                          "follow_up_status": update.status.value,
                          "reported_on": update.reported_on})

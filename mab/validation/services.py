"""Validation use cases: they change rows, audit and queue mail; the view commits."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.assessments.queries import with_person
from mab.audit.services import record_event
from mab.drafts.models import DraftVersion
from mab.errors import DomainError
from mab.extensions import db
from mab.loaders import get_scoped, in_assessment
from mab.meetings.models import Meeting
from mab.notify.services import external_url, queue_email
from mab.types import utcnow
from mab.validation import rules
from mab.validation.models import SignDecision, SignOff, ValidationRound

MAX_STATEMENT = 10_000


def active_members(assessment: Assessment) -> list[Membership]:
    return db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.role == Role.BOARD_MEMBER,
        Membership.board_status == BoardStatus.ACTIVE).options(*with_person())).all()


def _facts(version: DraftVersion, *, has_round: bool = False) -> rules.VersionFacts:
    """A version is frozen when it is circulated (drafts.services.circulate)."""
    return rules.VersionFacts(version.id, version.draft_id, version.number,
                              circulated=version.frozen, has_round=has_round)


def superseded_by(version: DraftVersion) -> DraftVersion | None:
    """A later version of the draft that has been circulated, if any."""
    return next((v for v in version.draft.versions
                 if v.number > version.number and v.frozen), None)


def _link(assessment: Assessment, round_: ValidationRound) -> str:
    return external_url("validation.show", slug=assessment.slug, round_id=round_.id)


def open_round(version: DraftVersion, assessment: Assessment, *, deadline, meeting_id=None,
               actor) -> ValidationRound:
    if not in_assessment(version, assessment):
        raise DomainError(_l("Choose a version of this assessment."), field="version_id")
    has_round = db.session.scalar(select(ValidationRound.id).where(
        ValidationRound.version_id == version.id)) is not None
    facts = _facts(version, has_round=has_round)
    if version.circulation is None:
        facts = rules.VersionFacts(version.id, version.draft_id, version.number, False)
    blocker = rules.validation_blocker(facts,
                                       [_facts(v) for v in version.draft.versions])
    if blocker is not None and blocker.reason == rules.NOT_CIRCULATED:
        raise DomainError(_l("Only a circulated version can be validated."), field="version_id")
    if blocker is not None and blocker.reason == rules.SUPERSEDED:
        raise DomainError(_l("Version %(n)d has been superseded by version %(m)d.",
                             n=version.number, m=blocker.later), field="version_id")
    if blocker is not None:
        raise DomainError(_l("This version already has a validation round; a later version "
                             "needs its own."), field="version_id")
    if deadline is None or deadline < assessment.today():
        raise DomainError(_l("Give a deadline today or later."), field="deadline")
    meeting = None
    if meeting_id:
        meeting = get_scoped(Meeting, meeting_id, assessment)
        if meeting is None:
            raise DomainError(_l("Choose a meeting of this assessment."), field="meeting_id")
    rule = rules.Rule.of(assessment)
    round_ = ValidationRound(assessment_id=assessment.id, version=version,
                             version_sha256=version.sha256, deadline=deadline, meeting=meeting,
                             rule=rule.snapshot(), opened_by_id=actor.id)
    db.session.add(round_)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_l("This version already has a validation round; a later version "
                             "needs its own."), field="version_id") from None
    record_event("validation.opened", round_, actor=actor, assessment=assessment,
                 changes={"draft_id": version.draft_id, "version": version.number,
                          "sha256": version.sha256, "deadline": deadline,
                          "meeting_id": meeting.id if meeting else None, "rule": rule.snapshot()})
    link = _link(assessment, round_)
    for member in active_members(assessment):
        queue_email(to=member.user, template="validation_opened", assessment=assessment,
                    subject=_l("Validation: please sign off on %(title)s", title=version.draft.title),
                    round=round_, version=version, link=link)
    return round_


def current_signoff(round_: ValidationRound, membership_id: int) -> SignOff | None:
    return next((s for s in round_.signoffs
                 if s.membership_id == membership_id and s.superseded_at is None), None)


def _check_decision(decision: str, statement: str) -> tuple[SignDecision, str]:
    try:
        decision = SignDecision(decision)
    except ValueError:
        raise DomainError(_l("Choose your decision."), field="decision") from None
    statement = (statement or "").strip()
    if decision != SignDecision.ENDORSE and not statement:
        raise DomainError(_l("Write your statement: it is required with reservations or an "
                             "objection."), field="statement")
    if len(statement) > MAX_STATEMENT:
        raise DomainError(_l("A statement can be at most %(n)d characters.", n=MAX_STATEMENT),
                          field="statement")
    return decision, statement


def _check_open(round_: ValidationRound) -> None:
    if not round_.is_open:
        raise DomainError(_l("This round is closed; decisions can no longer be given or "
                             "changed."))
    later = superseded_by(round_.version)
    if later is not None:
        raise DomainError(_l("Version %(n)d has been superseded by version %(m)d; the "
                             "coordinator will open a round on it.", n=round_.version.number,
                             m=later.number))


def _check_signer(member: Membership, assessment: Assessment) -> None:
    if not in_assessment(member, assessment) or not member.is_active_board_member:
        raise DomainError(_l("Only active board members sign off."))


def _record(round_: ValidationRound, member: Membership, decision, statement, *, actor_user,
            assessment, recorded_by=None, meeting=None) -> SignOff:
    previous = current_signoff(round_, member.id)
    now = utcnow()
    if previous is not None:
        previous.superseded_at = now
        db.session.flush()   # the partial unique index allows one current row only
    row = SignOff(round=round_, membership=member, decision=decision, statement=statement,
                  version_sha256=round_.version_sha256, created_at=now,
                  recorded_by=recorded_by, meeting=meeting)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_l("Your decision was recorded a moment ago; it is shown below.")) \
            from None
    record_event("validation.signed", row, actor=actor_user, assessment=assessment,
                 changes={"round_id": round_.id, "membership_id": member.id,
                          "decision": decision, "statement": statement,
                          "sha256": round_.version_sha256,
                          "supersedes": previous.id if previous else None,
                          "on_behalf_at_meeting": meeting.id if meeting else None})
    return row


def sign(round_: ValidationRound, assessment: Assessment, member: Membership, *, decision: str,
         statement: str, seen_sha256: str, replaces: int | None) -> SignOff:
    """The member's own decision. ``seen_sha256`` is the hash they confirmed; ``replaces`` the id
    of the decision they saw as current (None for a first one), so a double submission or a
    second tab cannot silently sign twice."""
    _check_signer(member, assessment)
    _check_open(round_)
    decision, statement = _check_decision(decision, statement)
    if seen_sha256 != round_.version_sha256:
        raise DomainError(_l("Confirm the exact version: the hash you saw is not the one of "
                             "this round."), field="confirm")
    previous = current_signoff(round_, member.id)
    if (previous.id if previous else None) != (replaces or None):
        raise DomainError(_l("Your decision was recorded a moment ago; it is shown below. "
                             "Change it if you need to."))
    return _record(round_, member, decision, statement, actor_user=member.user,
                   assessment=assessment)


def record_on_behalf(round_: ValidationRound, assessment: Assessment, coordinator: Membership,
                     member: Membership, *, decision: str, statement: str, meeting_id) -> SignOff:
    """A decision a member gave at a meeting, recorded by the coordinator (marked as such)."""
    _check_signer(member, assessment)
    _check_open(round_)
    decision, statement = _check_decision(decision, statement)
    meeting = get_scoped(Meeting, meeting_id, assessment) if meeting_id else None
    if meeting is None:
        raise DomainError(_l("Name the meeting where the member gave this decision."),
                          field="meeting_id")
    return _record(round_, member, decision, statement, actor_user=coordinator.user,
                   assessment=assessment, recorded_by=coordinator, meeting=meeting)


def compute(round_: ValidationRound, assessment: Assessment, groups: dict[int, str],
            members: list[Membership] | None = None):
    """The outcome now, from the active board (``members``, when already loaded)."""
    members = active_members(assessment) if members is None else members
    voters = [rules.Voter(m.id, m.group_id, str(m.user.gender) if m.user.gender else None)
              for m in members]
    decisions = [rules.Decision(s.membership_id, str(s.decision), s.created_at, s.id)
                 for s in round_.signoffs]
    return rules.outcome(rules.Rule.from_snapshot(round_.rule), voters, decisions, groups)


def close_round(round_: ValidationRound, assessment: Assessment, groups: dict[int, str], *,
                actor) -> rules.Outcome:
    if not round_.is_open:
        raise DomainError(_l("This round is already closed; closing is final."))
    result = compute(round_, assessment, groups)
    round_.closed_at, round_.closed_by_id, round_.passed = utcnow(), actor.id, result.passed
    round_.result = rules.as_dict(result)
    record_event("validation.closed", round_, actor=actor, assessment=assessment,
                 changes={"passed": result.passed, "result": round_.result,
                          "sha256": round_.version_sha256})
    return result


def pending(round_: ValidationRound, assessment: Assessment) -> list[Membership]:
    signed = {s.membership_id for s in round_.signoffs if s.superseded_at is None}
    return [m for m in active_members(assessment) if m.id not in signed]


def remind(round_: ValidationRound, assessment: Assessment, *, actor) -> int:
    if not round_.is_open:
        raise DomainError(_l("This round is closed."))
    people = pending(round_, assessment)
    link = _link(assessment, round_)
    for member in people:
        queue_email(to=member.user, template="validation_reminder", assessment=assessment,
                    subject=_l("Reminder: your sign-off on %(title)s",
                               title=round_.version.draft.title),
                    round=round_, version=round_.version, link=link)
    record_event("validation.reminded", round_, actor=actor, assessment=assessment,
                 changes={"recipients": len(people)})
    return len(people)

"""Validation use cases: they change rows, audit and queue mail; the view commits."""
import hashlib
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.assessments.queries import with_person
from mab.audit.services import chain_head, record_event
from mab.comments import queries as comment_queries
from mab.drafts import services as draft_services
from mab.drafts.models import DraftVersion
from mab.editions import labels as edition_labels
from mab.editions import queries as edition_queries
from mab.editions import rules as edition_rules
from mab.errors import DomainError
from mab.extensions import db
from mab.loaders import get_scoped, in_assessment
from mab.meetings import rules as meeting_rules
from mab.meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
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


@dataclass(frozen=True)
class OpenComment:
    """A comment still without a disposition, as the refusal lists it."""
    id: int
    number: int               # the version it was made on
    paragraph: int | None
    author: str
    excerpt: str


class CommentsWithoutDisposition(DomainError):
    """The policy wants every comment answered before validation, and some are not."""

    def __init__(self, comments: list[OpenComment], number: int):
        super().__init__(ngettext(
            "Every comment must have a disposition before validation (the assessment's policy), "
            "and %(num)d comment on version %(v)d has none yet: the research team responds to it "
            "first.",
            "Every comment must have a disposition before validation (the assessment's policy), "
            "and %(num)d comments on version %(v)d have none yet: the research team responds to "
            "them first.", len(comments), v=number), field="version_id")
        self.comments = comments


class ConsultationStillOpen(DomainError):
    """The version's comment period is still running: opening the round ends it, which the
    coordinator confirms. Plain values only: the request rolls back before they are shown."""

    def __init__(self, *, title: str, number: int, until: date, days_left: int,
                 without_disposition: int, recipients: int, members: int):
        super().__init__(_l("The comment period on this version is still open."),
                         field="version_id")
        self.title, self.number, self.until, self.days_left = title, number, until, days_left
        self.without_disposition, self.recipients, self.members = (without_disposition,
                                                                   recipients, members)


class IncompleteEditions(DomainError):
    """The policy validates only complete editions of the required languages, and some are not:
    the message names each with its figures."""

    def __init__(self, summaries):
        super().__init__(_l("Only complete translations can be validated (the assessment's "
                            "policy), and these required editions are not complete yet: "
                            "%(editions)s.", editions=edition_labels.named(summaries)),
                         field="version_id")
        self.summaries = summaries


def freeze_editions(version: DraftVersion, assessment: Assessment, *,
                    when=None) -> list[dict] | None:
    """Freeze every edition of the version as it is now (its hash and ``when``, default now) and
    return the manifest the round signs, or None when the version has no translated edition
    (also the bench generator's, for the rounds it makes)."""
    editions = list(version.editions)
    if not editions:
        return None
    when = when or utcnow()
    for edition in editions:
        edition.frozen_at = when
        edition.sha256 = edition_rules.edition_hash(edition.language, edition.blocks or [])
    return rules.manifest(
        edition_queries.source_language(version.draft, assessment), version.sha256,
        version.blocks or [],
        [(e.language, e.sha256, e.blocks, e.machine_assisted) for e in editions])


def _excerpt(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _without_disposition(version: DraftVersion) -> list[OpenComment]:
    return [OpenComment(c.id, c.version.number, c.paragraph,
                        c.author.user.display_name if c.author else "—", _excerpt(c.body))
            for c in comment_queries.without_disposition(version)]


def open_round(version: DraftVersion, assessment: Assessment, *, deadline, meeting_id=None,
               actor, end_consultation: bool = False) -> ValidationRound:
    """Open the round on a circulated version. With the policy on, every comment standing on it
    must have a disposition (else :class:`CommentsWithoutDisposition`). A round ends the
    version's consultation: while it runs, :class:`ConsultationStillOpen` unless
    ``end_consultation`` confirms ending it now (drafts.services.end_consultation)."""
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
    without = _without_disposition(version)
    if assessment.require_dispositions and without:
        raise CommentsWithoutDisposition(without, version.number)
    if assessment.validate_complete_only:
        incomplete = rules.incomplete_required(
            edition_queries.summaries(version, version.draft, assessment),
            set(assessment.required_language_list))
        if incomplete:
            raise IncompleteEditions(incomplete)
    days_left = draft_services.consultation_days_left(version, assessment)
    if days_left is not None and not end_consultation:
        raise ConsultationStillOpen(
            title=version.draft.title, number=version.number,
            until=version.circulation.deadline, days_left=days_left,
            without_disposition=len(without),
            recipients=len(draft_services.recipients(assessment)),
            members=len(active_members(assessment)))
    if days_left is not None:
        draft_services.end_consultation(version, assessment, actor=actor)
    rule = rules.Rule.of(assessment)
    manifest = freeze_editions(version, assessment)
    round_ = ValidationRound(assessment_id=assessment.id, version=version,
                             version_sha256=rules.manifest_sha256(manifest) if manifest
                             else version.sha256, editions=manifest, deadline=deadline,
                             meeting=meeting, rule=rule.snapshot(), opened_by_id=actor.id)
    db.session.add(round_)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_l("This version already has a validation round; a later version "
                             "needs its own."), field="version_id") from None
    except StaleDataError:   # a translator saved an edition while the round was opening
        db.session.rollback()
        raise DomainError(_l("A translation of this version was saved a moment ago: open the "
                             "round again to sign the editions as they are now."),
                          field="version_id") from None
    changes = {"draft_id": version.draft_id, "version": version.number,
               "sha256": round_.version_sha256, "deadline": deadline,
               "meeting_id": meeting.id if meeting else None, "rule": rule.snapshot()}
    if manifest:
        changes["editions"] = manifest
    record_event("validation.opened", round_, actor=actor, assessment=assessment,
                 changes=changes)
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


def workshop_held_now(meeting: Meeting) -> bool:
    """Whether the record shows the workshop took place (minutes approved or someone present)."""
    present = db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.meeting_id == meeting.id, Invitation.attendance == Attendance.PRESENT)) or 0
    return meeting_rules.meeting_held(
        starts_at=meeting.starts_at, now=utcnow(),
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        minutes_approved=meeting.minutes_status == MinutesStatus.APPROVED, present=present)


@dataclass
class ClosePreview:
    """What closing now would record: the outcome with its figures, who has not responded, and
    whether it is early and the workshop held. ``token`` changes with any decision or any change
    of the active board, so a confirmation given on older figures is not taken."""
    outcome: rules.Outcome
    members: list[Membership]
    not_responded: list[Membership]
    early: bool
    days_early: int
    workshop_held: bool | None      # None without a workshop
    token: str


def close_preview(round_: ValidationRound, assessment: Assessment, groups: dict[int, str],
                  members: list[Membership] | None = None) -> ClosePreview:
    members = active_members(assessment) if members is None else members
    result = compute(round_, assessment, groups, members)
    today = assessment.today()
    state = f"{sorted(m.id for m in members)}|{sorted(s.id for s in round_.signoffs)}"
    return ClosePreview(
        outcome=result, members=members,
        not_responded=_not_responded(round_, members),
        early=rules.closes_early(round_.deadline, today),
        days_early=max((round_.deadline - today).days, 0),
        workshop_held=workshop_held_now(round_.meeting) if round_.meeting else None,
        token=hashlib.sha256(state.encode()).hexdigest()[:16])


def close_round(round_: ValidationRound, assessment: Assessment, groups: dict[int, str], *,
                actor, reason: str = "", workshop: str | None = None,
                seen: str | None = None) -> rules.Outcome:
    """Close the round: freeze the outcome and who did not respond. Before the deadline a
    ``reason`` is required; a workshop not held needs ``workshop`` (rules.UNLINK_WORKSHOP or
    rules.WORKSHOP_NOT_HELD); ``seen`` is the preview's token the coordinator confirmed."""
    if not round_.is_open:
        raise DomainError(_l("This round is already closed; closing is final."))
    preview = close_preview(round_, assessment, groups)
    if seen is not None and seen != preview.token:
        raise DomainError(_l("A decision was given or the board changed since these figures "
                             "were shown: check them again and confirm."), field="confirm")
    reason = (reason or "").strip() if preview.early else ""
    if preview.early and not reason:
        raise DomainError(_l("Give the reason for closing before the deadline: it is kept with "
                             "the round and printed on the certificate."), field="reason")
    if len(reason) > MAX_STATEMENT:
        raise DomainError(_l("A reason can be at most %(n)d characters.", n=MAX_STATEMENT),
                          field="reason")
    meeting = round_.meeting
    at_close = rules.workshop_at_close(meeting is not None, bool(preview.workshop_held),
                                       workshop)
    if at_close is None:
        raise DomainError(_l("The workshop “%(title)s” has not been held: remove the link to it "
                             "or confirm that it was not held.", title=meeting.title),
                          field="workshop")
    result = preview.outcome
    missing = [m.id for m in preview.not_responded]
    round_.closed_at, round_.closed_by_id, round_.passed = utcnow(), actor.id, result.passed
    round_.result = {**rules.as_dict(result), "did_not_respond": missing}
    round_.close_reason = reason
    round_.workshop_held = at_close.held
    if at_close.unlink:
        round_.meeting = None
    record_event("validation.closed", round_, actor=actor, assessment=assessment,
                 changes={"passed": result.passed, "result": round_.result,
                          "sha256": round_.version_sha256, "deadline": round_.deadline,
                          "early": preview.early, "reason": reason,
                          "workshop": meeting.id if meeting and not at_close.unlink else None,
                          "workshop_held": at_close.held,
                          "workshop_unlinked": meeting.id if at_close.unlink else None})
    head = chain_head()     # the closing event is flushed: it is the head
    round_.audit_head, round_.audit_count = head.head, head.count
    return result


def _not_responded(round_: ValidationRound, members: list[Membership]) -> list[Membership]:
    signed = {s.membership_id for s in round_.signoffs if s.superseded_at is None}
    return [m for m in members if m.id not in signed]


def pending(round_: ValidationRound, assessment: Assessment) -> list[Membership]:
    return _not_responded(round_, active_members(assessment))


def did_not_respond(round_: ValidationRound, assessment: Assessment) -> list[Membership] | None:
    """The members who had not responded when the round closed, as it recorded them (None for a
    round closed before the list was kept)."""
    ids = (round_.result or {}).get("did_not_respond")
    if ids is None:
        return None
    rows = db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id, Membership.id.in_(ids))
        .options(*with_person())).all()
    return sorted(rows, key=lambda m: m.user.display_name.lower())


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

"""Reads of the assembled report, each one query of plain rows (or a fixed few), whatever the
number of indicators, drafts, sources and recommendations."""
from collections import Counter
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from mab.assessments.models import Assessment
from mab.drafts.models import Draft, DraftVersion, Subject
from mab.editions.models import Edition
from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.meetings.models import Attendance, Invitation, Meeting, MeetingStatus
from mab.recommendations.followup import standing_update
from mab.recommendations.models import FollowUpUpdate, UpdateState
from mab.validation.models import SignOff, ValidationRound

# The drafts whose validated text goes into the report (recommendations have their section).
REPORT_SUBJECTS = (Subject.INDICATOR, Subject.THEME, Subject.CHAPTER, Subject.REPORT)


def framework_items(assessment: Assessment) -> list:
    """Every item of the assessment's framework as plain rows, in catalogue order."""
    if assessment.framework_id is None:
        return []
    return db.session.execute(
        select(FrameworkItem.id, FrameworkItem.kind, FrameworkItem.code, FrameworkItem.parent_id,
               FrameworkItem.title, FrameworkItem.titles, FrameworkItem.core)
        .where(FrameworkItem.framework_id == assessment.framework_id)
        .order_by(FrameworkItem.position, FrameworkItem.code)).all()


@dataclass(frozen=True)
class Finding:
    """A draft's newest validated version (its round passed), as plain values."""
    draft_id: int
    subject: str
    item_id: int | None
    title: str
    source_language: str
    version_id: int
    number: int
    blocks: list
    sha256: str
    round_id: int
    closed_on: date | None        # the round's closing day in the assessment's time zone
    manifest: list | None         # the round's ``editions``


def validated_findings(assessment: Assessment) -> list[Finding]:
    """Each indicator, theme, chapter and whole-report draft's newest validated version (a later
    version not validated does not replace it), by draft id: one query."""
    rows = db.session.execute(
        select(Draft.id, Draft.subject, Draft.item_id, Draft.title, Draft.source_language,
               DraftVersion.id, DraftVersion.number, DraftVersion.blocks, DraftVersion.sha256,
               ValidationRound.id, ValidationRound.closed_at, ValidationRound.editions,
               ValidationRound.version_sha256)
        .join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .join(ValidationRound, ValidationRound.version_id == DraftVersion.id)
        .where(Draft.assessment_id == assessment.id, Draft.subject.in_(REPORT_SUBJECTS),
               ValidationRound.passed.is_(True))
        .order_by(Draft.id, DraftVersion.number)).all()
    zone = ZoneInfo(assessment.timezone)
    first = assessment.language_list[0]
    newest: dict[int, Finding] = {}
    for (draft_id, subject, item_id, title, language, version_id, number, blocks, sha256,
         round_id, closed_at, manifest, round_sha) in rows:
        newest[draft_id] = Finding(
            draft_id, str(subject), item_id, title, language or first, version_id, number,
            list(blocks or []), sha256 or round_sha or "", round_id,
            closed_at.astimezone(zone).date() if closed_at is not None else None, manifest)
    return list(newest.values())


def editions(version_ids, language: str) -> dict[int, dict]:
    """version id -> {"blocks", "sha256"} of its edition in ``language``: one query (none when
    no version needs one)."""
    if not version_ids:
        return {}
    return {vid: {"blocks": blocks or [], "sha256": sha256} for vid, blocks, sha256 in
            db.session.execute(select(Edition.version_id, Edition.blocks, Edition.sha256).where(
                Edition.version_id.in_(list(version_ids)), Edition.language == language))}


def follow_up_statuses(assessment: Assessment) -> dict[tuple[int, str], str]:
    """(draft id, block id) -> the status of its standing confirmed update: one query."""
    updates = db.session.scalars(
        select(FollowUpUpdate).where(FollowUpUpdate.assessment_id == assessment.id,
                                     FollowUpUpdate.state == UpdateState.CONFIRMED)
        .order_by(FollowUpUpdate.reported_on, FollowUpUpdate.created_at,
                  FollowUpUpdate.id)).all()
    by_key: dict[tuple[int, str], list] = {}
    for update in updates:
        by_key.setdefault((update.draft_id, update.block_id), []).append(update)
    out = {}
    for key, mine in by_key.items():
        standing = standing_update(mine)
        if standing is not None:
            out[key] = str(standing.status)
    return out


def held_meetings(assessment: Assessment) -> list[dict]:
    """The held meetings with how many were invited and present: one grouped query."""
    present = func.count(Invitation.id).filter(Invitation.attendance == Attendance.PRESENT)
    zone = ZoneInfo(assessment.timezone)
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.kind, Meeting.starts_at,
               func.count(Invitation.id), present)
        .outerjoin(Invitation, Invitation.meeting_id == Meeting.id)
        .where(Meeting.assessment_id == assessment.id, Meeting.status == MeetingStatus.HELD)
        .group_by(Meeting.id, Meeting.title, Meeting.kind, Meeting.starts_at)
        .order_by(Meeting.starts_at, Meeting.id)).all()
    return [{"title": title, "kind": str(kind),
             "date": starts_at.astimezone(zone).date().isoformat(),
             "invited": invited, "present": here}
            for _id, title, kind, starts_at, invited, here in rows]


def closed_rounds(assessment: Assessment) -> list[dict]:
    """The closed validation rounds with their outcome and the count of each current decision:
    two queries (no member named)."""
    zone = ZoneInfo(assessment.timezone)
    rounds = db.session.execute(
        select(ValidationRound.id, Draft.title, DraftVersion.number, ValidationRound.opened_at,
               ValidationRound.closed_at, ValidationRound.passed)
        .join(DraftVersion, DraftVersion.id == ValidationRound.version_id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(ValidationRound.assessment_id == assessment.id,
               ValidationRound.closed_at.is_not(None))
        .order_by(ValidationRound.opened_at, ValidationRound.id)).all()
    decisions: dict[int, Counter] = {}
    for round_id, decision, n in db.session.execute(
            select(SignOff.round_id, SignOff.decision, func.count())
            .join(ValidationRound, ValidationRound.id == SignOff.round_id)
            .where(ValidationRound.assessment_id == assessment.id,
                   SignOff.superseded_at.is_(None))
            .group_by(SignOff.round_id, SignOff.decision)):
        decisions.setdefault(round_id, Counter())[str(decision)] += n
    return [{"round_id": rid, "title": title, "version": number,
             "opened": opened.astimezone(zone).date().isoformat(),
             "closed": closed.astimezone(zone).date().isoformat(), "passed": bool(passed),
             "decisions": dict(decisions.get(rid, {}))}
            for rid, title, number, opened, closed, passed in rounds]


def language_for(assessment: Assessment, asked: str | None, reader: str | None) -> str:
    """The report's language: the one asked for (``?lang=``) when it is one of the assessment's
    content languages, else the reader's when it is one, else the first."""
    languages = assessment.language_list
    for code in (asked, reader):
        if code and code in languages:
            return code
    return languages[0]

"""Reads shared by the register, the workshop and the follow-up: which version of each
recommendations draft a reader sees, its paragraphs as recommendations with their details, and
the validated ones. Each in a fixed number of queries, whatever the number of recommendations."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from mab.assessments.models import Assessment
from mab.drafts.models import Draft, DraftVersion, Subject
from mab.drafts.queries import sees_uncirculated
from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.recommendations.models import Recommendation
from mab.validation.models import ValidationRound


@dataclass(frozen=True)
class Item:
    """One recommendation as a version has it: its paragraph and its details (None until a
    researcher gives them)."""
    draft: Draft
    version: DraftVersion
    block_id: str
    text: str
    details: Recommendation | None

    @property
    def key(self) -> tuple[int, str]:
        """What names the recommendation across versions (and its workshop positions and
        follow-up updates): its draft and its paragraph's stable id."""
        return self.draft.id, self.block_id


def drafts(assessment: Assessment) -> list[Draft]:
    """The assessment's recommendations drafts with their versions and circulations."""
    return db.session.scalars(
        select(Draft).where(Draft.assessment_id == assessment.id,
                            Draft.subject == Subject.RECOMMENDATIONS)
        .options(selectinload(Draft.versions).selectinload(DraftVersion.circulation))
        .order_by(Draft.title, Draft.id)).all()


def shown_version(draft: Draft, role) -> DraftVersion | None:
    """The version a reader sees: the team its latest (the working one), the board and
    observers the latest circulated one (None before the first circulation)."""
    if sees_uncirculated(role):
        return draft.versions[-1] if draft.versions else None
    return next((v for v in reversed(draft.versions) if v.circulation is not None), None)


def details_of(version_ids) -> dict[tuple[int, str], Recommendation]:
    """(version id, block id) -> the details, with addressees, indicators (and their theme and
    category, for grouping) and findings: four queries whatever the number."""
    if not version_ids:
        return {}
    rows = db.session.scalars(
        select(Recommendation).where(Recommendation.version_id.in_(version_ids))
        .options(selectinload(Recommendation.groups),
                 selectinload(Recommendation.indicators).joinedload(FrameworkItem.parent)
                 .joinedload(FrameworkItem.parent).joinedload(FrameworkItem.parent),
                 selectinload(Recommendation.findings))).all()
    return {(r.version_id, r.block_id): r for r in rows}


def items(versions: list[DraftVersion],
          details: dict[tuple[int, str], Recommendation] | None = None) -> list[Item]:
    """The recommendations (paragraphs) of these versions, in order; ``details`` as
    ``details_of`` gives them (read here when not given)."""
    if details is None:
        details = details_of([v.id for v in versions])
    return [Item(v.draft, v, block["id"], block["text"], details.get((v.id, block["id"])))
            for v in versions for block in (v.blocks or [])]


def register(assessment: Assessment, role) -> list[Item]:
    """Every recommendation the reader may see, each in the version shown to them."""
    versions = [v for v in (shown_version(d, role) for d in drafts(assessment)) if v is not None]
    return items(versions)


def validated_versions(assessment: Assessment) -> list[DraftVersion]:
    """Each recommendations draft's newest validated version (its round passed)."""
    rows = db.session.scalars(
        select(DraftVersion).join(ValidationRound, ValidationRound.version_id == DraftVersion.id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.assessment_id == assessment.id, Draft.subject == Subject.RECOMMENDATIONS,
               ValidationRound.passed.is_(True))
        .options(joinedload(DraftVersion.draft))
        .order_by(DraftVersion.draft_id, DraftVersion.number)).all()
    newest: dict[int, DraftVersion] = {}
    for version in rows:
        newest[version.draft_id] = version
    return list(newest.values())


def validated(assessment: Assessment) -> list[Item]:
    """The validated recommendations: those of each draft's newest validated version (what
    the follow-up follows)."""
    return items(validated_versions(assessment))

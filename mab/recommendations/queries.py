"""Reads shared by the register, the workshop and the follow-up: which version of each
recommendations draft a reader sees, its paragraphs as recommendations with their details, and
the validated ones. Each in a fixed number of queries, whatever the number of recommendations."""
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from mab.assessments.models import Assessment
from mab.drafts.models import Draft, DraftVersion, Subject
from mab.assessments.models import codes
from mab.drafts.queries import sees_uncirculated
from mab.editions.models import Edition
from mab.editions.queries import source_language
from mab.editions.reading import paragraph
from mab.editions.rules import CURRENT
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
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
    language: str | None = None     # the edition the text is from; None: the source

    @property
    def key(self) -> tuple[int, str]:
        """What names the recommendation across versions (and its workshop positions and
        follow-up updates): its draft and its paragraph's stable id."""
        return self.draft.id, self.block_id


def categories(assessment: Assessment) -> list[FrameworkItem]:
    """The ROAM-X categories of the assessment's framework, in order (what recommendations are
    grouped by)."""
    if assessment.framework_id is None:
        return []
    return db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.CATEGORY)
        .order_by(FrameworkItem.position, FrameworkItem.id)).all()


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


def in_language(items: list[Item], assessment: Assessment, language: str, *,
                team: bool) -> list[Item]:
    """The items with their text in ``language`` where a translation of the paragraph is current
    (for readers outside the team: only an edition circulated with the version), else in the
    source language; ``Item.language`` says which (for the page's ``lang``). One query for the
    editions, whatever the number of recommendations."""
    sources = {item.draft.id: source_language(item.draft, assessment) for item in items}
    versions = {item.version.id: item.version for item in items
                if sources[item.draft.id] != language}
    editions = {e.version_id: e for e in db.session.scalars(
        select(Edition).where(Edition.version_id.in_(versions), Edition.language == language))
    } if versions else {}
    if not team:
        editions = {vid: e for vid, e in editions.items() if versions[vid].circulation is not None
                    and language in codes(versions[vid].circulation.languages)}
    result = []
    for item in items:
        edition = editions.get(item.version.id)
        block = next((b for b in edition.blocks if b["id"] == item.block_id), None) \
            if edition is not None else None
        text, status = paragraph({"id": item.block_id, "text": item.text}, block)
        result.append(replace(item, text=text, language=language) if status == CURRENT
                      else replace(item, language=sources[item.draft.id]))
    return result


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

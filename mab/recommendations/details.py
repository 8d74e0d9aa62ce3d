"""A recommendations draft's details as its versions go on: copied into each new version, and
covered by the version's content hash. Called from mab.drafts.services (which this module must
not import: recommendations.services builds on drafts.services), re-exported by
mab.recommendations.services."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mab.drafts.models import DraftVersion, Subject
from mab.extensions import db
from mab.recommendations import rules
from mab.recommendations.models import PRIORITY_LABELS, TIME_FRAME_LABELS, Recommendation


def _is_recommendations(version: DraftVersion) -> bool:
    return version.draft is not None and version.draft.subject == Subject.RECOMMENDATIONS


def _rows(version: DraftVersion) -> list[Recommendation]:
    if version.id is None:
        return []
    return db.session.scalars(
        select(Recommendation).where(Recommendation.version_id == version.id)
        .options(selectinload(Recommendation.groups), selectinload(Recommendation.indicators),
                 selectinload(Recommendation.findings))).all()


def carry_over(old_version: DraftVersion, new_version: DraftVersion) -> list[Recommendation]:
    """Copy the details of every paragraph of ``new_version`` whose id was in ``old_version``
    (a paragraph kept, moved or reworded keeps its id, so its details follow it); nothing for
    a draft that is not a recommendations draft. The new rows are added to the session."""
    if not _is_recommendations(old_version):
        return []
    kept = {block["id"] for block in (new_version.blocks or [])}
    old_ids = {block["id"] for block in (old_version.blocks or [])}
    carried = []
    for old in _rows(old_version):
        if old.block_id not in kept or old.block_id not in old_ids:
            continue
        row = Recommendation(version=new_version, block_id=old.block_id, priority=old.priority,
                             time_frame=old.time_frame, responsible=old.responsible,
                             groups=list(old.groups), indicators=list(old.indicators),
                             findings=list(old.findings))
        db.session.add(row)
        carried.append(row)
    return carried


def version_digest(version: DraftVersion) -> str | None:
    """The digest of the version's details (those of its present paragraphs) for its content
    hash; None for another kind of draft or a version without details (its hash unchanged)."""
    if not _is_recommendations(version):
        return None
    present = {block["id"] for block in (version.blocks or [])}
    details = {row.block_id: row for row in _rows(version) if row.block_id in present}
    return rules.details_digest(details) if details else None


@dataclass(frozen=True)
class Shown:
    """A paragraph's details as the draft's version page shows them under it."""
    groups: list
    priority: str
    time_frame: str
    responsible: str


def on_version_page(version: DraftVersion) -> dict[str, Shown]:
    """Block id -> the details shown under each paragraph of a recommendations draft's version
    (two queries for the page, none for another kind of draft)."""
    if not _is_recommendations(version) or version.id is None:
        return {}
    rows = db.session.scalars(
        select(Recommendation).where(Recommendation.version_id == version.id)
        .options(selectinload(Recommendation.groups))).all()
    return {row.block_id: Shown(list(row.groups), PRIORITY_LABELS[str(row.priority)],
                                TIME_FRAME_LABELS[str(row.time_frame)], row.responsible)
            for row in rows}

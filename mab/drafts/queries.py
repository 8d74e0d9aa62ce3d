"""Reads for the draft pages; bodies are loaded only where they are shown."""
from datetime import date

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from mab.assessments.models import Assessment, Membership
from mab.drafts.models import Circulation, Draft, DraftVersion, Subject, VersionView
from mab.extensions import db


def _circulated(draft_id_column):
    return exists(select(Circulation.id).join(Circulation.version)
                  .where(DraftVersion.draft_id == draft_id_column))


def drafts(assessment: Assessment, *, circulated_only: bool, subject: str = "",
           owner_id: int | None = None, search: str = "") -> Select:
    query = (select(Draft).where(Draft.assessment_id == assessment.id)
             .options(selectinload(Draft.versions).options(
                 defer(DraftVersion.body), defer(DraftVersion.blocks),
                 selectinload(DraftVersion.circulation)),
                 joinedload(Draft.item), joinedload(Draft.owner).joinedload(Membership.user))
             .order_by(Draft.title))
    if circulated_only:
        query = query.where(_circulated(Draft.id))
    if subject in set(Subject):
        query = query.where(Draft.subject == subject)
    if owner_id:
        query = query.where(Draft.owner_id == owner_id)
    if search:
        query = query.where(func.lower(Draft.title).like(f"%{search.strip().lower()}%"))
    return query


def to_review(membership: Membership, today: date, limit: int = 10):
    """Circulated versions whose deadline has not passed, newest first, with 'opened' flags."""
    rows = db.session.execute(
        select(DraftVersion, Circulation, Draft).join(Circulation.version)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.assessment_id == membership.assessment_id, Circulation.deadline >= today)
        .options(defer(DraftVersion.body), defer(DraftVersion.blocks))
        .order_by(Circulation.deadline).limit(limit)).all()
    opened = set(db.session.scalars(select(VersionView.version_id).where(
        VersionView.membership_id == membership.id,
        VersionView.version_id.in_([v.id for v, _c, _d in rows]))))
    return [(draft, version, circulation, version.id in opened)
            for version, circulation, draft in rows]


def views_of(version: DraftVersion) -> list[VersionView]:
    return db.session.scalars(select(VersionView).where(VersionView.version_id == version.id)
                              .options(joinedload(VersionView.membership).options(
                                  joinedload(Membership.user), joinedload(Membership.group)))
                              .order_by(VersionView.first_opened_at)).all()

"""Reads of releases and of the public site: the coordinator's list, a published assessment by
its address, a release by number, and the live follow-up status of released recommendations."""
from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from mab.assessments.models import Assessment
from mab.extensions import db
from mab.recommendations import followup as followup_rules
from mab.recommendations.models import FollowUpUpdate, UpdateState
from mab.releases.models import Release
from mab.report.model import Report


def releases(assessment: Assessment) -> list[Release]:
    """Every release of the assessment, newest first, with who published it, without their
    content (one query)."""
    return db.session.scalars(
        select(Release).where(Release.assessment_id == assessment.id)
        .options(joinedload(Release.published_by), defer(Release.content))
        .order_by(Release.number.desc())).all()


def release_summaries(assessment: Assessment) -> list[Release]:
    """The releases without their content (the public list), newest first."""
    return db.session.scalars(
        select(Release).where(Release.assessment_id == assessment.id)
        .options(defer(Release.content)).order_by(Release.number.desc())).all()


def latest_release(assessment: Assessment) -> Release | None:
    """The newest release, without its content."""
    return db.session.scalar(
        select(Release).where(Release.assessment_id == assessment.id)
        .options(defer(Release.content)).order_by(Release.number.desc()).limit(1))


def published_or_404(slug: str) -> Assessment:
    """The assessment of a public address: 404 when it does not exist or its site is hidden."""
    assessment = db.session.scalar(select(Assessment).where(Assessment.slug == slug))
    if assessment is None or not assessment.site_published:
        abort(404)
    return assessment


def release_or_404(assessment: Assessment, number: int | None = None) -> Release:
    """The release ``number`` of the assessment (the latest when None); 404 when there is none."""
    query = select(Release).where(Release.assessment_id == assessment.id)
    if number is None:
        query = query.order_by(Release.number.desc()).limit(1)
    else:
        query = query.where(Release.number == number)
    release = db.session.scalar(query)
    if release is None:
        abort(404)
    return release


def report_of(release: Release, language: str) -> Report:
    return Report.from_json(release.content["reports"][language])


def open_data_of(release: Release, language: str | None) -> dict:
    """The release's open data in ``language`` when it holds it, else in its main language."""
    content = release.content or {}
    return (content.get("open_data_languages") or {}).get(language) \
        or content.get("open_data") or {}


def live_statuses(assessment: Assessment) -> dict[tuple[int, str], str]:
    """(draft id, paragraph id) -> the standing confirmed follow-up status, for every
    recommendation of the assessment that has one (one query; only confirmed updates, and only
    their status and dates are read)."""
    rows = db.session.execute(
        select(FollowUpUpdate.id, FollowUpUpdate.draft_id, FollowUpUpdate.block_id,
               FollowUpUpdate.status, FollowUpUpdate.reported_on, FollowUpUpdate.created_at,
               FollowUpUpdate.state)
        .where(FollowUpUpdate.assessment_id == assessment.id,
               FollowUpUpdate.state == UpdateState.CONFIRMED)).all()
    by_key: dict[tuple[int, str], list] = {}
    for row in rows:
        by_key.setdefault((row.draft_id, row.block_id), []).append(row)
    return {key: followup_rules.latest(updates) for key, updates in by_key.items()}

"""Reads of the follow-up (issue 19 item 5): the validated recommendations with their updates,
the dashboard, one recommendation's history and the annual report. Each page in a fixed number
of queries, whatever the number of recommendations and updates."""
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from mab.assessments.models import Assessment, Membership, Role
from mab.auth.models import User
from mab.board import queries as board_queries
from mab.extensions import db
from mab.recommendations import followup as rules
from mab.recommendations import queries
from mab.recommendations.models import FollowUpUpdate, UpdateState
from mab.validation.models import ValidationRound


@dataclass
class Followed:
    """A validated recommendation as the follow-up shows it."""
    item: queries.Item
    number: int                  # its place in its version (1 for the first paragraph)
    validated_on: date | None    # the day its round closed, in the assessment's time zone
    updates: list                # every update the reader may see, newest first
    standing: FollowUpUpdate | None   # the confirmed update that gives its status now

    @property
    def key(self) -> tuple[int, str]:
        return self.item.key

    @property
    def status(self) -> str | None:
        return None if self.standing is None else str(self.standing.status)


# --- small reads -----------------------------------------------------------------------------

def local_date(moment, assessment: Assessment) -> date | None:
    return None if moment is None else moment.astimezone(ZoneInfo(assessment.timezone)).date()


def validation_dates(assessment: Assessment, versions) -> dict[int, date]:
    """Version id -> the day its passed round closed (one query)."""
    ids = [v.id for v in versions]
    if not ids:
        return {}
    rows = db.session.execute(select(ValidationRound.version_id, ValidationRound.closed_at).where(
        ValidationRound.assessment_id == assessment.id, ValidationRound.version_id.in_(ids),
        ValidationRound.passed.is_(True))).all()
    return {version_id: local_date(closed, assessment) for version_id, closed in rows}


def updates_of(assessment: Assessment, key: tuple[int, str] | None = None) -> list[FollowUpUpdate]:
    """The assessment's updates (of one recommendation when ``key`` is given) with who reported
    them, oldest first (one query)."""
    query = (select(FollowUpUpdate).where(FollowUpUpdate.assessment_id == assessment.id)
             .options(joinedload(FollowUpUpdate.reported_by).joinedload(Membership.user))
             .order_by(FollowUpUpdate.reported_on, FollowUpUpdate.created_at, FollowUpUpdate.id))
    if key is not None:
        query = query.where(FollowUpUpdate.draft_id == key[0], FollowUpUpdate.block_id == key[1])
    return db.session.scalars(query).unique().all()


def deciders(updates) -> dict[int, User]:
    """User id -> the coordinators who decided on these updates (one query)."""
    ids = {u.decided_by_id for u in updates if u.decided_by_id is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def sees_declined(membership: Membership, update: FollowUpUpdate) -> bool:
    """A declined update (and its file) is for the research team and its reporter only."""
    return (update.state != UpdateState.DECLINED
            or membership.role in (Role.COORDINATOR, Role.RESEARCHER)
            or update.reported_by_id == membership.id)


# --- the validated recommendations -------------------------------------------------------------

def _numbered(items) -> list[tuple[queries.Item, int]]:
    numbers: dict[int, int] = {}
    out = []
    for item in items:
        numbers[item.version.id] = numbers.get(item.version.id, 0) + 1
        out.append((item, numbers[item.version.id]))
    return out


def followed(assessment: Assessment, membership: Membership,
             updates: list[FollowUpUpdate] | None = None) -> list[Followed]:
    """Every validated recommendation with its updates (those the reader may see) and its
    standing update."""
    versions = queries.validated_versions(assessment)
    items = queries.items(versions)
    dates = validation_dates(assessment, versions)
    if updates is None:
        updates = updates_of(assessment)
    by_key: dict = {}
    for update in updates:
        by_key.setdefault((update.draft_id, update.block_id), []).append(update)
    out = []
    for item, number in _numbered(items):
        mine = by_key.get(item.key, [])
        shown = [u for u in reversed(mine) if sees_declined(membership, u)]
        out.append(Followed(item, number, dates.get(item.version.id), shown,
                            rules.standing_update(mine)))
    return out


def find_validated(assessment: Assessment, draft_id: int, block_id: str) -> Followed | None:
    """The validated recommendation (draft, paragraph) of this assessment, without its updates;
    None when there is none (not validated, or not this assessment's)."""
    version = next((v for v in queries.validated_versions(assessment) if v.draft_id == draft_id),
                   None)
    if version is None or not any(b["id"] == block_id for b in (version.blocks or [])):
        return None
    items = _numbered(queries.items([version]))
    item, number = next((i, n) for i, n in items if i.block_id == block_id)
    return Followed(item, number, validation_dates(assessment, [version]).get(version.id), [],
                    None)


def recommendation_page(assessment: Assessment, membership: Membership, draft_id: int,
                        block_id: str) -> dict:
    """One validated recommendation and its history (404 when not validated or not ours)."""
    found = find_validated(assessment, draft_id, block_id)
    if found is None:
        abort(404)
    updates = updates_of(assessment, found.key)
    found.updates = [u for u in reversed(updates) if sees_declined(membership, u)]
    found.standing = rules.standing_update(updates)
    return {"assessment": assessment, "rec": found, "deciders": deciders(updates)}


def dashboard_page(assessment: Assessment, membership: Membership) -> dict:
    updates = updates_of(assessment)
    recs = followed(assessment, membership, updates)
    board = rules.dashboard([r.item for r in recs], {r.key: r.status for r in recs},
                            board_queries.groups(assessment, include_retired=False),
                            rules.category_of, queries.categories(assessment))
    waiting = [u for u in updates if u.state == UpdateState.PROPOSED]
    today = assessment.today()
    first = min((r.validated_on for r in recs if r.validated_on is not None), default=None)
    return {"assessment": assessment, "recs": recs, "board": board,
            "by_key": {r.key: r for r in recs}, "waiting": waiting,
            "years": rules.years(first, today), "deciders": deciders(updates)}


def annual_page(assessment: Assessment, membership: Membership, year: int) -> dict:
    """The annual follow-up report of ``year``: each validated recommendation with its status
    at the year's end and its confirmed updates of the year, and the figures at the year's end
    by group and by category. 404 for a year after this one."""
    today = assessment.today()
    if year > today.year or year < 1900:
        abort(404)
    updates = updates_of(assessment)
    recs = followed(assessment, membership, updates)
    rows = rules.annual(updates, year, [r.key for r in recs])
    at_end = {row.key: row.status for row in rows}
    board = rules.dashboard([r.item for r in recs], at_end,
                            board_queries.groups(assessment, include_retired=False),
                            rules.category_of, queries.categories(assessment))
    return {"assessment": assessment, "year": year, "board": board,
            "lines": list(zip(recs, rows, strict=True)),
            "as_of": min(date(year, 12, 31), today), "deciders": deciders(updates)}

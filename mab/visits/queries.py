"""What others did since a member's last visit, counted by grouped queries (never one a draft).

Comments, replies and responses exist only on circulated versions, which every member of the
assessment may read; a new version counts once it is circulated. What the member did themself
is not news to them and is left out. Everything is scoped to the member's assessment.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from mab.assessments.models import Membership
from mab.comments.models import Comment
from mab.drafts.models import Circulation, Draft, DraftVersion
from mab.extensions import db
from mab.visits.rules import NewSince


@dataclass(frozen=True)
class DraftNews:
    draft_id: int
    title: str
    news: NewSince


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _by_draft(membership: Membership, since: datetime,
              draft_id: int | None) -> dict[int, tuple[str, NewSince]]:
    """Draft id -> (title, news) for the drafts with news: two queries in all."""
    me = membership.id
    not_mine = func.coalesce(Comment.author_id, 0) != me
    standing = Comment.withdrawn_at.is_(None)
    new = and_(Comment.created_at > since, not_mine, standing)
    comments = (
        select(Comment.draft_id, Draft.title,
               _count(and_(new, Comment.parent_id.is_(None))),
               _count(and_(new, Comment.parent_id.is_not(None))),
               _count(and_(Comment.disposed_at > since, standing,
                           func.coalesce(Comment.disposed_by_id, 0) != me)))
        .join(Draft, Draft.id == Comment.draft_id)
        .where(Comment.assessment_id == membership.assessment_id,
               or_(Comment.created_at > since, Comment.disposed_at > since))
        .group_by(Comment.draft_id, Draft.title))
    versions = (
        select(Draft.id, Draft.title, func.count(Circulation.id))
        .join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .join(Circulation, Circulation.version_id == DraftVersion.id)
        .where(Draft.assessment_id == membership.assessment_id, Circulation.circulated_at > since,
               func.coalesce(Circulation.circulated_by_id, 0) != membership.user_id)
        .group_by(Draft.id, Draft.title))
    if draft_id is not None:
        comments = comments.where(Comment.draft_id == draft_id)
        versions = versions.where(Draft.id == draft_id)
    result: dict[int, tuple[str, NewSince]] = {}
    for did, title, new_comments, replies, responses in db.session.execute(comments):
        result[did] = (title, NewSince(int(new_comments), int(replies), int(responses)))
    for did, title, count in db.session.execute(versions):
        before = result.get(did, (title, NewSince()))[1]
        result[did] = (title, before + NewSince(versions=int(count)))
    return result


def on_drafts(membership: Membership, since: datetime | None) -> list[DraftNews]:
    """The drafts of the member's assessment with news since ``since``, by title (the home
    page); nothing on a first visit."""
    if since is None:
        return []
    found = _by_draft(membership, since, None)
    return sorted((DraftNews(did, title, news) for did, (title, news) in found.items()
                   if news.total), key=lambda d: (d.title.casefold(), d.draft_id))


def on_draft(membership: Membership, draft: Draft, since: datetime | None) -> NewSince | None:
    """The news on one draft since ``since`` (its page); None on a first visit."""
    if since is None or draft.assessment_id != membership.assessment_id:
        return None
    found = _by_draft(membership, since, draft.id)
    return found[draft.id][1] if draft.id in found else NewSince()

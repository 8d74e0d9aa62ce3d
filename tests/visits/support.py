"""Helpers for the visit tests: a member's visit row, and time moved on."""
from datetime import timedelta

from sqlalchemy import select

from mab.comments.models import Comment
from mab.drafts.models import Circulation
from mab.extensions import db
from mab.visits.models import Visit


def visit_of(w, who, place):
    db.session.expire_all()
    return db.session.scalar(select(Visit).where(
        Visit.membership_id == w.m(who).id, Visit.place == place))


def end_visit(w, who, place, gap=timedelta(hours=2)):
    """Move time on by ``gap`` (every recorded time goes back by as much): by default the
    member's next view of ``place`` starts a new visit, and what was made so far is before the
    end of the last one."""
    assert visit_of(w, who, place) is not None
    for row in db.session.scalars(select(Comment)):
        row.created_at -= gap
        if row.disposed_at is not None:
            row.disposed_at -= gap
    for row in db.session.scalars(select(Circulation)):
        row.circulated_at -= gap
    for row in db.session.scalars(select(Visit)):
        row.last_at -= gap
        if row.previous_at is not None:
            row.previous_at -= gap
    db.session.commit()

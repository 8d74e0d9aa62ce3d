"""Recording a member's visit to a place (the home page, a draft).

Bookkeeping of a read, as ``drafts.services.record_view``: a GET never commits
(``mab.boundary``), so the visit is written in its own short transaction when the request ends
(``mab.boundary.bookkeeping``), by an upsert that a concurrent view of the same place cannot
break. A busy database costs the record, never the page.
"""
from datetime import datetime

from sqlalchemy import select

from mab.assessments.models import Membership
from mab.boundary import bookkeeping, upsert
from mab.drafts.models import Draft
from mab.extensions import db
from mab.types import utcnow
from mab.visits import queries, rules
from mab.visits.models import Visit
from mab.visits.rules import NewSince


def record_visit(membership: Membership, place: str,
                 now: datetime | None = None) -> rules.VisitState:
    """Note that ``membership`` views ``place`` now; returns the visit's state, whose ``since``
    is what the page counts "new" from (None on a first visit)."""
    now = now or utcnow()
    row = db.session.execute(select(Visit.last_at, Visit.previous_at).where(
        Visit.membership_id == membership.id, Visit.place == place)).first()
    state = rules.after_view(row.last_at if row else None, row.previous_at if row else None, now)
    if state.write:
        values = {"membership_id": membership.id, "place": place, "last_at": state.last_at,
                  "previous_at": state.previous_at}
        bookkeeping(lambda session: upsert(session, Visit, values,
                                           unique=("membership_id", "place")),
                    what=f"visit of membership {membership.id} to {place}")
    return state


def visit_draft(membership: Membership, draft: Draft) -> NewSince | None:
    """Record a view of ``draft``'s pages; what others did on it since the member's last visit
    (None on their first visit)."""
    state = record_visit(membership, rules.draft_place(draft.id))
    return queries.on_draft(membership, draft, state.since)

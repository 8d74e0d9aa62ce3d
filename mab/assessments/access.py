"""Loading an assessment for a request and checking the member's right to act in it."""
from functools import wraps

from flask import abort, g, session
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from mab.assessments.models import Assessment, Membership
from mab.boundary import transactional
from mab.extensions import db
from mab.permissions import Action, can


def membership_for(user, slug: str) -> Membership | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership).join(Membership.assessment)
        .where(Assessment.slug == slug, Membership.user_id == user.id,
               Membership.accepted_at.is_not(None))   # a pending invitation gives no access
        .options(contains_eager(Membership.assessment), joinedload(Membership.group)))


def assessment_view(action: Action = Action.VIEW):
    """Decorate a view under ``/a/<slug>/``: 404 without membership, 403 without the right.

    Sets ``g.assessment`` and ``g.membership`` and passes ``assessment`` to the view instead of
    ``slug``. The view runs inside the request boundary (``mab.boundary.transactional``): one
    commit when a POST returns normally, a rollback on any exception, never a commit for a GET.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        @transactional
        def wrapped(slug, *args, **kwargs):
            membership = membership_for(current_user, slug)
            if membership is None:
                abort(404)   # existence of an assessment never leaks to outsiders
            g.assessment = membership.assessment
            g.membership = membership
            if not can(membership.role, action):
                abort(403)
            return view(membership.assessment, *args, **kwargs)

        return wrapped

    return decorator


def require(action: Action) -> None:
    """Inside an assessment view: abort 403 unless the current member may do ``action``."""
    membership = g.get("membership")
    if membership is None or not can(membership.role, action):
        abort(403)


MENU_KEY = "menu_assessment"


def menu_context(slug: str | None) -> Membership | None:
    """Pages outside an assessment (the outbox, the account) keep the menu of the assessment
    the reader came from: ``?a=<slug>`` (the menu's links carry it, and the session remembers
    it), else their only assessment. Only one they are a member of: any other slug is ignored
    and says nothing about that assessment. Sets ``g.membership`` (for ``can()`` in the menu)
    and ``g.menu_assessment``, not ``g.assessment``: these pages keep the reader's own time zone
    (mab.i18n.select_timezone)."""
    if not current_user.is_authenticated:
        return None
    membership = membership_for(current_user, slug) if slug else None
    if membership is not None:
        session[MENU_KEY] = slug
    elif session.get(MENU_KEY):
        membership = membership_for(current_user, session[MENU_KEY])
    if membership is None:
        accepted = current_user.active_memberships
        membership = accepted[0] if len(accepted) == 1 else None
    if membership is not None:
        g.membership, g.menu_assessment = membership, membership.assessment
    return membership

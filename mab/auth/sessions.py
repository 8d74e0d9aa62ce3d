"""Server-side sessions: every signed-in device is a row that can be ended.

Flask-Login keeps ``<session id>.<secret>`` in the session cookie and in the remember-me cookie
(``User.get_id``); the user loader accepts it only while the row is live, so logout, "sign out
this session", password changes, stepping down and disabling an account end the cookies too.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from mab.assessments.models import Membership
from mab.auth.models import User, UserSession
from mab.boundary import bookkeeping
from mab.extensions import db
from mab.types import utcnow

# A request refreshes "last seen" at most this often, so reading pages does not write each time.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(user: User, *, user_agent: str = "") -> UserSession:
    """A new live session for ``user``; call before ``login_user(user)``."""
    secret = secrets.token_urlsafe(32)
    row = UserSession(user=user, secret_hash=_digest(secret), user_agent=(user_agent or "")[:300])
    db.session.add(row)
    db.session.flush()
    row.token = f"{row.id}.{secret}"
    user.current_session = row
    return row


def lifetime_limits(config) -> tuple[timedelta, timedelta]:
    return (timedelta(hours=config["SESSION_IDLE_HOURS"]),
            timedelta(days=config["SESSION_MAX_DAYS"]))


def is_live(row: UserSession, now: datetime, idle: timedelta, max_age: timedelta) -> bool:
    """Pure: a session lives until it is ended, left idle too long, or reaches its maximum age."""
    return (row.ended_at is None and now - row.last_seen_at < idle
            and now - row.created_at < max_age)


def load_session(token: str) -> UserSession | None:
    """The live session behind a cookie's id, or None."""
    raw_id, _, secret = (token or "").partition(".")
    if not raw_id.isdigit() or not secret:
        return None
    # The person and their memberships (with the assessments, for the menu and the home page)
    # arrive with the session: one query for the session and user, one for the memberships.
    row = db.session.scalar(select(UserSession).where(UserSession.id == int(raw_id)).options(
        joinedload(UserSession.user).selectinload(User.memberships)
        .joinedload(Membership.assessment)))
    if row is None or not secrets.compare_digest(row.secret_hash, _digest(secret)):
        return None
    idle, max_age = lifetime_limits(current_app.config)
    if not is_live(row, utcnow(), idle, max_age) or not row.user.active:
        return None
    row.token = token
    return row


def touch(row: UserSession, *, user_agent: str = "") -> bool:
    """Refresh the session's "last seen" (at most every ``TOUCH_EVERY``); True when due.

    Bookkeeping of a request, kept out of its transaction (a GET never commits): an UPDATE in
    its own short transaction when the request ends (``mab.boundary.bookkeeping``), whose
    failure, such as a busy SQLite file, is logged and never fails the request.
    """
    now = utcnow()
    if now - row.last_seen_at < TOUCH_EVERY:
        return False
    values = {"last_seen_at": now}
    if user_agent and not row.user_agent:
        values["user_agent"] = user_agent[:300]
    query = update(UserSession).where(UserSession.id == row.id).values(**values)
    bookkeeping(lambda session: session.execute(
        query, execution_options={"synchronize_session": False}),
        what=f"last seen of session {row.id}")
    return True


def note_sign_in(user: User) -> None:
    """Record ``last_login_at``, best-effort: bookkeeping in its own short transaction when the
    request ends, so a busy or read-only database never fails a sign-in because of it (the
    session's own row is the one write a sign-in needs: it is what signing out ends)."""
    query = update(User).where(User.id == user.id).values(last_login_at=utcnow())
    bookkeeping(lambda session: session.execute(
        query, execution_options={"synchronize_session": False}),
        what=f"last sign-in of user {user.id}")


def end_session(row: UserSession) -> None:
    if row.ended_at is None:
        row.ended_at = utcnow()


def end_sessions(user: User, *, keep: UserSession | None = None) -> int:
    """End every live session of ``user`` except ``keep``; returns how many were ended."""
    query = update(UserSession).where(UserSession.user_id == user.id,
                                      UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(query.values(ended_at=utcnow()),
                                execution_options={"synchronize_session": False})
    return result.rowcount or 0


def live_sessions(user: User) -> list[UserSession]:
    """The person's sessions that still open pages, newest first."""
    idle, max_age = lifetime_limits(current_app.config)
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                                  UserSession.last_seen_at > now - idle,
                                  UserSession.created_at > now - max_age)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).all()
    return rows


@dataclass(frozen=True)
class Device:
    browser: str
    system: str


# Ordered: the first match wins (Edge and Opera say "Chrome" too; Chrome says "Safari").
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("YaBrowser/", "Yandex Browser"),
             ("Firefox/", "Firefox"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))


def describe_device(user_agent: str) -> Device:
    """Pure: "Firefox" on "Android" from a User-Agent header; empty strings when unknown."""
    agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in agent), "")
    system = next((name for token, name in _SYSTEMS if token in agent), "")
    return Device(browser=browser, system=system)

"""Account use cases. They change rows, audit and queue mail; the view commits."""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from mab.audit.services import record_event
from mab.auth.models import AccountToken, CommentEmails, TokenPurpose, User, normalise_email
from mab.auth.rules import password_problems
from mab.auth.tokens import consume_token, issue_token
from mab.errors import DomainError
from mab.extensions import db
from mab.notify.services import external_url, queue_email
from mab.types import utcnow

# Compared against when the address is unknown, so both paths cost one hash check.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def set_password(user: User, password: str) -> None:
    problems = password_problems(password, email=user.email, name=user.name)
    if problems:
        raise DomainError(problems[0], field="password")
    user.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def send_invitation(user: User, *, assessment=None, role=None, inviter=None) -> AccountToken:
    days = current_app.config["INVITATION_DAYS"]
    token = issue_token(user, TokenPurpose.INVITE, timedelta(days=days))
    link = external_url("auth.accept_invitation", token=token)
    title = assessment.title if assessment is not None else "MAB"
    queue_email(to=user, template="invitation", assessment=assessment,
                subject=_l("Invitation to %(title)s", title=title),
                link=link, days=days, role=role, inviter=inviter)
    return token


def accept_invitation(row: AccountToken, *, name: str, language: str, password: str) -> User:
    user = row.user
    user.name = name.strip()
    user.language = language
    set_password(user, password)
    consume_token(row)
    user.last_login_at = utcnow()
    record_event("account.invitation_accepted", user, actor=user,
                 changes={"name": user.name, "language": language})
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address belongs to an active account; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    hours = current_app.config["RESET_HOURS"]
    token = issue_token(user, TokenPurpose.RESET, timedelta(hours=hours))
    link = external_url("auth.reset_password", token=token)
    queue_email(to=user, template="password_reset", subject=_l("Reset your MAB password"),
                link=link, hours=hours)
    record_event("account.reset_requested", user, actor=None)


def reset_password(row: AccountToken, password: str) -> User:
    user = row.user
    set_password(user, password)
    consume_token(row)
    user.session_version = _new_session_version()
    record_event("account.password_reset", user, actor=user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    if user.password_hash is None or not check_password_hash(user.password_hash, current or ""):
        raise DomainError(_l("Your current password is not correct."), field="current_password")
    set_password(user, new)
    user.session_version = _new_session_version()   # signs out every other session
    record_event("account.password_changed", user, actor=user)


def update_profile(user: User, *, name: str, language: str, gender, timezone=None) -> None:
    changes = {}
    for field, value in (("name", name.strip()), ("language", language), ("gender", gender),
                         ("timezone", timezone or None)):
        if getattr(user, field) != value:
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    if "gender" in changes:
        user.gender_recorded_by_coordinator = False   # now self-described
    if changes:
        record_event("account.profile_updated", user, actor=user, changes=changes)


def set_comment_emails(user: User, value: str) -> None:
    value = CommentEmails(value)
    if user.comment_emails != value:
        record_event("account.comment_emails", user, actor=user,
                     changes={"comment_emails": [user.comment_emails, value]})
        user.comment_emails = value


def create_admin(email: str, name: str, password: str) -> tuple[User, bool]:
    """Create a site admin, or make an existing account one. Returns (user, created)."""
    user = find_user(email)
    created = user is None
    if created:
        user = User(email=normalise_email(email), name=name, language="en")
        db.session.add(user)
    if password:
        set_password(user, password)
    elif user.password_hash is None:
        raise DomainError(_l("A new administrator needs a password."), field="password")
    user.is_site_admin = True
    user.active = True
    db.session.flush()
    record_event("account.admin_granted", user, actor=None, changes={"created": created})
    return user, created


def _new_session_version() -> str:
    return secrets.token_hex(8)

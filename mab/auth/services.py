"""Account use cases. They change rows, audit and queue mail; the view commits."""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from mab.audit.services import record_event
from mab.auth.models import AccountToken, CommentEmails, TokenPurpose, User, normalise_email
from mab.auth.rules import password_problems
from mab.auth.sessions import end_sessions
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
    return user   # last_login_at: sessions.note_sign_in, best-effort


def send_invitation(membership, *, inviter=None) -> str:
    """Email the person a link that activates this membership (and sets their password)."""
    user, assessment = membership.user, membership.assessment
    days = current_app.config["INVITATION_DAYS"]
    token = issue_token(user, TokenPurpose.INVITE, timedelta(days=days), membership=membership)
    # The page opens in the language of this email (queue_email writes it in user.language).
    link = external_url("auth.accept_invitation", token=token, lang=user.language or "en")
    queue_email(to=user, template="invitation", assessment=assessment, secret=True,
                subject=_l("Invitation to %(title)s", title=assessment.title),
                link=link, days=days, role=membership.role, inviter=inviter)
    return token


def accept_invitation(row: AccountToken, *, name: str, language: str, password: str) -> User:
    """A new account: its name, language and password, and the one membership of the link."""
    user = row.user
    if user.has_account:
        raise DomainError(_l("This account is set up already. Sign in to accept the invitation."))
    user.name = name.strip()
    user.language = language
    set_password(user, password)
    user.last_login_at = utcnow()
    record_event("account.invitation_accepted", user, actor=user,
                 changes={"name": user.name, "language": language})
    _activate(row, actor=user)
    return user


def accept_membership(row: AccountToken, user: User) -> None:
    """A signed-in person with an account uses an invitation link addressed to them."""
    if row.user_id != user.id:
        raise DomainError(_l("This invitation is addressed to someone else."))
    _activate(row, actor=user)


def _activate(row: AccountToken, *, actor) -> None:
    consume_token(row)
    membership = row.membership
    if membership is not None and membership.accepted_at is None:
        membership.accepted_at = utcnow()
        record_event("membership.accepted", membership, actor=actor,
                     assessment=membership.assessment)


def resend_own_invitation(user: User, membership) -> None:
    """A signed-in person asks for a pending membership's link again, to their own address."""
    if membership.user_id != user.id or membership.accepted_at is not None:
        raise DomainError(_l("There is no invitation waiting for you there."))
    send_invitation(membership)
    record_event("membership.invitation_resent", membership, actor=user,
                 assessment=membership.assessment)


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address belongs to an active account; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    hours = current_app.config["RESET_HOURS"]
    token = issue_token(user, TokenPurpose.RESET, timedelta(hours=hours))
    link = external_url("auth.reset_password", token=token, lang=user.language or "en")
    queue_email(to=user, template="password_reset", subject=_l("Reset your MAB password"),
                link=link, hours=hours, secret=True)
    record_event("account.reset_requested", user, actor=None)


def reset_password(row: AccountToken, password: str) -> User:
    user = row.user
    set_password(user, password)
    consume_token(row)
    end_sessions(user)   # every device signs in again with the new password
    record_event("account.password_reset", user, actor=user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    if user.password_hash is None or not check_password_hash(user.password_hash, current or ""):
        raise DomainError(_l("Your current password is not correct."), field="current_password")
    set_password(user, new)
    end_sessions(user, keep=user.current_session)   # signs out every other device
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


def set_language(user: User, language: str) -> None:
    """The account's language (its emails, and its pages after a sign-in without a choice)."""
    if user.language != language:
        record_event("account.profile_updated", user, actor=user,
                     changes={"language": [user.language, language]})
        user.language = language


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


def set_account_active(user: User, active: bool, *, actor) -> None:
    """The site admin disables an account (ending its sessions) or enables it again."""
    if user.id == actor.id and not active:
        raise DomainError(_l("You cannot disable your own account."))
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(user)
    record_event("account.enabled" if active else "account.disabled", user, actor=actor,
                 changes={"active": [not active, active]})

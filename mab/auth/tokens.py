"""Signed, single-use, expiring tokens for invitation and password-reset links."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from mab.auth.models import AccountToken, TokenPurpose, User
from mab.errors import DomainError
from mab.extensions import db
from mab.types import utcnow


class TokenError(DomainError):
    pass


def _serializer(purpose: TokenPurpose) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"mab-token-{purpose.value}")


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta, *,
                membership=None) -> str:
    nonce = secrets.token_urlsafe(24)
    row = AccountToken(user=user, purpose=purpose, nonce_hash=_digest(nonce),
                       expires_at=utcnow() + lifetime, membership=membership)
    db.session.add(row)
    db.session.flush()
    return _serializer(purpose).dumps([row.id, nonce])


def check_token(raw: str, purpose: TokenPurpose) -> AccountToken:
    """Return the live token row behind ``raw`` or raise TokenError saying why not."""
    try:
        token_id, nonce = _serializer(purpose).loads(raw)
    except (BadSignature, ValueError, TypeError) as error:
        raise TokenError(_l("This link is not valid. Check that you copied all of it.")) from error
    row = db.session.get(AccountToken, token_id)
    if row is None or row.purpose != purpose or not secrets.compare_digest(row.nonce_hash, _digest(nonce)):
        raise TokenError(_l("This link is not valid. Check that you copied all of it."))
    if row.used_at is not None:
        raise TokenError(_l("This link has already been used. Each link works only once."))
    if row.expires_at <= utcnow():
        raise TokenError(_l("This link has expired. Ask for a new one."))
    if not row.user.active:
        raise TokenError(_l("This account is disabled."))
    return row


def consume_token(row: AccountToken) -> None:
    """Spend the token, and every other live token of the same purpose for that person.

    An invitation spends only the links of its own membership (a resend makes a second one):
    an invitation to another assessment keeps working.
    """
    now = utcnow()
    query = db.select(AccountToken).where(AccountToken.user_id == row.user_id,
                                          AccountToken.purpose == row.purpose,
                                          AccountToken.used_at.is_(None))
    if row.purpose == TokenPurpose.INVITE:
        query = query.where(AccountToken.membership_id.is_(None) if row.membership_id is None
                            else AccountToken.membership_id == row.membership_id)
    for other in db.session.scalars(query):
        other.used_at = now
    row.used_at = now

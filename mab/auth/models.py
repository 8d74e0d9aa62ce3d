"""People and their account tokens."""
import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from flask_babel import lazy_gettext as _l

from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.assessments.models import Membership


class Gender(enum.StrEnum):
    WOMAN = "woman"
    MAN = "man"
    ANOTHER = "another"
    UNDISCLOSED = "undisclosed"


GENDER_LABELS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "another": _l("Another identity"),
    "undisclosed": _l("Prefers not to say"),
}


class CommentEmails(enum.StrEnum):
    IMMEDIATE = "immediate"     # an email for each comment, reply or response
    DAILY = "daily"             # one digest a day (``flask mab send-digests``)


class TokenPurpose(enum.StrEnum):
    INVITE = "invite"
    RESET = "reset"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    timezone: Mapped[str | None] = mapped_column(String(64))   # the viewer's own, if set
    # Bumped to revoke the personal calendar feed link.
    calendar_version: Mapped[int] = mapped_column(default=0)
    gender: Mapped[Gender | None] = mapped_column(
        str_enum(Gender, "gender"))
    # True when the coordinator recorded the gender; the person's own choice clears it.
    gender_recorded_by_coordinator: Mapped[bool] = mapped_column(default=False)
    comment_emails: Mapped[CommentEmails] = mapped_column(
        str_enum(CommentEmails, "comment_emails"), default=CommentEmails.IMMEDIATE)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_site_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user",
                                                           cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def has_account(self) -> bool:
        """True once the person has accepted an invitation and set a password."""
        return self.password_hash is not None

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def active_memberships(self) -> list:
        """The memberships that give access: accepted ones (see ``Membership.accepted_at``)."""
        return [m for m in self.memberships if m.accepted_at is not None]

    @property
    def pending_memberships(self) -> list:
        return [m for m in self.memberships if m.accepted_at is None]

    # The signed-in device behind this request (a UserSession), set by the user loader.
    current_session = None

    def get_id(self) -> str:
        """Flask-Login's id: the device's session token, never the bare user id.

        Logout, "sign out this session" and expiry end the record, and with it both the session
        cookie and the remember-me cookie that carry this id.
        """
        if self.current_session is None or self.current_session.token is None:
            raise RuntimeError("start_session() must be called before login_user()")
        return self.current_session.token

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AccountToken(db.Model):
    """A single-use, expiring token behind an invitation or password-reset link.

    The link carries a signed ``[id, nonce]``; only the SHA-256 of the nonce is stored.
    """

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(
        str_enum(TokenPurpose, "token_purpose"))
    nonce_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The membership an invitation link activates; other pending memberships stay pending.
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()
    membership: Mapped["Membership | None"] = relationship()


class UserSession(db.Model):
    """A signed-in device: the server-side record behind a session and a remember-me cookie.

    The cookie carries ``<id>.<secret>``; only the SHA-256 of the secret is stored.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    # The cookie value, known only in the request that created the session.
    token = None

"""Validation rounds on one frozen version, and members' sign-offs."""
import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from flask_babel import lazy_gettext as _l

from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.assessments.models import Membership
    from mab.auth.models import User
    from mab.drafts.models import DraftVersion
    from mab.meetings.models import Meeting


class SignDecision(enum.StrEnum):
    ENDORSE = "endorse"
    RESERVATIONS = "reservations"
    OBJECT = "object"


DECISION_LABELS = {
    "endorse": _l("Endorse"),
    "reservations": _l("Endorse with reservations"),
    "object": _l("Object"),
}


class ValidationRound(db.Model):
    __tablename__ = "validation_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"),
                                               index=True)
    # One round per version, ever: a later version needs its own round.
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="RESTRICT"), unique=True)
    # What members sign: the version's hash, or with translations the manifest hash over the
    # source's and each edition's hash (mab.editions.rules.manifest_hash).
    version_sha256: Mapped[str] = mapped_column(String(64))
    # The manifest, frozen at opening: [{"language", "sha256", "source", "total", "current",
    # "outdated", "missing", "machine_assisted"}]; None on a one-language version.
    editions: Mapped[list | None] = mapped_column(JSON)
    deadline: Mapped[date]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    rule: Mapped[dict] = mapped_column(JSON)          # the rule in force when it opened
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passed: Mapped[bool | None] = mapped_column()
    result: Mapped[dict | None] = mapped_column(JSON)  # conditions and figures, frozen at closing
    # Why it closed before its deadline (required then, empty otherwise).
    close_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The workshop as it stood at closing: True held (minutes approved or attendance recorded),
    # False not held (the coordinator confirmed closing before it); None without a workshop.
    workshop_held: Mapped[bool | None] = mapped_column()
    # The audit chain's head hash and length just after the closing event was recorded.
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_count: Mapped[int | None] = mapped_column()

    version: Mapped["DraftVersion"] = relationship()
    meeting: Mapped["Meeting | None"] = relationship()
    opened_by: Mapped["User | None"] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped["User | None"] = relationship(foreign_keys=[closed_by_id])
    signoffs: Mapped[list["SignOff"]] = relationship(
        back_populates="round", order_by="SignOff.id", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SignOff(db.Model):
    """A member's decision; a change adds a row and marks the earlier one superseded."""

    __tablename__ = "signoffs"
    __table_args__ = (
        CheckConstraint("decision = 'endorse' OR length(statement) > 0",
                        name="statement_required"),
        CheckConstraint("recorded_by_id IS NULL OR meeting_id IS NOT NULL",
                        name="on_behalf_names_meeting"),
        # At most one current decision per member and round, whatever the race.
        Index("uq_signoffs_current", "round_id", "membership_id", unique=True,
              sqlite_where=text("superseded_at IS NULL"),
              postgresql_where=text("superseded_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("validation_rounds.id", ondelete="CASCADE"),
                                          index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="RESTRICT"),
                                               index=True)
    decision: Mapped[SignDecision] = mapped_column(str_enum(SignDecision, "sign_decision"))
    statement: Mapped[str] = mapped_column(Text, default="")
    version_sha256: Mapped[str] = mapped_column(String(64))   # what the member saw and signed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Recorded by the coordinator on the member's behalf, at a named meeting.
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="RESTRICT"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"))

    round: Mapped[ValidationRound] = relationship(back_populates="signoffs")
    membership: Mapped["Membership"] = relationship(foreign_keys=[membership_id])
    recorded_by: Mapped["Membership | None"] = relationship(foreign_keys=[recorded_by_id])
    meeting: Mapped["Meeting | None"] = relationship()

    @property
    def on_behalf(self) -> bool:
        return self.recorded_by_id is not None

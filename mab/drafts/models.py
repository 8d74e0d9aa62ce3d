"""Drafts, their numbered versions, attachments, circulations and who opened what."""
import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from flask_babel import lazy_gettext as _l

from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.assessments.models import Membership
    from mab.editions.models import Edition
    from mab.framework.models import FrameworkItem


class Subject(enum.StrEnum):
    INDICATOR = "indicator"
    QUESTION = "question"
    THEME = "theme"
    CHAPTER = "chapter"                 # a category
    RECOMMENDATIONS = "recommendations"
    REPORT = "report"


SUBJECT_LABELS = {
    "indicator": _l("Indicator"), "question": _l("Question"), "theme": _l("Theme"),
    "chapter": _l("Chapter (category)"), "recommendations": _l("Policy recommendations"),
    "report": _l("Whole report"),
}


class Draft(db.Model):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    subject: Mapped[Subject] = mapped_column(str_enum(Subject, "draft_subject"))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_items.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # The content language the researcher writes in; None: the assessment's first language.
    source_language: Mapped[str | None] = mapped_column(String(5))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped["FrameworkItem | None"] = relationship()
    owner: Mapped["Membership | None"] = relationship()
    versions: Mapped[list["DraftVersion"]] = relationship(
        back_populates="draft", order_by="DraftVersion.number", cascade="all, delete-orphan")


class DraftVersion(db.Model):
    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_draft_versions_number"),
                      CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text, default="")
    # [{"id": "p3", "text": "..."}]: the blocks with their stable ids (comments anchor here).
    blocks: Mapped[list] = mapped_column(JSON, default=list)
    change_summary: Mapped[str] = mapped_column(Text, default="")
    # Optimistic lock: every UPDATE is "... WHERE revision = <the one read>" and bumps it, so two
    # simultaneous saves cannot both win (the loser gets StaleDataError -> an edit conflict).
    revision: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))

    draft: Mapped[Draft] = relationship(back_populates="versions")
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="version",
                                                           order_by="Attachment.id")
    circulation: Mapped["Circulation | None"] = relationship(back_populates="version")
    editions: Mapped[list["Edition"]] = relationship(
        back_populates="version", order_by="Edition.language", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": revision}

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint("size >= 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id", ondelete="CASCADE"),
                                            index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[DraftVersion] = relationship(back_populates="attachments")


class Circulation(db.Model):
    __tablename__ = "circulations"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="CASCADE"), unique=True)
    circulated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    circulated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[date]
    # Set by the first extension: the deadline as first given (the audit log has every change).
    original_deadline: Mapped[date | None]
    message: Mapped[str] = mapped_column(Text, default="")
    # The translated editions circulated with the source (comma-separated language codes).
    languages: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Set when the coordinator ended the comment period early to open a validation round
    # (the deadline then became that day).
    ended_early_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[DraftVersion] = relationship(back_populates="circulation")


class VersionView(db.Model):
    """The first time a member opened a circulated version."""

    __tablename__ = "version_views"
    __table_args__ = (UniqueConstraint("version_id", "membership_id", name="uq_version_views_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id", ondelete="CASCADE"),
                                            index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    membership: Mapped["Membership"] = relationship()

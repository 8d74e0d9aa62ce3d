"""Frameworks and their tree of items.

A framework with no owner is shared (the built-in ROAM-X, or one the site admin loaded): every
assessment may use it, and only the site admin changes it. A framework with an owner is that
assessment's own copy: made from a shared one on the assessment's first import, it keeps where
it came from, when and by whom, and only that assessment sees or changes it.
"""
import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.auth.models import User


class ItemKind(enum.StrEnum):
    CATEGORY = "category"
    THEME = "theme"
    QUESTION = "question"
    INDICATOR = "indicator"


class Framework(db.Model):
    __tablename__ = "frameworks"
    __table_args__ = (CheckConstraint("owner_assessment_id IS NULL OR NOT builtin",
                                      name="builtin_shared"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)   # e.g. roamx-2018
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40))
    attribution: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The assessment whose own copy this is; None for a shared framework. ``use_alter`` because
    # assessments point at their framework too (a cycle the schema tools order by ALTER).
    owner_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE", use_alter=True), index=True)
    # Provenance of a copy: the framework it was copied from, when, and by whom.
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("frameworks.id", ondelete="SET NULL"), index=True)
    copied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    copied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    copied_from: Mapped["Framework | None"] = relationship(remote_side=[id])
    copied_by: Mapped["User | None"] = relationship()

    @property
    def shared(self) -> bool:
        return self.owner_assessment_id is None


class FrameworkItem(db.Model):
    """A category, theme, question or indicator; codes are data, never rules in code."""

    __tablename__ = "framework_items"
    __table_args__ = (UniqueConstraint("framework_id", "kind", "code",
                                       name="uq_framework_items_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "item_kind"))
    code: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_items.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    # The title in other languages, by locale code ({"ru": ..., "kk": ...}); ``title`` is the
    # fallback shown when the reader's language has none.
    titles: Mapped[dict] = mapped_column(JSON, default=dict)
    core: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped["FrameworkItem | None"] = relationship(remote_side=[id])

"""Frameworks (shared by assessments) and their tree of items."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow


class ItemKind(enum.StrEnum):
    CATEGORY = "category"
    THEME = "theme"
    QUESTION = "question"
    INDICATOR = "indicator"


class Framework(db.Model):
    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)   # e.g. roamx-2018
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40))
    attribution: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
    core: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    parent = relationship("FrameworkItem", remote_side=[id], lazy="select")

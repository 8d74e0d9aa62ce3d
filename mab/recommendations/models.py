"""A recommendation is one paragraph of a recommendations draft (Draft.subject
"recommendations"): its wording is the paragraph, versioned, commented and validated with the
draft. Its details (addressees, what it rests on, priority, time frame, responsible actor) belong
to the version, so a circulated or validated version keeps the details it was read with; a new
version starts with a copy. The paragraph's stable id (``block_id``) names the recommendation
across versions: workshop positions and follow-up updates hang on (draft, block_id)."""
import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mab.board.models import StakeholderGroup
from mab.drafts.models import Draft, DraftVersion
from mab.evidence.models import StoredFile
from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.assessments.models import Membership
    from mab.meetings.models import Meeting


class Priority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


PRIORITY_LABELS = {"high": _l("High priority"), "medium": _l("Medium priority"),
                   "low": _l("Low priority")}


class TimeFrame(enum.StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


TIME_FRAME_LABELS = {"short": _l("Short term"), "medium": _l("Medium term"),
                     "long": _l("Long term")}


recommendation_groups = Table(
    "recommendation_groups", db.metadata,
    Column("recommendation_id", Integer, ForeignKey("recommendations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("group_id", Integer, ForeignKey("stakeholder_groups.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)
recommendation_indicators = Table(
    "recommendation_indicators", db.metadata,
    Column("recommendation_id", Integer, ForeignKey("recommendations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("item_id", Integer, ForeignKey("framework_items.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)
recommendation_findings = Table(
    "recommendation_findings", db.metadata,
    Column("recommendation_id", Integer, ForeignKey("recommendations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Recommendation(db.Model):
    """The details of one recommendation (a paragraph) in one version of its draft."""
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("version_id", "block_id", name="uq_recommendations_block"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id", ondelete="CASCADE"),
                                            index=True)
    block_id: Mapped[str] = mapped_column(String(20))
    priority: Mapped[Priority] = mapped_column(str_enum(Priority, "priority"),
                                               default=Priority.MEDIUM)
    time_frame: Mapped[TimeFrame] = mapped_column(str_enum(TimeFrame, "time_frame"),
                                                  default=TimeFrame.MEDIUM)
    responsible: Mapped[str] = mapped_column(String(300), default="")   # "Ministry of ..."

    version: Mapped[DraftVersion] = relationship()
    groups: Mapped[list[StakeholderGroup]] = relationship(
        secondary=recommendation_groups, order_by=StakeholderGroup.position)
    indicators: Mapped[list[FrameworkItem]] = relationship(
        secondary=recommendation_indicators, order_by=FrameworkItem.position)
    findings: Mapped[list[Draft]] = relationship(secondary=recommendation_findings,
                                                 order_by=Draft.title)


class Position(enum.StrEnum):
    ENDORSED = "endorsed"
    AMENDED = "amended"
    REJECTED = "rejected"
    DEFERRED = "deferred"


POSITION_LABELS = {"endorsed": _l("Endorsed"), "amended": _l("Amended"),
                   "rejected": _l("Rejected"), "deferred": _l("Deferred")}


class WorkshopItem(db.Model):
    """A recommendation on a validation workshop's agenda, and the board's position on it."""
    __tablename__ = "workshop_items"
    __table_args__ = (UniqueConstraint("meeting_id", "draft_id", "block_id",
                                       name="uq_workshop_items_block"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    block_id: Mapped[str] = mapped_column(String(20))
    # The version whose wording the agenda listed.
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id", ondelete="CASCADE"))
    position: Mapped[Position | None] = mapped_column(str_enum(Position, "workshop_position"))
    amended_text: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The version the positions were carried into.
    applied_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="SET NULL"))

    meeting: Mapped["Meeting"] = relationship()
    draft: Mapped[Draft] = relationship()
    version: Mapped[DraftVersion] = relationship(foreign_keys=[version_id])


class FollowUpStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PARTLY_IMPLEMENTED = "partly_implemented"
    IMPLEMENTED = "implemented"
    ABANDONED = "abandoned"


FOLLOW_UP_LABELS = {
    "not_started": _l("Not started"), "in_progress": _l("In progress"),
    "partly_implemented": _l("Partly implemented"), "implemented": _l("Implemented"),
    "abandoned": _l("Abandoned"),
}


class UpdateState(enum.StrEnum):
    PROPOSED = "proposed"     # by a board member, waiting for the coordinator
    CONFIRMED = "confirmed"
    DECLINED = "declined"


UPDATE_STATE_LABELS = {"proposed": _l("Proposed"), "confirmed": _l("Confirmed"),
                       "declined": _l("Declined")}


class FollowUpUpdate(StoredFile, db.Model):
    """A dated report on how far a validated recommendation has been implemented."""
    __tablename__ = "follow_up_updates"
    __table_args__ = (Index("ix_follow_up_updates_recommendation", "draft_id", "block_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    block_id: Mapped[str] = mapped_column(String(20))
    status: Mapped[FollowUpStatus] = mapped_column(str_enum(FollowUpStatus, "follow_up_status"))
    reported_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(1000), default="")
    state: Mapped[UpdateState] = mapped_column(str_enum(UpdateState, "update_state"),
                                               default=UpdateState.PROPOSED)
    reported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reported_by: Mapped["Membership | None"] = relationship()

"""Meetings, who is invited, what they answered and whether they came."""
import enum
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from flask_babel import lazy_gettext as _l

from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.assessments.models import Membership
    from mab.auth.models import User


class MeetingKind(enum.StrEnum):
    BOARD_MEETING = "board_meeting"
    CONSULTATION = "consultation"
    TRAINING = "training"
    VALIDATION_WORKSHOP = "validation_workshop"


KIND_LABELS = {
    "board_meeting": _l("Board meeting"),
    "consultation": _l("Consultation"),
    "training": _l("Researcher training"),
    "validation_workshop": _l("Validation workshop"),
}


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


MEETING_STATUS_LABELS = {"scheduled": _l("Scheduled"), "held": _l("Held"), "cancelled": _l("Cancelled")}


class MinutesStatus(enum.StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"


MINUTES_LABELS = {"draft": _l("Draft"), "circulated": _l("Circulated for corrections"),
                  "approved": _l("Approved")}


class Rsvp(enum.StrEnum):
    PENDING = "pending"
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


RSVP_LABELS = {"pending": _l("No answer yet"), "yes": _l("Yes"), "no": _l("No"),
               "maybe": _l("Maybe")}


class Attendance(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


ATTENDANCE_LABELS = {"present": _l("Present"), "absent": _l("Absent"), "excused": _l("Excused")}


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),
                      CheckConstraint("sequence >= 0", name="sequence_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind, "meeting_kind"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(str_enum(MeetingStatus, "meeting_status"),
                                                 default=MeetingStatus.SCHEDULED)
    uid: Mapped[str] = mapped_column(String(120), unique=True,
                                     default=lambda: f"{uuid.uuid4()}@mab")
    sequence: Mapped[int] = mapped_column(default=0)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    minutes_status: Mapped[MinutesStatus] = mapped_column(
        str_enum(MinutesStatus, "minutes_status"), default=MinutesStatus.DRAFT)
    minutes_circulated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_approved_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"))

    organizer: Mapped["User | None"] = relationship()
    invitations: Mapped[list["Invitation"]] = relationship(back_populates="meeting",
                                                           cascade="all, delete-orphan")
    action_items: Mapped[list["ActionItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="ActionItem.id")
    approved_in: Mapped["Meeting | None"] = relationship(remote_side=[id])


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("meeting_id", "membership_id",
                                       name="uq_invitations_invitee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"),
                                               index=True)
    rsvp: Mapped[Rsvp] = mapped_column(str_enum(Rsvp, "rsvp"), default=Rsvp.PENDING)
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[Attendance | None] = mapped_column(str_enum(Attendance, "attendance"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    membership: Mapped["Membership"] = relationship()


class ReminderSent(db.Model):
    """One reminder per invitation and offset: the worker never sends the same one twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("invitation_id", "offset_days",
                                       name="uq_reminders_sent_offset"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"))
    offset_days: Mapped[int]   # -1 for a reminder sent by hand
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionItem(db.Model):
    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    text: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="action_items")
    owner: Mapped["Membership | None"] = relationship()

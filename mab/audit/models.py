"""The audit trail: one hash chain over every state change in the installation."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mab.extensions import db
from mab.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from mab.auth.models import User


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="RESTRICT"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    # The chain: each event names the hash of the one before, so no two events can share a
    # predecessor (the unique constraint keeps the chain a line, never a fork).
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped["User | None"] = relationship()

    def payload(self) -> dict:
        """What the hash covers: everything but the row id and the hashes themselves."""
        return {
            "created_at": self.created_at.isoformat(),
            "assessment_id": self.assessment_id,
            "actor_id": self.actor_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "changes": self.changes or {},
        }

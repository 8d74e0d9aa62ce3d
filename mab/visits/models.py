"""One row per member and place they visit (the home page, a draft): when they last opened it."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mab.extensions import db
from mab.types import UTCDateTime, utcnow


class Visit(db.Model):
    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("membership_id", "place", name="uq_visits_place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    # "home", or "draft:<id>": where the member was.
    place: Mapped[str] = mapped_column(String(60))
    # When they last opened it, and the visit before that: "new since your last visit" counts
    # from ``previous_at``, so a reload does not hide what the member has not read yet.
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    previous_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

"""A release: the report as published on a date, frozen (every language's assembled report and
the open data as JSON), with the manifest hash over its parts. Never changed or deleted: publishing
again adds a release; unpublishing only hides the site (Assessment.site_published)."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mab.extensions import db
from mab.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from mab.auth.models import User


class Release(db.Model):
    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("assessment_id", "number", name="uq_releases_number"),
                      CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]                       # 1, 2, ... per assessment
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    # SHA-256 over the release's parts (mab.report.rules.manifest_hash of each language's report).
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(40))          # comma-separated, main first
    # {"reports": {language: mab.report.model.Report.to_json()}, "open_data": {...}}
    content: Mapped[dict] = mapped_column(JSON)

    published_by: Mapped["User | None"] = relationship()

"""Sources, the indicators they serve, and each indicator's data status in an assessment."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (CheckConstraint, Column, ForeignKey, Integer, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.types import UTCDateTime, str_enum, utcnow


class SourceKind(enum.StrEnum):
    OFFICIAL_STATISTICS = "official_statistics"
    SURVEY = "survey"
    LEGAL_TEXT = "legal_text"
    EXPERT_INTERVIEW = "expert_interview"
    INTERNATIONAL_INDEX = "international_index"
    OTHER = "other"


SOURCE_KIND_LABELS = {
    "official_statistics": _l("Official statistics"), "survey": _l("Survey"),
    "legal_text": _l("Legal text"), "expert_interview": _l("Expert interview"),
    "international_index": _l("International index"), "other": _l("Other source"),
}


class DataStatus(enum.StrEnum):
    AVAILABLE = "available"
    PARTIAL = "partial"
    NO_DATA = "no_data"
    NOT_APPLICABLE = "not_applicable"


DATA_STATUS_LABELS = {
    "available": _l("Data available"), "partial": _l("Partial data"), "no_data": _l("No data"),
    "not_applicable": _l("Not applicable"),
}


class StoredFile:
    """Columns of one uploaded file kept beside its row (checked, stored under UPLOAD_FOLDER
    with a random key, served only by an authorised view as a download)."""
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_type: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None]
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    @property
    def has_file(self) -> bool:
        return self.file_key is not None


source_indicators = Table(
    "source_indicators", db.metadata,
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", Integer, ForeignKey("framework_items.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Source(StoredFile, db.Model):
    """A source of data; cited in findings as ``[@src-<number>]`` (numbered per assessment)."""
    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("assessment_id", "number", name="uq_sources_number"),
                      CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str] = mapped_column(String(300), default="")
    data_year: Mapped[int | None]
    url: Mapped[str] = mapped_column(String(1000), default="")
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, "source_kind"),
                                             default=SourceKind.OTHER)
    verification: Mapped[str] = mapped_column(Text, default="")   # means of verification
    gender_disaggregated: Mapped[bool] = mapped_column(default=False)
    other_dimensions: Mapped[str] = mapped_column(String(300), default="")  # "age, region"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicators: Mapped[list[FrameworkItem]] = relationship(secondary=source_indicators,
                                                           order_by=FrameworkItem.position)

    @property
    def reference(self) -> str:
        return f"[@src-{self.number}]"


class IndicatorEvidence(db.Model):
    """An indicator's data status in an assessment and the researcher's note on its quality."""
    __tablename__ = "indicator_evidence"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id",
                                       name="uq_indicator_evidence_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("framework_items.id", ondelete="CASCADE"))
    data_status: Mapped[DataStatus | None] = mapped_column(str_enum(DataStatus, "data_status"))
    quality_note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

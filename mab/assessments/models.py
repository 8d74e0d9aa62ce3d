"""Assessments, their policy, and who plays which role in them."""
import enum
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import (CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false as sa_false,
                        true as sa_true)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship
from flask_babel import lazy_gettext as _l

from mab.assessments.rules import in_research_team
from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.auth.models import User
    from mab.board.models import StakeholderGroup


def codes(text: str | None) -> list[str]:
    """Language codes kept comma-separated in a column (``"ru,kk,en"``), in order."""
    return [code.strip() for code in (text or "").split(",") if code.strip()]


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    RESEARCHER = "researcher"
    BOARD_MEMBER = "board_member"
    OBSERVER = "observer"
    TRANSLATOR = "translator"


ROLE_LABELS = {
    "coordinator": _l("Coordinator"),
    "researcher": _l("Researcher"),
    "board_member": _l("Board member"),
    "observer": _l("Observer"),
    "translator": _l("Translator"),
}


class BoardStatus(enum.StrEnum):
    NOMINEE = "nominee"
    ACTIVE = "active"
    STEPPED_DOWN = "stepped_down"


BOARD_STATUS_LABELS = {
    "nominee": _l("Nominee"),
    "active": _l("Active"),
    "stepped_down": _l("Stepped down"),
}


class Phase(enum.StrEnum):
    SETUP = "setup"
    RESEARCH = "research"
    CONSULTATION = "consultation"
    VALIDATION = "validation"
    PUBLISHED = "published"


PHASE_LABELS = {
    "setup": _l("Setting up"),
    "research": _l("Research"),
    "consultation": _l("Consultation"),
    "validation": _l("Validation"),
    "published": _l("Published"),
}


# The defaults of DESIGN section 4; every assessment carries its own copy.
POLICY_DEFAULTS = {
    "gender_min_pct": 40,
    "gender_max_pct": 60,
    "undisclosed_max_pct": 20,
    "group_min_members": 1,
    "group_max_pct": 30,
    "quorum_members_pct": 50,
    "quorum_groups_pct": 50,
    "validation_response_pct": 50,
    # "At least two thirds" is kept as an exact fraction: 6 of 9 must pass.
    "validation_endorse_num": 2,
    "validation_endorse_den": 3,
}


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("year BETWEEN 1990 AND 2100", name="year_range"),
        CheckConstraint("gender_min_pct >= 0 AND gender_min_pct < gender_max_pct "
                        "AND gender_max_pct <= 100", name="gender_band"),
        CheckConstraint("undisclosed_max_pct BETWEEN 0 AND 100", name="undisclosed_range"),
        CheckConstraint("group_min_members >= 0", name="group_min"),
        CheckConstraint("group_max_pct BETWEEN 1 AND 100", name="group_max"),
        CheckConstraint("quorum_members_pct BETWEEN 0 AND 100 AND quorum_groups_pct BETWEEN 0 AND 100",
                        name="quorum_range"),
        CheckConstraint("validation_response_pct BETWEEN 0 AND 100", name="response_range"),
        CheckConstraint("validation_endorse_den > 0 AND validation_endorse_num >= 0 "
                        "AND validation_endorse_num <= validation_endorse_den", name="endorse_fraction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    country: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Comma-separated language codes, the first being the assessment's main language.
    languages: Mapped[str] = mapped_column(String(40), default="en")
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, "phase"), default=Phase.SETUP)
    framework_id: Mapped[int | None] = mapped_column(
        ForeignKey("frameworks.id", ondelete="RESTRICT"))
    core_only: Mapped[bool] = mapped_column(default=True)   # scope: the core indicators, or all
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gender_min_pct: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["gender_min_pct"])
    gender_max_pct: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["gender_max_pct"])
    undisclosed_max_pct: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["undisclosed_max_pct"])
    group_min_members: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["group_min_members"])
    group_max_pct: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["group_max_pct"])
    quorum_members_pct: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["quorum_members_pct"])
    quorum_groups_pct: Mapped[int] = mapped_column(default=POLICY_DEFAULTS["quorum_groups_pct"])
    validation_response_pct: Mapped[int] = mapped_column(
        default=POLICY_DEFAULTS["validation_response_pct"])
    validation_endorse_num: Mapped[int] = mapped_column(
        default=POLICY_DEFAULTS["validation_endorse_num"])
    validation_endorse_den: Mapped[int] = mapped_column(
        default=POLICY_DEFAULTS["validation_endorse_den"])
    # No round opens on a version while one of its comments has no disposition.
    require_dispositions: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    # Translations (issue 18): the content languages whose edition must be complete before a
    # round opens (comma-separated), whether that check is on, and whether a version circulates
    # only when every content language's edition is complete.
    required_languages: Mapped[str] = mapped_column(String(40), default="", server_default="")
    validate_complete_only: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    circulate_complete_only: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # The public site (issue 20): on while the coordinator keeps the latest release published;
    # unpublishing hides /p/<slug>/ and keeps every release on record.
    site_published: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    memberships: WriteOnlyMapped["Membership"] = relationship(
        back_populates="assessment", cascade="all, delete-orphan")

    def today(self) -> date:
        """The current date where the assessment takes place."""
        return datetime.now(ZoneInfo(self.timezone)).date()

    @property
    def language_list(self) -> list[str]:
        return codes(self.languages)

    @property
    def required_language_list(self) -> list[str]:
        """The content languages whose translation must be complete before validation."""
        return codes(self.required_languages)

    def __repr__(self) -> str:
        return f"<Assessment {self.slug}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("assessment_id", "user_id", name="uq_memberships_person"),
        CheckConstraint("term_end IS NULL OR term_start IS NULL OR term_end >= term_start",
                        name="term_order"),
        CheckConstraint("role = 'board_member' OR board_status IS NULL", name="status_board_only"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None while an invitation to a person without an account waits for its own link: a pending
    # membership gives no access (see auth.services.accept_invitation).
    # Set explicitly where a membership is made (a default would also fill an explicit None).
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Board members only (DESIGN section 2).
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder_groups.id", ondelete="RESTRICT"), index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    board_status: Mapped[BoardStatus | None] = mapped_column(str_enum(BoardStatus, "board_status"))
    nominated_on: Mapped[date | None]
    appointed_on: Mapped[date | None]
    stepped_down_on: Mapped[date | None]
    coi_declaration: Mapped[str] = mapped_column(Text, default="")
    coi_declared_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")   # seen by the coordinator only

    group: Mapped["StakeholderGroup | None"] = relationship()

    @property
    def is_active_board_member(self) -> bool:
        return self.role == Role.BOARD_MEMBER and self.board_status == BoardStatus.ACTIVE

    @property
    def in_research_team(self) -> bool:
        return in_research_team(self.role)

    assessment: Mapped[Assessment] = relationship(back_populates="memberships")
    user: Mapped["User"] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return f"<Membership {self.user_id}@{self.assessment_id} {self.role}>"

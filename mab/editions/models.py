"""A translated edition of a draft version, aligned with its source paragraph by paragraph.

The source edition is the version itself (``DraftVersion.body`` and ``blocks``, written in the
draft's source language); an ``Edition`` row is one translation of it. Its ``blocks`` carry the
source's stable paragraph ids: ``[{"id": "p3", "text": "...", "source_hash": "...",
"basis": "the source paragraph's text it was made from"}]``. A paragraph absent from ``blocks``
is not translated yet.
"""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mab.editions import rules
from mab.extensions import db
from mab.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from mab.auth.models import User
    from mab.drafts.models import DraftVersion


class Edition(db.Model):
    __tablename__ = "editions"
    __table_args__ = (UniqueConstraint("version_id", "language", name="uq_editions_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    blocks: Mapped[list] = mapped_column(JSON, default=list)
    # rules.source_index(blocks), kept in step by ``_index`` whenever blocks are set: list pages
    # count statuses from it without reading the translations' text.
    source_index: Mapped[dict] = mapped_column(JSON, default=dict)
    # False: a human translation with no machine translation in it (what members are shown).
    machine_assisted: Mapped[bool] = mapped_column(default=False)
    # Optimistic lock, as for versions: two translators saving at once cannot both win.
    revision: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a validation round opens on the version: the edition as signed.
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))

    version: Mapped["DraftVersion"] = relationship(back_populates="editions")
    updated_by: Mapped["User | None"] = relationship()

    __mapper_args__ = {"version_id_col": revision}

    @validates("blocks")
    def _index(self, _key, blocks):
        self.source_index = rules.source_index(blocks or [])
        return blocks

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

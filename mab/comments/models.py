"""Comments on circulated versions, their replies, edits, dispositions and notifications."""
import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from flask_babel import lazy_gettext as _l

from mab import markdown
from mab.extensions import db
from mab.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from mab.assessments.models import Assessment, Membership
    from mab.auth.models import User
    from mab.drafts.models import Draft, DraftVersion

MAX_BODY = 10_000
MAX_QUOTE = 1_000


class Disposition(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    NOT_ACCEPTED = "not_accepted"
    NOTED = "noted"


DISPOSITION_LABELS = {
    "accepted": _l("Accepted"), "partly_accepted": _l("Partly accepted"),
    "not_accepted": _l("Not accepted"), "noted": _l("Noted"),
}


class Comment(db.Model):
    """A top-level comment (``parent_id`` empty) or a reply in its thread.

    A comment belongs to the version it was made on; later versions show it at its paragraph
    (``block_id``, the stable id of DraftVersion.blocks) for as long as that paragraph exists.
    """

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(f"length(body) <= {MAX_BODY}", name="body_length"),
        CheckConstraint(f"length(quote) <= {MAX_QUOTE}", name="quote_length"),
        CheckConstraint("parent_id IS NULL OR disposition IS NULL", name="replies_not_disposed"),
        Index("ix_comments_assessment_created", "assessment_id", "created_at"),
        # Participation counts each member's comments that stand (not withdrawn).
        Index("ix_comments_author_withdrawn", "author_id", "withdrawn_at"),
        # An assessment's comments by author (participation, balance): one assessment's rows only.
        Index("ix_comments_assessment_author", "assessment_id", "author_id"),
        # An assessment's top-level comments (the matrix, its exports and counts), read in the
        # order they were stored: the table's pages one after another, not one page per row.
        Index("ix_comments_assessment_parent", "assessment_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id", ondelete="CASCADE"),
                                            index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                                  index=True)
    block_id: Mapped[str | None] = mapped_column(String(20))
    # The paragraph's 1-based position in the version commented on (fixed: it is frozen).
    paragraph: Mapped[int | None]
    quote: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    # ``body`` rendered by mab.markdown when saved (sanitised HTML); empty: not rendered yet
    # (``flask mab rerender-markdown`` fills it; pages render the Markdown meanwhile).
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The language the comment was written in (the edition its author was reading), and the
    # research team's translation of it, if any (issue 18).
    language: Mapped[str | None] = mapped_column(String(5))
    translation: Mapped[str] = mapped_column(Text, default="", server_default="")
    translation_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    translation_language: Mapped[str | None] = mapped_column(String(5))
    translated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    disposition: Mapped[Disposition | None] = mapped_column(str_enum(Disposition, "disposition"))
    response: Mapped[str] = mapped_column(Text, default="")
    response_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    addressed_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="SET NULL"))
    disposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The commenter's view of the response: True satisfactory, False not, None not said.
    satisfied: Mapped[bool | None] = mapped_column()
    satisfied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assessment: Mapped["Assessment"] = relationship(viewonly=True)
    author: Mapped["Membership | None"] = relationship(foreign_keys=[author_id])
    disposed_by: Mapped["Membership | None"] = relationship(foreign_keys=[disposed_by_id])
    version: Mapped["DraftVersion"] = relationship(foreign_keys=[version_id])
    addressed_in: Mapped["DraftVersion | None"] = relationship(foreign_keys=[addressed_in_id])
    draft: Mapped["Draft"] = relationship()
    parent: Mapped["Comment | None"] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list["Comment"]] = relationship(
        back_populates="parent", order_by="Comment.created_at", cascade="all, delete-orphan")
    revisions: Mapped[list["CommentRevision"]] = relationship(
        back_populates="comment", order_by="CommentRevision.id", cascade="all, delete-orphan")

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    # What pages show: the HTML stored when the text was saved (mab.comments.services).
    @property
    def body_shown(self):
        return markdown.stored_or_rendered(self.body_html, self.body)

    @property
    def response_shown(self):
        return markdown.stored_or_rendered(self.response_html, self.response)

    @property
    def translation_shown(self):
        return markdown.stored_or_rendered(self.translation_html, self.translation) \
            if self.translation else ""

    @property
    def excerpt(self) -> str:
        return markdown.excerpt(self.body_shown)

    def render(self) -> None:
        """Keep the Markdown of the body, the response and the translation rendered
        (sanitised) with them."""
        self.body_html = str(markdown.render_markdown(self.body))
        self.response_html = str(markdown.render_markdown(self.response)) if self.response \
            else ""
        self.translation_html = str(markdown.render_markdown(self.translation)) \
            if self.translation else ""


class CommentRevision(db.Model):
    """The text a comment had before an edit: the record keeps every wording."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                            index=True)
    body: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text, default="")
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="revisions")


class NoticeReason(enum.StrEnum):
    NEW_COMMENT = "new_comment"    # to the draft's owner
    REPLY = "reply"                # to the others in the thread
    RESPONSE = "response"          # the commenter: a disposition was given


class CommentNotice(db.Model):
    """Someone should hear of a comment: emailed at once, or in the next daily digest."""

    __tablename__ = "comment_notices"
    __table_args__ = (Index("ix_comment_notices_pending", "sent_at", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"),
                                            index=True)
    reason: Mapped[NoticeReason] = mapped_column(str_enum(NoticeReason, "notice_reason"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()
    comment: Mapped[Comment] = relationship()

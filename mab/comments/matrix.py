"""The comment-resolution matrix: one row per top-level comment, as the report annex prints it.

Pure: built from loaded comments, so the page, the CSV and the annex say exactly the same.
"""
from dataclasses import dataclass
from datetime import datetime

from mab.assessments.rules import in_research_team, speaks_for
from mab.i18n import LANGUAGE_NAMES, display_name

@dataclass(slots=True)   # not frozen: a frozen init costs a call per field, 16,000 rows a CSV
class Row:
    comment_id: int
    draft_id: int
    draft_title: str
    version: int
    paragraph: int | None         # 1-based position in the version commented on; None: general
    block_id: str | None
    quote: str
    comment: str                  # Markdown source; empty when withdrawn
    withdrawn: bool
    group: str | None             # commenter's stakeholder group (None: research team or none)
    commenter_role: str
    date: datetime
    disposition: str | None
    response: str
    addressed_in: int | None
    satisfied: bool | None
    replies: int
    comment_html: str | None = None   # the print view's: the comment and response as HTML
    response_html: str | None = None
    # Issue 18: the language the comment was written in (a code; the source's when it was
    # stored without one), and the research team's translation of it, if any.
    language: str = ""
    translation: str = ""             # Markdown source; empty: none (or withdrawn)
    translation_language: str | None = None
    translation_html: str | None = None

    @property
    def by_research_team(self) -> bool:
        return in_research_team(self.commenter_role)

    @property
    def open(self) -> bool:
        return self.disposition is None and not self.withdrawn


def rows_of(results, *, main_language: str | None = None) -> list[Row]:
    """Rows from ``(comment, reply count)`` pairs."""
    return [row_of(comment, replies=replies, main_language=main_language)
            for comment, replies in results]


def row_of(comment, *, replies: int = 0, main_language: str | None = None) -> Row:
    """A matrix row of a loaded comment; ``main_language``: its assessment's first language
    (the language of a comment stored without one on a draft that names none), else read from
    the comment's assessment."""
    author = comment.author
    group = display_name(author.group) if author is not None and author.group is not None \
        else None
    withdrawn = comment.withdrawn
    language = comment.language or comment.draft.source_language or \
        main_language or comment.assessment.language_list[0]
    translated = comment.translation if not withdrawn else ""
    return Row(
        comment_id=comment.id, draft_id=comment.draft_id, draft_title=comment.draft.title,
        version=comment.version.number,
        paragraph=comment.paragraph,
        block_id=comment.block_id, quote=comment.quote or "",
        comment="" if comment.withdrawn else comment.body, withdrawn=comment.withdrawn,
        group=group, commenter_role=str(author.role) if author is not None else "",
        date=comment.created_at,
        disposition=str(comment.disposition) if comment.disposition else None,
        response=comment.response or "",
        addressed_in=comment.addressed_in.number if comment.addressed_in is not None else None,
        satisfied=comment.satisfied, replies=replies, language=language,
        translation=translated,
        translation_language=comment.translation_language if translated else None,
        translation_html=comment.translation_shown if translated else None)


CSV_HEADER = ["draft", "version", "paragraph", "quote", "comment", "language", "translation",
              "translation_language", "stakeholder_group", "date", "disposition", "response",
              "addressed_in_version", "commenter_satisfied", "replies", "withdrawn", "link"]


def csv_cells(row: Row, *, team_label: str, link: str) -> list:
    """One CSV line of the matrix (the comments.csv download and the annex ZIP); languages by
    their names (a dict lookup a row)."""
    return [row.draft_title, row.version, row.paragraph, row.quote, row.comment,
            LANGUAGE_NAMES.get(row.language, row.language), row.translation,
            LANGUAGE_NAMES.get(row.translation_language, "") if row.translation_language else "",
            speaks_for(row.group, row.commenter_role, team_label=team_label) or "",
            row.date.date().isoformat(), row.disposition or "", row.response, row.addressed_in,
            "" if row.satisfied is None else ("yes" if row.satisfied else "no"), row.replies,
            "yes" if row.withdrawn else "", link]

"""Rules of commenting: plain functions over plain values, no app needed.

Who may still comment, reply, edit or withdraw (each answers with a problem code, or None when
allowed), whether a quote is in its paragraph, and where earlier comments stand on a later
version (carried over at their paragraph, marked when it changed, listed when it was removed).
"""
import html
import re
from dataclasses import dataclass, field
from datetime import date

from mab.drafts.diff import Segment, word_diff
from mab.drafts.rules import IN_VALIDATION, NOT_VALIDATED, VALIDATED

NOT_CIRCULATED, CLOSED, WITHDRAWN, NOT_AUTHOR = "not_circulated", "closed", "withdrawn", "not_author"
HAS_REPLIES, DISPOSED, NOT_DISPOSED = "has_replies", "disposed", "not_disposed"
# A validation round on the version: its state (drafts.rules codes) is also the problem's code.
# ``validation`` below is one of them, or None when the version has no round.
VALIDATION_PROBLEMS = (IN_VALIDATION, VALIDATED, NOT_VALIDATED)


def round_state(has_round: bool, round_open: bool, passed: bool | None) -> str | None:
    """A version's validation state: in validation, validated, not validated, or None."""
    if not has_round:
        return None
    if round_open:
        return IN_VALIDATION
    return VALIDATED if passed else NOT_VALIDATED


def thread_validation(states: list[str | None]) -> str | None:
    """The validation state that closes a thread, from the states of the circulated versions it
    stands on, oldest first (the version it was made on, then each later one it is carried to).

    The newest one's round decides, whatever its outcome (its consultation ended when the round
    opened); an earlier version's round that is open or validated also keeps the thread as the
    board saw it. A round that did not validate an earlier version does not: the researchers
    revise, and the threads go on in the next version's consultation.
    """
    if not states:
        return None
    if states[-1] is not None:
        return states[-1]
    return next((s for s in states if s in (IN_VALIDATION, VALIDATED)), None)


def period_over(deadline: date | None, today: date) -> bool:
    """Comments are open to the end of the deadline day, in the assessment's timezone."""
    return deadline is not None and today > deadline


def comment_problem(*, circulated: bool, deadline: date | None, today: date,
                    validation: str | None = None) -> str | None:
    """May a new top-level comment be made on this version? Not once a round opened on it."""
    if not circulated:
        return NOT_CIRCULATED
    if validation is not None:
        return validation
    if period_over(deadline, today):
        return CLOSED
    return None


def reply_problem(*, deadline: date | None, today: date, by_team: bool,
                  team_in_thread: bool, root_withdrawn: bool,
                  validation: str | None = None) -> str | None:
    """May someone reply in a thread?

    The research team may always reply, also during and after validation (so that every comment
    gets its answer). After the deadline, others may still answer in a thread where the team has
    written: the researchers' questions stay open; but not once the thread's version is in
    validation or was validated (``validation``, from :func:`thread_validation`).
    """
    if root_withdrawn:
        return WITHDRAWN
    if by_team:
        return None
    if validation is not None:
        return validation
    if not period_over(deadline, today) or team_in_thread:
        return None
    return CLOSED


def edit_problem(*, is_author: bool, withdrawn: bool, has_replies: bool, disposed: bool,
                 deadline: date | None, today: date, validation: str | None = None) -> str | None:
    """Authors edit until there is a reply or a disposition, the deadline passes, or a
    validation round opens on the thread's version."""
    if not is_author:
        return NOT_AUTHOR
    if validation is not None and not withdrawn:
        return validation
    if withdrawn:
        return WITHDRAWN
    if disposed:
        return DISPOSED
    if has_replies:
        return HAS_REPLIES
    if period_over(deadline, today):
        return CLOSED
    return None


def withdraw_problem(*, is_author: bool, withdrawn: bool, disposed: bool,
                     validation: str | None = None) -> str | None:
    """Authors may withdraw until the comment has a response, or until a validation round
    opens on the thread's version; a placeholder stays."""
    if not is_author:
        return NOT_AUTHOR
    if validation is not None and not withdrawn:
        return validation
    if withdrawn:
        return WITHDRAWN
    if disposed:
        return DISPOSED
    return None


def verdict_problem(*, is_author: bool, disposed: bool) -> str | None:
    if not is_author:
        return NOT_AUTHOR
    if not disposed:
        return NOT_DISPOSED
    return None


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)?[^>]*>")
_SPACE = re.compile(r"\s+")
# Tags that break the line; inline ones (em, strong, a, code, ...) add no space of their own, so
# a passage selected across them ("**growing**, fast" reads "growing, fast") is found.
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
               "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
               "hr", "li", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
               "thead", "tr", "ul"}


def _tag_space(match: re.Match) -> str:
    return " " if (match.group(2) or "").lower() in _BLOCK_TAGS else ""


def plain_text(rendered_html: str) -> str:
    """What a reader sees of a rendered paragraph: tags dropped, entities decoded, spaces folded."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(_tag_space, rendered_html))).strip()


def normalise_quote(quote: str) -> str:
    return _SPACE.sub(" ", quote or "").strip()


# A source's citation as a reader sees it ("[2]", "[?]") or as it is written ("[@src-12]"): a
# quote that crosses one is compared without them (issue 19).
_CITATION = re.compile(r"\s*\[(?:[0-9]+|\?|@src-[0-9]+)\]")


def quote_in(quote: str, paragraph_plain: str, paragraph_source: str = "") -> bool:
    """A quote must be a passage of its paragraph, as shown or as written (spaces folded),
    citations of sources aside."""
    quote = normalise_quote(quote)
    if not quote:
        return True
    source = normalise_quote(paragraph_source)
    if quote in paragraph_plain or quote in source:
        return True
    bare = _CITATION.sub("", quote).strip()
    return bool(bare) and (bare in _CITATION.sub("", paragraph_plain)
                           or bare in _CITATION.sub("", source))


@dataclass(frozen=True)
class Placed:
    """A top-level comment as it stands on the version being read."""
    comment: object
    changed: bool = False                 # its paragraph's text differs from when it was made
    segments: tuple[Segment, ...] = ()    # that paragraph's word diff, then -> now


@dataclass
class Placement:
    by_block: dict[str, list[Placed]] = field(default_factory=dict)
    general: list[Placed] = field(default_factory=list)
    removed: list[Placed] = field(default_factory=list)

    def __len__(self) -> int:
        return (sum(len(v) for v in self.by_block.values()) + len(self.general)
                + len(self.removed))


def place(comments, blocks_of_version: dict[int, list[dict]], target_blocks: list[dict]) -> Placement:
    """Where each top-level comment stands on the target version.

    ``comments`` have ``version_id`` and ``block_id``; ``blocks_of_version`` maps a version id
    to its blocks (``[{"id", "text"}]``). A comment whose paragraph is still there appears at
    it, marked changed (with the diff) if the text differs; a comment whose paragraph is gone
    goes to ``removed``; a comment without a paragraph is general. None is ever dropped.
    """
    now = {b["id"]: b["text"] for b in target_blocks}
    placement = Placement()
    texts: dict[int, dict[str, str]] = {}
    # Comments on the same paragraph of the same version share its diff: a word diff costs
    # milliseconds, and a busy paragraph has dozens of comments.
    diffs: dict[tuple[int, str], tuple[Segment, ...]] = {}
    for comment in comments:
        if not comment.block_id:
            placement.general.append(Placed(comment))
            continue
        then = texts.setdefault(comment.version_id, {
            b["id"]: b["text"] for b in blocks_of_version.get(comment.version_id, [])})
        before = then.get(comment.block_id)
        if comment.block_id not in now:
            # Keep what the paragraph said, so the comment still reads sensibly.
            placement.removed.append(Placed(comment, True, (Segment("delete", before),)
                                            if before is not None else ()))
            continue
        if before is None or before == now[comment.block_id]:
            placed = Placed(comment)
        else:
            key = (comment.version_id, comment.block_id)
            if key not in diffs:
                diffs[key] = word_diff(before, now[comment.block_id])
            placed = Placed(comment, True, diffs[key])
        placement.by_block.setdefault(comment.block_id, []).append(placed)
    return placement


def paragraph_numbers(blocks: list[dict]) -> dict[str, int]:
    """Block id -> its 1-based position, as readers count paragraphs."""
    return {b["id"]: n for n, b in enumerate(blocks, start=1)}


# Languages (issue 18): a comment is written on one edition of a version, and shown on all.

def comment_language(posted: str | None, content_languages: list[str], source: str) -> str:
    """The language a new comment is stored in: the edition its author was reading, if that
    is one of the assessment's content languages; else the draft's source language."""
    return posted if posted in content_languages else source


def written_in(language: str | None, draft_source: str | None, main: str) -> str:
    """The language a comment was written in: a comment stored without one (made before
    editions) counts as written in its draft's source language (the assessment's main language
    when the draft names none)."""
    return language or draft_source or main


def translation_languages(content_languages: list[str], written: str) -> list[str]:
    """The languages a comment may be translated into: the content languages but its own."""
    return [code for code in content_languages if code != written]

"""Reads for comments: a version's threads, the matrix and participation, each in a fixed
number of queries whatever the number of comments."""
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.assessments.queries import with_person
from mab.auth.models import User
from mab.board.models import StakeholderGroup
from mab.comments import matrix as matrix_rules
from mab.comments import rules, services
from mab.comments.forms import DISPOSITION_LABELS, DeadlineForm
from mab.comments.models import Comment, CommentRevision, Disposition
from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
from mab.editions import queries as edition_queries
from mab.csvio import iter_csv
from mab.extensions import db
from mab.framework.models import FrameworkItem
from mab.i18n import LANGUAGE_NAMES, RESEARCH_TEAM_LABEL, display_name
from mab.links import absolute_url
from mab.markdown import mark_passage, render_paragraph, stored_or_rendered
from mab.permissions import Action, can


def threads(draft: Draft, up_to: DraftVersion) -> list[Comment]:
    """Top-level comments on the draft's versions up to ``up_to``, with replies and edit history.

    Three queries: the comments, their authors, their revisions; replies, parents and versions
    are wired up from what is loaded (the draft's versions are already in the session).
    """
    numbers = {v.id: v.number for v in draft.versions}
    version_ids = [vid for vid, n in numbers.items() if n <= up_to.number]
    rows = db.session.scalars(
        select(Comment).where(Comment.draft_id == draft.id, Comment.version_id.in_(version_ids))
        .options(selectinload(Comment.author).options(*with_person()))
        .order_by(Comment.created_at, Comment.id)).all()
    revisions: dict[int, list] = {}
    for revision in db.session.scalars(
            select(CommentRevision).join(CommentRevision.comment)
            .where(Comment.draft_id == draft.id).order_by(CommentRevision.id)):
        revisions.setdefault(revision.comment_id, []).append(revision)
    by_id = {c.id: c for c in rows}
    replies: dict[int, list[Comment]] = {c.id: [] for c in rows}
    for comment in rows:
        set_committed_value(comment, "revisions", revisions.get(comment.id, []))
        if comment.parent_id is not None and comment.parent_id in by_id:
            replies[comment.parent_id].append(comment)
            set_committed_value(comment, "parent", by_id[comment.parent_id])
        elif comment.parent_id is None:
            set_committed_value(comment, "parent", None)
    for comment in rows:
        set_committed_value(comment, "replies", replies[comment.id])
    return [c for c in rows if c.parent_id is None]


@dataclass(frozen=True)
class MatrixFilters:
    draft_id: int | None = None
    group_id: int | None = None
    disposition: str = ""          # a Disposition, "open" (none yet) or "" (any)
    language: str = ""             # written in this language (a content language), or "" (any)
    main_language: str = ""        # the assessment's first: of comments stored without one

    def as_args(self) -> dict:
        return {k: v for k, v in (("draft", self.draft_id), ("group", self.group_id),
                                  ("disposition", self.disposition),
                                  ("language", self.language)) if v}


def _replies_count():
    reply = Comment.__table__.alias("reply")
    return (select(func.count(reply.c.id)).where(reply.c.parent_id == Comment.id)
            .correlate(Comment.__table__).scalar_subquery())


def matrix(assessment: Assessment, filters: MatrixFilters) -> Select:
    """Top-level comments with everything a matrix row shows, in one query (rows, replies).

    Only what a row shows is loaded (the author's role and group, the draft's title, the version
    numbers); nothing else of drafts, versions or memberships.
    """
    query = (select(Comment, _replies_count().label("replies"))
             .where(Comment.assessment_id == assessment.id, Comment.parent_id.is_(None))
             .join(Comment.draft).join(Comment.version)
             .options(joinedload(Comment.author).options(
                          load_only(Membership.role, Membership.group_id),
                          joinedload(Membership.group).load_only(StakeholderGroup.name,
                                                                StakeholderGroup.names)),
                      joinedload(Comment.draft).load_only(Draft.title, Draft.source_language),
                      joinedload(Comment.version).load_only(DraftVersion.number),
                      joinedload(Comment.addressed_in).load_only(DraftVersion.number))
             .order_by(*MATRIX_ORDER))
    return _filtered(query, filters)


# The matrix's order: by draft, version, paragraph (the whole draft first), then time.
MATRIX_ORDER = (Draft.title, Draft.id, DraftVersion.number, Comment.paragraph.nulls_first(),
                Comment.created_at, Comment.id)


def _filtered(query: Select, filters: MatrixFilters) -> Select:
    if filters.draft_id:
        query = query.where(Comment.draft_id == filters.draft_id)
    if filters.group_id:
        query = query.where(Comment.author.has(Membership.group_id == filters.group_id))
    if filters.disposition == "open":
        query = query.where(Comment.disposition.is_(None), Comment.withdrawn_at.is_(None))
    elif filters.disposition in set(Disposition):
        query = query.where(Comment.disposition == filters.disposition)
    if filters.language:
        # A comment stored without a language was written in its draft's source language.
        query = query.where(or_(
            Comment.language == filters.language,
            Comment.language.is_(None) & Comment.draft.has(
                func.coalesce(Draft.source_language, filters.main_language) == filters.language)))
    return query


def matrix_count(assessment: Assessment, filters: MatrixFilters) -> int:
    """How many rows the matrix has under ``filters`` (the print view's caption)."""
    return db.session.scalar(_filtered(
        select(func.count(Comment.id)).where(Comment.assessment_id == assessment.id,
                                             Comment.parent_id.is_(None)), filters))


STREAM_BATCH = 1000   # rows fetched at a time by matrix_rows


def matrix_rows(assessment: Assessment, filters: MatrixFilters, *,
                html: bool = False) -> Iterator[matrix_rules.Row]:
    """The matrix's rows one by one, as the database hands them over: one query of the columns a
    row shows (no ORM objects), fetched ``STREAM_BATCH`` at a time (a server-side cursor on
    PostgreSQL), so an export of any size starts at once and holds one batch in memory.
    ``html``: each row also carries its comment and response as HTML (kept when they were
    saved; rendered now for a row saved before that), for the print view."""
    author = aliased(Membership)
    addressed = aliased(DraftVersion)
    names = {grp.id: display_name(grp, assessment)   # in the reader's language
             for grp in db.session.scalars(select(StakeholderGroup).where(
                 StakeholderGroup.assessment_id == assessment.id))}
    columns = [Comment.id, Comment.draft_id, Draft.title, DraftVersion.number, Comment.paragraph,
               Comment.block_id, Comment.quote, Comment.body,
               Comment.withdrawn_at.is_not(None).label("withdrawn"),
               author.role, author.group_id, Comment.created_at, Comment.disposition,
               Comment.response, addressed.number, Comment.satisfied,
               _replies_count().label("replies"), Comment.language, Draft.source_language,
               Comment.translation, Comment.translation_language]
    if html:
        columns += [Comment.body_html, Comment.response_html, Comment.translation_html]
    query = _filtered(
        select(*columns)
        .join(Draft, Draft.id == Comment.draft_id)
        .join(DraftVersion, DraftVersion.id == Comment.version_id)
        .outerjoin(author, author.id == Comment.author_id)
        .outerjoin(addressed, addressed.id == Comment.addressed_in_id)
        .where(Comment.assessment_id == assessment.id, Comment.parent_id.is_(None))
        .order_by(*MATRIX_ORDER), filters)
    return _matrix_rows(query, names, html, assessment.language_list[0])


def _matrix_rows(query: Select, names: dict[int, str], html: bool,
                 main: str) -> Iterator[matrix_rules.Row]:
    """The rows of :func:`matrix_rows`'s query, which is built (with the group names) before
    the first row is asked for: the stream reads nothing of the view's objects."""
    # Core rows (columns only, no ORM entities), STREAM_BATCH at a time, through a connection
    # of the stream's own: a page streamed while it is sent may start reading rows in the view
    # and go on after the request's session has ended (mab.downloads.streamed), and on
    # PostgreSQL a server-side cursor lives only as long as the transaction that opened it.
    with db.engine.connect() as connection:
        yield from _rows(connection.execute(query, execution_options={"yield_per": STREAM_BATCH}),
                         names, html, main)


def _rows(rows, names: dict[int, str], html: bool, main: str) -> Iterator[matrix_rules.Row]:
    try:
        for row in rows:
            # Unpacked in the order of matrix_rows' columns: one step, where reading each column
            # by name costs a lookup (16,000 rows a CSV).
            (comment_id, draft_id, title, number, paragraph, block_id, quote, body, withdrawn,
             role, group_id, created_at, disposition, response, addressed_in, satisfied,
             replies, language, source_language, translation, translation_language,
             *rendered) = row
            withdrawn = bool(withdrawn)
            if withdrawn or not translation:
                translation, translation_language = "", None
            extra = {}
            if html:
                body_html, response_html, translation_html = rendered
                extra = {"comment_html": None if withdrawn else stored_or_rendered(body_html,
                                                                                   body),
                         "response_html": stored_or_rendered(response_html, response),
                         "translation_html": stored_or_rendered(translation_html, translation)
                         if translation else None}
            yield matrix_rules.Row(
                comment_id=comment_id, draft_id=draft_id, draft_title=title, version=number,
                paragraph=paragraph, block_id=block_id, quote=quote or "",
                comment="" if withdrawn else body, withdrawn=withdrawn,
                group=names.get(group_id) if group_id is not None else None,
                commenter_role=str(role) if role is not None else "",
                date=created_at,
                disposition=str(disposition) if disposition else None,
                response=response or "", addressed_in=addressed_in, satisfied=satisfied,
                replies=replies, language=language or source_language or main,
                translation=translation, translation_language=translation_language, **extra)
    finally:
        rows.close()   # a download broken mid-way closes its cursor too


def reply_counts(comment_ids: list[int]) -> dict[int, int]:
    """Comment id -> its number of replies, for a page of the matrix (one query)."""
    if not comment_ids:
        return {}
    return dict(db.session.execute(
        select(Comment.parent_id, func.count(Comment.id))
        .where(Comment.parent_id.in_(comment_ids)).group_by(Comment.parent_id)).all())


def drafts_with_comments(assessment: Assessment) -> list[tuple[int, str]]:
    return db.session.execute(
        select(Draft.id, Draft.title).where(
            Draft.assessment_id == assessment.id,
            exists(select(Comment.id).where(Comment.draft_id == Draft.id)))
        .order_by(Draft.title)).all()


def open_count(assessment: Assessment, draft: Draft | None = None) -> int:
    query = select(func.count(Comment.id)).where(
        Comment.assessment_id == assessment.id, Comment.parent_id.is_(None),
        Comment.disposition.is_(None), Comment.withdrawn_at.is_(None))
    if draft is not None:
        query = query.where(Comment.draft_id == draft.id)
    return db.session.scalar(query)


def without_disposition(version: DraftVersion) -> list[Comment]:
    """The top-level comments that stand on ``version`` with no disposition yet: those made on
    it and on earlier versions of its draft (carried over, shown on it), not withdrawn; oldest
    version first, then in the order of the text. Two queries (the comments, their authors)."""
    return db.session.scalars(
        select(Comment).join(Comment.version)
        .where(Comment.draft_id == version.draft_id, Comment.parent_id.is_(None),
               Comment.withdrawn_at.is_(None), Comment.disposition.is_(None),
               DraftVersion.number <= version.number)
        .options(selectinload(Comment.author).options(*with_person()))
        .order_by(DraftVersion.number, Comment.paragraph.nulls_first(), Comment.created_at,
                  Comment.id)).all()


def to_dispose(draft: Draft, *, only_open: bool) -> Select:
    query = (select(Comment).where(Comment.draft_id == draft.id, Comment.parent_id.is_(None),
                                   Comment.withdrawn_at.is_(None))
             .options(selectinload(Comment.author).options(*with_person()),
                      selectinload(Comment.addressed_in).options(
                 load_only(DraftVersion.number)))
             .order_by(Comment.created_at, Comment.id))
    if only_open:
        query = query.where(Comment.disposition.is_(None))
    return query


# Participation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Voice:
    """A board member and how many comments (and replies) they made."""
    membership_id: int
    name: str
    group_id: int | None
    gender: str | None
    comments: int


def board_voices_query(assessment: Assessment, draft_id: int | None = None) -> Select:
    """:func:`board_voices` as a query: the assessment's board members with their standing
    comments counted among the assessment's comments only (an index range of
    ix_comments_assessment_author, never a scan of other assessments' comments)."""
    counted = (select(Comment.author_id, func.count(Comment.id).label("comments"))
               .where(Comment.assessment_id == assessment.id, Comment.withdrawn_at.is_(None)))
    if draft_id:
        counted = counted.where(Comment.draft_id == draft_id)
    counted = counted.group_by(Comment.author_id).subquery("counted")
    return (select(Membership.id, User.name, User.email, Membership.group_id, User.gender,
                   Membership.board_status, func.coalesce(counted.c.comments, 0))
            .join(Membership.user).outerjoin(counted, counted.c.author_id == Membership.id)
            .where(Membership.assessment_id == assessment.id,
                   Membership.role == Role.BOARD_MEMBER)
            .order_by(User.name, User.email))


def board_voices(assessment: Assessment, draft_id: int | None = None) -> list[Voice]:
    """Every board member who is active or commented, with their comment count (one query)."""
    rows = db.session.execute(board_voices_query(assessment, draft_id)).all()
    return [Voice(r[0], r[1] or r[2], r[3], str(r[4]) if r[4] else None, r[6]) for r in rows
            if r[5] == BoardStatus.ACTIVE or r[6]]


def silent_indicators(assessment: Assessment) -> list[tuple[Draft, FrameworkItem]]:
    """Indicators whose drafts were circulated and had no comment from a board member."""
    board_comment = exists(select(Comment.id).join(Comment.author).where(
        Comment.draft_id == Draft.id, Membership.role == Role.BOARD_MEMBER,
        Comment.withdrawn_at.is_(None)))
    circulated = exists(select(Circulation.id).join(Circulation.version)
                        .where(DraftVersion.draft_id == Draft.id))
    return db.session.execute(
        select(Draft, FrameworkItem).join(FrameworkItem, FrameworkItem.id == Draft.item_id)
        .where(Draft.assessment_id == assessment.id, Draft.subject == Subject.INDICATOR,
               circulated, ~board_comment)
        .options(load_only(Draft.id, Draft.title), joinedload(Draft.item).load_only(
            FrameworkItem.code), joinedload(Draft.owner).load_only(Membership.id))
        .order_by(FrameworkItem.position, FrameworkItem.code)).all()


def matrix_csv(assessment: Assessment, filters: MatrixFilters) -> Iterator[bytes]:
    """The comment-resolution matrix as CSV, each row linking to its comment on BASE_URL: chunks
    of bytes, written as the rows come from the database (:func:`matrix_rows`)."""
    team, slug = str(RESEARCH_TEAM_LABEL), assessment.slug   # now: the rows come later
    pages: dict[tuple[int, int], str] = {}   # one link built per version, not per row

    def link(r) -> str:
        key = (r.draft_id, r.version)
        if key not in pages:   # on BASE_URL, never the request's Host header
            pages[key] = absolute_url("drafts.version", slug=slug,
                                      draft_id=r.draft_id, number=r.version)
        return f"{pages[key]}?comment={r.comment_id}#c{r.comment_id}"   # opened: quote marked
    return iter_csv(matrix_rules.CSV_HEADER, (matrix_rules.csv_cells(
        r, team_label=team, link=link(r)) for r in matrix_rows(assessment, filters)))


# The comments part of a version page -----------------------------------------------------

@dataclass
class Pending:
    """A comment form that failed: which one, with the user's input and the errors."""
    target: str          # "general", a block id, "reply-<id>", "dispose-<id>", "deadline"
    form: object
    errors: list = field(default_factory=list)


@dataclass(frozen=True)
class Focus:
    """The comment a reader opened (``?comment=<id>``) and its paragraph on this version: the
    passage it quotes marked in the paragraph's HTML (``html``), or None to mark the paragraph."""
    comment: Comment
    block_id: str | None
    html: object = None
    quote_missing: bool = False   # it quotes a passage no longer there as written


def focus_of(comment_id: int | None, roots: list[Comment], blocks: list[dict]) -> Focus | None:
    """The opened comment among those shown on the version (a reply opens its thread); any
    other id, from another draft or assessment, opens nothing."""
    if comment_id is None:
        return None
    root = next((c for c in roots if c.id == comment_id
                 or any(r.id == comment_id for r in c.replies)), None)
    if root is None:
        return None
    block = next((b for b in blocks if b["id"] == root.block_id), None)
    if block is None:
        return Focus(root, None)
    if not root.quote or root.withdrawn:
        return Focus(root, root.block_id)
    marked = mark_passage(render_paragraph(block["text"]), root.quote)
    return Focus(root, root.block_id, marked, quote_missing=marked is None)


def opened_comment() -> int | None:
    """``?comment=<id>`` of the request: the comment whose passage the page marks."""
    return request.args.get("comment", type=int) if has_request_context() else None


# Threads shown whole on a version page, in the order of the page (the first screen or so);
# the others show their first line and open on demand (the page stays light at 500 comments).
FULL_THREADS = 12


def full_threads(placement, blocks: list[dict], *, opened: list[int | None]) -> set[int]:
    """The ids of the threads shown whole: the first FULL_THREADS in the page's order (by
    paragraph as the text runs), and those ``opened`` (the one a link opened, the one whose form
    came back refused)."""
    order = [p for b in blocks for p in placement.by_block.get(b["id"], [])]
    order += [*placement.general, *placement.removed]
    return {p.comment.id for p in order[:FULL_THREADS]} | {i for i in opened if i is not None}


def placed_of(placement, comment_id: int):
    """The placed top-level comment ``comment_id`` on the version, or None."""
    return next((p for p in (*(x for xs in placement.by_block.values() for x in xs),
                             *placement.general, *placement.removed)
                 if p.comment.id == comment_id), None)


def _target_thread(target: str | None) -> int | None:
    """The comment a form target names ("reply-12", "dispose-12"), else None."""
    kind, _, number = (target or "").partition("-")
    return int(number) if kind in ("reply", "dispose") and number.isdigit() else None


def reading_language(assessment, draft: Draft, language: str | None = None) -> str:
    """The edition a comment form on the page is posted from: ``language`` (the edition the
    page shows) or the request's ``?edition=``, if a content language; else the source."""
    languages = assessment.language_list
    if language in languages:
        return language
    asked = request.args.get("edition") if has_request_context() else None
    return asked if asked in languages else edition_queries.source_language(draft, assessment)


def language_labels(assessment) -> dict:
    """What a thread says of languages, translated once per page: "Written in Қазақша" and
    "Translation (Қазақша)" for each content language (and any other a comment names)."""
    names = dict(LANGUAGE_NAMES)
    return {
        "written": {code: _("Written in %(language)s", language=name)
                    for code, name in names.items()},
        "translation": {code: _("Translation (%(language)s)", language=name)
                        for code, name in names.items()},
    }


def version_context(assessment, membership, draft: Draft, version: DraftVersion,
                    pending: Pending | None = None, here: str | None = None,
                    language: str | None = None) -> dict:
    """What show.html needs to show and take comments on ``version`` (a fixed number of queries).

    The response and reply forms are on the page once each (``shared_forms``), moved by a script
    into the thread being answered; ``here`` ("dispose-<id>", "reply-<id>"), or the target of a
    ``pending`` form that failed, is a form rendered in its thread on the server.

    ``language``: the edition the page shows, which the comment and reply forms post as the
    language they are written in (issue 18); comments show on every edition at their paragraph."""
    today = assessment.today()
    roots = threads(draft, version)
    placement = rules.place(roots, {v.id: v.blocks or [] for v in draft.versions},
                            version.blocks or [])
    role = membership.role
    may_comment = can(role, Action.COMMENT)
    states = services.validation_states(draft)
    comment_problem = rules.comment_problem(
        circulated=version.circulation is not None, deadline=services.deadline_of(version),
        today=today, validation=states.get(version.id)) if may_comment else None
    team = services.is_team(membership)

    def may_reply(root: Comment) -> bool:
        return may_comment and rules.reply_problem(
            deadline=services.thread_deadline(root), today=today, by_team=team,
            team_in_thread=any(services.is_team(r.author) for r in root.replies),
            root_withdrawn=root.withdrawn,
            validation=services.thread_state(root, states)) is None

    def may_edit(comment: Comment) -> bool:
        return comment.author_id == membership.id and \
            services.edit_problem(comment, membership, today, states) is None

    def may_withdraw(comment: Comment) -> bool:
        return comment.author_id == membership.id and \
            services.withdraw_problem(comment, membership, states) is None

    roots_placed = [p.comment for p in (*placement.general, *placement.removed,
                                        *(x for xs in placement.by_block.values() for x in xs))]
    focus = focus_of(opened_comment(), roots_placed, version.blocks or [])
    if pending is not None and here is None:
        here = pending.target
    may_dispose = can(role, Action.DISPOSE_COMMENTS)
    multilingual = len(assessment.language_list) > 1
    may_extend = can(role, Action.EXTEND_DEADLINE) and version.circulation is not None
    shown_forms = {"deadline"} if may_extend else set()
    if may_comment and comment_problem is None:
        shown_forms |= {"general"} | {b["id"] for b in version.blocks or []}
    for root in roots_placed:
        if may_reply(root):
            shown_forms.add(f"reply-{root.id}")
        if may_dispose and not root.withdrawn:
            shown_forms.add(f"dispose-{root.id}")
    return {
        "pending_elsewhere": pending is not None and pending.target not in shown_forms,
        "placement": placement, "comment_count": sum(1 + len(r.replies) for r in roots),
        "may_comment": may_comment and comment_problem is None,
        "comment_closed": may_comment and comment_problem == rules.CLOSED,
        # Why nobody outside the team may comment any more: the version's validation round.
        "comment_locked": services.PROBLEMS[states[version.id]]
        if states.get(version.id) in rules.VALIDATION_PROBLEMS else None,
        "may_reply": may_reply, "may_edit": may_edit, "may_withdraw": may_withdraw,
        "may_dispose": may_dispose, "may_extend": may_extend,
        "deadline_form": pending.form if pending and pending.target == "deadline"
        else DeadlineForm(formdata=None),
        "later_versions": lambda c: [v for v in draft.versions if v.number > c.version.number],
        "pending": pending, "open_comments": sum(
            1 for c in roots_placed if c.disposition is None and not c.withdrawn),
        # Translated once: a lazy label is translated again each time a form shows it.
        "disposition_labels": {k: str(v) for k, v in DISPOSITION_LABELS.items()},
        "membership": membership,
        "current_ids": {b["id"] for b in version.blocks or []},
        # The numbers in the margin: the same that comments record and the matrix shows.
        "paragraph_numbers": rules.paragraph_numbers(version.blocks or []),
        "focus": focus,
        "here": here,
        "shown_forms_here": shown_forms,
        "full_threads": full_threads(placement, version.blocks or [], opened=[
            focus.comment.id if focus else None, _target_thread(here)]),
        # The one response form and the one reply form the script moves into a thread.
        "shared_forms": {kind for kind in ("dispose", "reply")
                         if any(t.startswith(kind + "-") for t in shown_forms)},
        # Languages (issue 18): the edition the forms post from, the language of a comment
        # stored without one (the source's), and the marks shown when there are several.
        "comment_language": reading_language(assessment, draft, language),
        "comments_source": edition_queries.source_language(draft, assessment),
        "comments_multilingual": multilingual,
        "comment_language_labels": language_labels(assessment) if multilingual else {},
        "may_translate": may_dispose and multilingual,
    }

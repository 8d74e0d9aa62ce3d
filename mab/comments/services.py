"""Comment use cases: they change rows, audit and queue notices; the view commits."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from mab import i18n
from mab.assessments.models import Assessment, Membership
from mab.assessments.queries import with_person
from mab.assessments.rules import in_research_team
from mab.audit.services import record_event
from mab.auth.models import CommentEmails, User
from mab.comments import rules
from mab.comments.models import (
    MAX_BODY,
    MAX_QUOTE,
    Comment,
    CommentNotice,
    CommentRevision,
    Disposition,
    NoticeReason,
)
from mab.drafts.models import Circulation, DraftVersion
from mab.drafts.services import recipients
from mab.editions.queries import source_language
from mab.errors import DomainError
from mab.extensions import db
from mab.markdown import render_markdown
from mab.notify.services import external_url, queue_email
from mab.types import utcnow
from mab.validation.models import ValidationRound

PROBLEMS = {
    rules.NOT_CIRCULATED: _l("Comments open when the version is circulated."),
    rules.CLOSED: _l("The comment period ended; the coordinator may extend the deadline."),
    rules.WITHDRAWN: _l("This comment was withdrawn."),
    rules.NOT_AUTHOR: _l("Only the author may do this."),
    rules.HAS_REPLIES: _l("This comment has replies and can no longer be edited."),
    rules.DISPOSED: _l("This comment has a response and can no longer be changed."),
    rules.NOT_DISPOSED: _l("There is no response to this comment yet."),
    rules.IN_VALIDATION: _l("The board is validating this version: comments, replies, edits and "
                            "withdrawals are closed. The comments made before stay, with their "
                            "responses."),
    rules.VALIDATED: _l("The board has validated this version: comments, replies, edits and "
                        "withdrawals are closed. The comments made before stay, with their "
                        "responses."),
    rules.NOT_VALIDATED: _l("A validation round on this version has closed: its comments are "
                            "closed. Comment on the next version when it is circulated."),
}


def _refuse(problem: str | None, field: str | None = None) -> None:
    if problem is not None:
        raise DomainError(PROBLEMS[problem], field=field)


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Write your comment."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(_l("A comment can be at most %(n)d characters; this one has %(m)d.",
                             n=MAX_BODY, m=len(body)), field="body")
    return body


def deadline_of(version: DraftVersion) -> date | None:
    return version.circulation.deadline if version.circulation is not None else None


def thread_deadline(root: Comment) -> date | None:
    """Replies follow the latest open consultation: a thread carried to a later circulated
    version stays open until that version's deadline."""
    deadlines = [v.circulation.deadline for v in root.draft.versions
                 if v.circulation is not None and v.number >= root.version.number]
    return max(deadlines, default=None)


def validation_states(draft) -> dict[int, str | None]:
    """Version id -> its validation state (comments.rules.round_state), for every version of
    the draft (one query)."""
    ids = [v.id for v in draft.versions]
    rows = db.session.execute(select(
        ValidationRound.version_id, ValidationRound.closed_at, ValidationRound.passed)
        .where(ValidationRound.version_id.in_(ids))).all() if ids else []
    found = {r.version_id: rules.round_state(True, r.closed_at is None, r.passed) for r in rows}
    return {vid: found.get(vid) for vid in ids}


def thread_state(root: Comment, states: dict[int, str | None] | None = None) -> str | None:
    """The validation state that closes ``root``'s thread (comments.rules.thread_validation)."""
    states = validation_states(root.draft) if states is None else states
    versions = sorted((v for v in root.draft.versions
                       if v.circulation is not None and v.number >= root.version.number),
                      key=lambda v: v.number)
    return rules.thread_validation([states.get(v.id) for v in versions])


def is_team(membership: Membership | None) -> bool:
    return membership is not None and in_research_team(membership.role)


def comment_link(comment: Comment, assessment: Assessment) -> str:
    return external_url("drafts.version", slug=assessment.slug, draft_id=comment.draft_id,
                        number=comment.version.number, comment=comment.id,
                        _anchor=f"c{comment.id}")


def language_of(posted: str | None, draft, assessment: Assessment) -> str:
    """The language a new comment or reply is stored in: the edition its author was reading
    (the form's ``language``), if it is a content language, else the draft's source language."""
    return rules.comment_language(posted, assessment.language_list,
                                  source_language(draft, assessment))


def written_in(comment: Comment, assessment: Assessment) -> str:
    """The language ``comment`` was written in (the source's when it was stored without)."""
    return rules.written_in(comment.language, comment.draft.source_language,
                            assessment.language_list[0])


def add_comment(version: DraftVersion, assessment: Assessment, author: Membership, *, body: str,
                block_id: str | None = None, quote: str = "",
                language: str | None = None) -> Comment:
    _refuse(rules.comment_problem(circulated=version.circulation is not None,
                                  deadline=deadline_of(version), today=assessment.today(),
                                  validation=validation_states(version.draft).get(version.id)))
    body = _check_body(body)
    quote = rules.normalise_quote(quote)
    if block_id:
        block = next((b for b in version.blocks or [] if b["id"] == block_id), None)
        if block is None:
            raise DomainError(_l("That paragraph is not in version %(n)d; choose one on the page.",
                                 n=version.number), field="block_id")
        if len(quote) > MAX_QUOTE:
            raise DomainError(_l("A quote can be at most %(n)d characters.", n=MAX_QUOTE),
                              field="quote")
        if not rules.quote_in(quote, rules.plain_text(str(render_markdown(block["text"]))),
                              block["text"]):
            raise DomainError(_l("The quoted passage is not in this paragraph; copy it exactly "
                                 "or leave the quote empty."), field="quote")
        paragraph = rules.paragraph_numbers(version.blocks)[block_id]
    else:
        block_id, quote, paragraph = None, "", None
    language = language_of(language, version.draft, assessment)
    comment = Comment(assessment_id=assessment.id, draft_id=version.draft_id, version=version,
                      block_id=block_id, paragraph=paragraph, quote=quote, body=body,
                      author=author, language=language)
    comment.render()
    db.session.add(comment)
    db.session.flush()
    record_event("comment.added", comment, actor=author.user, assessment=assessment,
                 changes={"draft_id": version.draft_id, "version": version.number,
                          "block_id": block_id, "quote": quote, "body": body,
                          "language": language})
    owner = version.draft.owner
    if owner is not None:
        _notify([owner.user], comment, NoticeReason.NEW_COMMENT, assessment, actor=author)
    return comment


def reply(parent: Comment, assessment: Assessment, author: Membership, *, body: str,
          language: str | None = None) -> Comment:
    root = parent.parent if parent.parent is not None else parent
    team_in_thread = any(is_team(r.author) for r in root.replies)
    _refuse(rules.reply_problem(deadline=thread_deadline(root), today=assessment.today(),
                                by_team=is_team(author), team_in_thread=team_in_thread,
                                root_withdrawn=root.withdrawn, validation=thread_state(root)))
    body = _check_body(body)
    language = language_of(language, root.draft, assessment)
    comment = Comment(assessment_id=assessment.id, draft_id=root.draft_id,
                      version_id=root.version_id, parent=root, block_id=root.block_id,
                      paragraph=root.paragraph, quote="",
                      body=body, author=author, language=language)
    comment.render()
    db.session.add(comment)
    db.session.flush()
    record_event("comment.replied", comment, actor=author.user, assessment=assessment,
                 changes={"parent_id": root.id, "body": body, "language": language})
    thread = [root.author] + [r.author for r in root.replies] + [root.draft.owner]
    _notify([m.user for m in thread if m is not None], comment, NoticeReason.REPLY, assessment,
            actor=author)
    return comment


def edit_problem(comment: Comment, membership: Membership, today: date,
                 states: dict[int, str | None] | None = None) -> str | None:
    root = comment.parent or comment
    return rules.edit_problem(
        is_author=comment.author_id == membership.id, withdrawn=comment.withdrawn,
        has_replies=bool(comment.replies) if comment.parent_id is None else
        any(r.created_at > comment.created_at for r in root.replies),
        disposed=root.disposition is not None, deadline=deadline_of(root.version), today=today,
        validation=thread_state(root, states))


def withdraw_problem(comment: Comment, membership: Membership,
                     states: dict[int, str | None] | None = None) -> str | None:
    root = comment.parent or comment
    return rules.withdraw_problem(
        is_author=comment.author_id == membership.id, withdrawn=comment.withdrawn,
        disposed=root.disposition is not None, validation=thread_state(root, states))


def edit(comment: Comment, assessment: Assessment, author: Membership, *, body: str,
         quote: str | None = None) -> Comment:
    _refuse(edit_problem(comment, author, assessment.today()))
    body = _check_body(body)
    new_quote = comment.quote if quote is None or comment.block_id is None else \
        rules.normalise_quote(quote)
    if new_quote != comment.quote:
        block = next((b for b in comment.version.blocks or [] if b["id"] == comment.block_id), None)
        if len(new_quote) > MAX_QUOTE:
            raise DomainError(_l("A quote can be at most %(n)d characters.", n=MAX_QUOTE),
                              field="quote")
        if block is None or not rules.quote_in(
                new_quote, rules.plain_text(str(render_markdown(block["text"]))), block["text"]):
            raise DomainError(_l("The quoted passage is not in this paragraph; copy it exactly "
                                 "or leave the quote empty."), field="quote")
    if body == comment.body and new_quote == comment.quote:
        return comment
    db.session.add(CommentRevision(comment=comment, body=comment.body, quote=comment.quote,
                                   written_at=comment.edited_at or comment.created_at))
    changes = {"body": [comment.body, body]}
    if new_quote != comment.quote:
        changes["quote"] = [comment.quote, new_quote]
    comment.body, comment.quote, comment.edited_at = body, new_quote, utcnow()
    comment.render()
    record_event("comment.edited", comment, actor=author.user, assessment=assessment,
                 changes=changes)
    return comment


def withdraw(comment: Comment, assessment: Assessment, author: Membership) -> None:
    _refuse(withdraw_problem(comment, author))
    comment.withdrawn_at = utcnow()
    record_event("comment.withdrawn", comment, actor=author.user, assessment=assessment)


def check_addressed_in(comment: Comment, version: DraftVersion | None) -> None:
    if version is None:
        return
    if version.draft_id != comment.draft_id or version.number <= comment.version.number:
        raise DomainError(_l("Choose a later version of this draft, or none."),
                          field="addressed_in")


def dispose(comment: Comment, assessment: Assessment, researcher: Membership, *, disposition,
            response: str, addressed_in: DraftVersion | None) -> Comment:
    if comment.parent_id is not None:
        raise DomainError(_l("Replies are part of a thread; respond to the comment that opened it."))
    if comment.withdrawn:
        _refuse(rules.WITHDRAWN)
    try:
        disposition = Disposition(disposition)
    except ValueError:
        raise DomainError(_l("Choose how the comment was handled."), field="disposition") from None
    response = (response or "").strip()
    if not response:
        raise DomainError(_l("Write the response the commenter will read."), field="response")
    if len(response) > MAX_BODY:
        raise DomainError(_l("A response can be at most %(n)d characters.", n=MAX_BODY),
                          field="response")
    check_addressed_in(comment, addressed_in)
    before = {"disposition": comment.disposition, "response": comment.response,
              "addressed_in": comment.addressed_in.number if comment.addressed_in else None}
    after = {"disposition": disposition, "response": response,
             "addressed_in": addressed_in.number if addressed_in else None}
    if before == after:
        return comment
    first = comment.disposition is None
    comment.disposition, comment.response, comment.addressed_in = disposition, response, addressed_in
    comment.disposed_by, comment.disposed_at = researcher, utcnow()
    comment.render()
    if not first:
        comment.satisfied = comment.satisfied_at = None   # a new response asks for a new view
    record_event("comment.disposed", comment, actor=researcher.user, assessment=assessment,
                 changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    if comment.author is not None:
        _notify([comment.author.user], comment, NoticeReason.RESPONSE, assessment,
                actor=researcher)
    return comment


def translate(comment: Comment, assessment: Assessment, researcher: Membership, *, text: str,
              language: str | None) -> Comment:
    """The research team's translation of a comment (or a reply), kept beside the original
    and shown on demand, so that the matrix reads in one language. Adding one and changing it
    are audited; the original is never touched."""
    if comment.withdrawn:
        _refuse(rules.WITHDRAWN)
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the translation."), field="translation")
    if len(text) > MAX_BODY:
        raise DomainError(_l("A translation can be at most %(n)d characters; this one has "
                             "%(m)d.", n=MAX_BODY, m=len(text)), field="translation")
    written = written_in(comment, assessment)
    if language == written:
        raise DomainError(_l("The comment is written in %(language)s; choose another language "
                             "for its translation.",
                             language=i18n.LANGUAGE_NAMES.get(written, written)),
                          field="translation_language")
    if language not in rules.translation_languages(assessment.language_list, written):
        raise DomainError(_l("Choose one of the assessment's languages."),
                          field="translation_language")
    before = {"translation": comment.translation, "translation_language":
              comment.translation_language}
    after = {"translation": text, "translation_language": language}
    if before == after:
        return comment
    comment.translation, comment.translation_language = text, language
    comment.translation_html = str(render_markdown(text))
    comment.translated_by_id = researcher.user_id
    record_event("comment.translated", comment, actor=researcher.user, assessment=assessment,
                 changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return comment


class SomeRefused(DomainError):
    """Some of several changes made together were refused: ``problems`` maps each refused
    one (by id) to its message."""

    def __init__(self, problems: dict):
        super().__init__(next(iter(problems.values())))
        self.problems = problems


def dispose_each(changes, assessment: Assessment, researcher: Membership) -> list[Comment]:
    """Dispose of several comments at once, ``changes`` being (comment, disposition, response,
    addressed_in) tuples. All or nothing: when any is refused, :class:`SomeRefused` names every
    refusal, and the request boundary rolls back the others too."""
    problems = {}
    for comment, disposition, response, addressed_in in changes:
        try:
            dispose(comment, assessment, researcher, disposition=disposition, response=response,
                    addressed_in=addressed_in)
        except DomainError as error:
            problems[comment.id] = error.message
    if problems:
        raise SomeRefused(problems)
    return [change[0] for change in changes]


def set_verdict(comment: Comment, assessment: Assessment, author: Membership, *,
                satisfied: bool) -> None:
    _refuse(rules.verdict_problem(is_author=comment.author_id == author.id,
                                  disposed=comment.disposition is not None))
    comment.satisfied, comment.satisfied_at = satisfied, utcnow()
    record_event("comment.verdict", comment, actor=author.user, assessment=assessment,
                 changes={"satisfied": satisfied})


def extend_deadline(circulation: Circulation, assessment: Assessment, *, deadline: date,
                    actor) -> None:
    if deadline is None or deadline <= circulation.deadline:
        raise DomainError(_l("Give a date after the current deadline, %(date)s.",
                             date=i18n.date_filter(circulation.deadline)), field="deadline")
    if deadline < assessment.today():
        raise DomainError(_l("Give a comment deadline today or later."), field="deadline")
    if validation_states(circulation.version.draft).get(circulation.version_id) is not None:
        raise DomainError(_l("This version has a validation round: its comment period cannot "
                             "be extended. Circulate a new version to consult the board again."),
                          field="deadline")
    old = circulation.deadline
    if circulation.original_deadline is None:
        circulation.original_deadline = old
    circulation.deadline = deadline
    version = circulation.version
    record_event("draft.deadline_extended", version, actor=actor, assessment=assessment,
                 changes={"deadline": [old, deadline], "draft_id": version.draft_id,
                          "number": version.number})
    link = external_url("drafts.version", slug=assessment.slug, draft_id=version.draft_id,
                        number=version.number)
    for membership in recipients(assessment):
        queue_email(to=membership.user, template="deadline_extended", assessment=assessment,
                    subject=_l("More time to comment: %(title)s", title=version.draft.title),
                    draft=version.draft, version=version, deadline=deadline, link=link)


# Notices -------------------------------------------------------------------------------------

def _notify(users: list[User], comment: Comment, reason: NoticeReason, assessment: Assessment, *,
            actor: Membership) -> None:
    """One notice per person (never the actor): emailed now, or kept for the daily digest."""
    seen = {actor.user_id}
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        notice = CommentNotice(user=user, comment=comment, reason=reason)
        db.session.add(notice)
        if user.comment_emails == CommentEmails.IMMEDIATE:
            _send([notice], user, assessment)


def _subject(reason: NoticeReason, title: str):
    if reason == NoticeReason.NEW_COMMENT:
        return _l("New comment on %(title)s", title=title)
    if reason == NoticeReason.REPLY:
        return _l("New reply on %(title)s", title=title)
    return _l("Response to your comment on %(title)s", title=title)


def _send(notices: list[CommentNotice], user: User, assessment: Assessment) -> None:
    items = [{"notice": n, "comment": n.comment, "link": comment_link(n.comment, assessment)}
             for n in notices]
    if len(notices) == 1:
        subject = _subject(notices[0].reason, notices[0].comment.draft.title)
    else:
        subject = _l("%(n)d comments and replies in %(assessment)s", n=len(notices),
                     assessment=assessment.title)
    from mab.comments.forms import DISPOSITION_LABELS
    queue_email(to=user, template="comment_notices", assessment=assessment, subject=subject,
                items=items, disposition_label=lambda value: DISPOSITION_LABELS.get(value, ""), digest=len(notices) > 1 or user.comment_emails == CommentEmails.DAILY)
    now = utcnow()
    for notice in notices:
        notice.sent_at = now


def send_digests() -> int:
    """Queue one email per person and assessment with every notice not yet sent. Idempotent."""
    notices = db.session.scalars(
        select(CommentNotice).where(CommentNotice.sent_at.is_(None))
        .options(selectinload(CommentNotice.user),
                 selectinload(CommentNotice.comment).options(
                     selectinload(Comment.draft), selectinload(Comment.version),
                     selectinload(Comment.author).options(*with_person())))
        .order_by(CommentNotice.user_id, CommentNotice.id)).all()
    batches: dict[tuple[int, int], list[CommentNotice]] = {}
    for notice in notices:
        batches.setdefault((notice.user_id, notice.comment.assessment_id), []).append(notice)
    assessments = {a.id: a for a in db.session.scalars(select(Assessment).where(
        Assessment.id.in_({key[1] for key in batches})))}
    for (_user_id, assessment_id), batch in batches.items():
        _send(batch, batch[0].user, assessments[assessment_id])
    return len(batches)



# Stored HTML ---------------------------------------------------------------------------------

def rerender_batch(after_id: int, limit: int = 500, *,
                   only_empty: bool = False) -> tuple[int, int] | None:
    """Render again the Markdown of up to ``limit`` comments with an id above ``after_id`` (the
    renderer changed, or rows saved before the HTML was kept): (the last id done, how many
    changed), or None when there is none left. Loads only the columns it needs; the caller commits each batch."""
    query = (select(Comment.id, Comment.body, Comment.response, Comment.body_html,
                    Comment.response_html, Comment.translation, Comment.translation_html)
             .where(Comment.id > after_id).order_by(Comment.id).limit(limit))
    rows = db.session.execute(query).all()
    if not rows:
        return None
    changes = []
    for row in rows:
        if only_empty and row.body_html and (row.response_html or not row.response) \
                and (row.translation_html or not row.translation):
            continue
        body_html = str(render_markdown(row.body))
        response_html = str(render_markdown(row.response)) if row.response else ""
        translation_html = str(render_markdown(row.translation)) if row.translation else ""
        if (body_html, response_html, translation_html) != (
                row.body_html, row.response_html, row.translation_html):
            changes.append({"id": row.id, "body_html": body_html,
                            "response_html": response_html,
                            "translation_html": translation_html})
    if changes:
        db.session.execute(update(Comment), changes)
    return rows[-1].id, len(changes)

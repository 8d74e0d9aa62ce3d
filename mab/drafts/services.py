"""Draft use cases: they change rows, audit and queue mail; the request boundary commits."""
import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from mab.assessments.models import Assessment, BoardStatus, Membership, Role
from mab.assessments.queries import with_person
from mab.audit.services import record_event
from mab.boundary import bookkeeping, insert_if_absent, remove_on_rollback
from mab.drafts import rules
from mab.drafts.files import check_upload
from mab.drafts.models import (
    Attachment,
    Circulation,
    Draft,
    DraftVersion,
    Subject,
    VersionView,
)
from mab.drafts.paragraphs import assign_ids, split_blocks
from mab.editions import labels as edition_labels
from mab.editions import queries as edition_queries
from mab.editions import reading
from mab.editions import services as edition_services
from mab.errors import DomainError, StorageError
from mab.evidence.citations import check_references
from mab.extensions import db
from mab.loaders import in_assessment
from mab.framework.models import FrameworkItem, ItemKind
from mab.notify.services import external_url, queue_email
from mab.recommendations import details as recommendation_details
from mab.types import utcnow

SUBJECT_ITEM_KIND = {Subject.INDICATOR: ItemKind.INDICATOR, Subject.QUESTION: ItemKind.QUESTION,
                     Subject.THEME: ItemKind.THEME, Subject.CHAPTER: ItemKind.CATEGORY}


class EditConflict(DomainError):
    """Someone saved the working version since this editor loaded it."""

    def __init__(self, version: DraftVersion):
        super().__init__(_l("Someone else saved this version while you were editing. Your text is "
                            "below, with the differences from theirs; nothing was overwritten."))
        self.version = version


def _check_owner(assessment: Assessment, owner: Membership | None) -> None:
    if owner is not None and (not in_assessment(owner, assessment)
                              or owner.role not in (Role.RESEARCHER, Role.COORDINATOR)):
        raise DomainError(_l("The owner must be a researcher of this assessment."), field="owner_id")


def _check_item(assessment: Assessment, subject: Subject, item_id: int | None):
    kind = SUBJECT_ITEM_KIND.get(subject)
    if kind is None:
        return None
    item = db.session.get(FrameworkItem, item_id) if item_id else None
    if item is None or item.kind != kind or item.framework_id != assessment.framework_id:
        raise DomainError(_l("Choose what this draft is about from the assessment's framework."),
                          field="item_id")
    return item


def _next_block_number(draft: Draft, *, besides: DraftVersion | None = None) -> int:
    """One more than the highest block number of the draft's versions (but ``besides``)."""
    numbers = [int(b["id"][1:]) for v in draft.versions if v is not besides
               for b in (v.blocks or []) if b["id"][1:].isdigit()]
    return max(numbers, default=0) + 1


def create_draft(assessment: Assessment, *, subject, item_id, title, owner, body, actor,
                 source_language: str | None = None) -> Draft:
    """A new draft and its version 1, written in ``source_language`` (one of the assessment's
    content languages; None: its first)."""
    subject = Subject(subject)
    item = _check_item(assessment, subject, item_id)
    _check_owner(assessment, owner)
    if source_language and source_language not in assessment.language_list:
        raise DomainError(_l("Choose one of the assessment's languages."),
                          field="source_language")
    check_references(assessment, body)   # an unknown [@src-N]: nothing is written
    draft = Draft(assessment_id=assessment.id, subject=subject, item=item,
                  title=title.strip(), owner=owner, source_language=source_language or None)
    db.session.add(draft)
    version = DraftVersion(draft=draft, number=1, body=body, blocks=assign_ids(split_blocks(body)),
                           created_by_id=actor.id)
    db.session.add(version)
    db.session.flush()
    record_event("draft.created", draft, actor=actor, assessment=assessment,
                 changes={"title": draft.title, "subject": subject})
    return draft


def latest(draft: Draft) -> DraftVersion:
    return draft.versions[-1]


def save_body(draft: Draft, assessment: Assessment, *, body: str, change_summary: str,
              base_revision: int, base_number: int, actor) -> DraftVersion:
    """Save the working version, or start version n+1 when the latest one is frozen."""
    current = latest(draft)
    if current.number != base_number or (not current.frozen and current.revision != base_revision):
        raise EditConflict(current)
    check_references(assessment, body)   # an unknown [@src-N]: nothing is written
    previous = next((v for v in reversed(draft.versions) if v.frozen), None)
    if current.frozen:
        if not change_summary.strip():
            raise DomainError(_l("Say what changed since version %(n)d.", n=current.number),
                              field="change_summary")
        version = DraftVersion(draft=draft, number=current.number + 1, body=body,
                               change_summary=change_summary.strip(), created_by_id=actor.id,
                               blocks=assign_ids(split_blocks(body), current.blocks,
                                                 start=_next_block_number(draft)))
        db.session.add(version)
        edition_services.carry_over(current, version)   # the translations follow
        recommendation_details.carry_over(current, version)   # so do a recommendation's details
        db.session.flush()
        record_event("draft.version_started", version, actor=actor, assessment=assessment,
                     changes={"draft_id": draft.id, "number": version.number})
        return version
    # Matched against the working version's own paragraphs, then those of the frozen one it
    # started from: re-saving keeps every id, even of a paragraph new in this version when
    # another is inserted or removed before it (a recommendation's details, a translation
    # hang on these ids); new paragraphs are numbered after every id used so far.
    base = list(current.blocks or [])
    if previous is not None:
        present = {block["id"] for block in base}
        base += [block for block in (previous.blocks or []) if block["id"] not in present]
    current.body = body
    current.blocks = assign_ids(split_blocks(body), base, start=_next_block_number(draft))
    if change_summary.strip() or current.number > 1:
        current.change_summary = change_summary.strip() or current.change_summary
    current.updated_at = utcnow()
    try:
        db.session.flush()   # the UPDATE checks and bumps the revision (optimistic lock)
    except StaleDataError:
        db.session.rollback()
        raise EditConflict(db.session.get(DraftVersion, current.id)) from None
    record_event("draft.version_saved", current, actor=actor, assessment=assessment,
                 changes={"draft_id": draft.id, "number": current.number,
                          "revision": current.revision})
    return current


def add_attachment(version: DraftVersion, assessment: Assessment, *, filename: str, data: bytes,
                   actor) -> Attachment:
    if version.frozen:
        raise DomainError(_l("This version is circulated and frozen; attach files to a new "
                             "version."))
    name, content_type = check_upload(filename, data,
                                      max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"])
    key = secrets.token_hex(16)
    store_file(Path(current_app.config["UPLOAD_FOLDER"]) / key[:2] / key, data)
    attachment = Attachment(version=version, filename=name, content_type=content_type,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                            storage_key=key, uploaded_by_id=actor.id)
    db.session.add(attachment)
    db.session.flush()
    record_event("draft.attachment_added", attachment, actor=actor, assessment=assessment,
                 changes={"filename": name, "size": len(data), "sha256": attachment.sha256})
    return attachment


def store_file(path: Path, data: bytes) -> None:
    """Write an upload, removed again if its row is not stored (the request rolls back); an
    upload folder that cannot be written to is a :class:`StorageError` (the 503 page)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()   # the file belongs to the transaction that stores its row
    remove_on_rollback(path, session)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as error:   # a part written is removed with the rollback
        raise StorageError(f"{path}: {error}") from error


def attachment_path(attachment: Attachment) -> Path:
    key = attachment.storage_key
    return Path(current_app.config["UPLOAD_FOLDER"]) / key[:2] / key


def recipients(assessment: Assessment) -> list[Membership]:
    """Circulations go to active board members and observers."""
    return db.session.scalars(select(Membership).where(
        Membership.assessment_id == assessment.id,
        (Membership.role == Role.OBSERVER)
        | ((Membership.role == Role.BOARD_MEMBER)
           & (Membership.board_status == BoardStatus.ACTIVE)))
        .options(*with_person())).all()


def check_circulable(version: DraftVersion, assessment: Assessment, deadline) -> None:
    if version.frozen or version.circulation is not None:
        raise DomainError(_l("This version has been circulated already."))
    if not version.body.strip():
        raise DomainError(_l("Write the draft before circulating it."), field="body")
    problem = rules.deadline_problem(deadline, assessment.today())
    if problem:
        raise DomainError(_l("Give a comment deadline today or later."), field="deadline")
    if assessment.circulate_complete_only:
        _going, incomplete = reading.circulated_with(
            edition_queries.summaries(version, version.draft, assessment))
        if incomplete:
            raise DomainError(_l("This assessment circulates a version only when every "
                                 "translation is complete. Not complete: %(editions)s.",
                                 editions=edition_labels.named(incomplete)))


def version_hash(version: DraftVersion) -> str:
    """The SHA-256 the version has (or would be frozen with): its body and attachments, and
    for a recommendations draft the details of its paragraphs (their digest, one more entry)."""
    hashes = [a.sha256 for a in version.attachments]
    digest = recommendation_details.version_digest(version)
    return rules.content_hash(version.body, hashes + [digest] if digest else hashes)


def consultation_days_left(version: DraftVersion, assessment: Assessment) -> int | None:
    """Days left in the version's comment period (0 on its last day), None once it is over or
    the version was never circulated."""
    if version.circulation is None:
        return None
    today = assessment.today()
    return rules.consultation_days_left(rules.version_status(
        rules.VersionFacts(circulated=True, deadline=version.circulation.deadline), today), today)


@dataclass
class CirculationPreview:
    """What circulating would do (the confirmation's figures): the hash the version would be
    frozen with, and who is emailed."""
    sha256: str
    board_members: int
    observers: int
    # The translations that go out with the source (complete) and those that do not.
    editions: list = field(default_factory=list)
    withheld: list = field(default_factory=list)

    @property
    def recipients(self) -> int:
        return self.board_members + self.observers


def circulation_preview(version: DraftVersion, assessment: Assessment,
                        deadline) -> CirculationPreview:
    check_circulable(version, assessment, deadline)
    people = recipients(assessment)
    observers = sum(1 for m in people if m.role == Role.OBSERVER)
    going, withheld = reading.circulated_with(
        edition_queries.summaries(version, version.draft, assessment))
    return CirculationPreview(
        sha256=version_hash(version),
        board_members=len(people) - observers, observers=observers,
        editions=going, withheld=withheld)


def circulate(version: DraftVersion, assessment: Assessment, *, deadline, message: str,
              actor, seen_sha256: str | None = None) -> Circulation:
    """Freeze and send ``version``; ``seen_sha256``, when given, is the hash the confirmation
    showed: a version changed since is not circulated unseen."""
    check_circulable(version, assessment, deadline)
    sha256 = version_hash(version)
    if seen_sha256 is not None and seen_sha256 != sha256:
        raise DomainError(_l("The version changed since the confirmation was shown: check it "
                             "and confirm again."), field="confirm")
    going, _withheld = reading.circulated_with(
        edition_queries.summaries(version, version.draft, assessment))
    languages = [s.language for s in going]
    version.frozen_at = utcnow()
    version.sha256 = sha256
    circulation = Circulation(version=version, circulated_by_id=actor.id, deadline=deadline,
                              message=message.strip(), languages=",".join(languages))
    db.session.add(circulation)
    db.session.flush()
    draft = version.draft
    link = external_url("drafts.version", slug=assessment.slug, draft_id=draft.id,
                        number=version.number)
    people = recipients(assessment)
    for membership in people:
        queue_email(to=membership.user, template="draft_circulated", assessment=assessment,
                    subject=_l("For comment: %(title)s (version %(n)d)", title=draft.title,
                               n=version.number),
                    draft=draft, version=version, circulation=circulation, link=link,
                    sender=actor, languages=[edition_queries.source_language(draft, assessment)]
                    + languages)
    changes = {"draft_id": draft.id, "number": version.number, "sha256": version.sha256,
               "deadline": deadline, "recipients": len(people)}
    if languages:
        changes["languages"] = languages
    record_event("draft.circulated", version, actor=actor, assessment=assessment,
                 changes=changes)
    return circulation


def record_view(version: DraftVersion, membership: Membership) -> None:
    """Remember the first time ``membership`` opened the circulated ``version``.

    Bookkeeping of a read, kept out of the page's transaction (a GET never commits): a look
    first, then an idempotent insert in its own short transaction. Concurrent first opens
    leave one row; a busy database costs the record, never the page.
    """
    if version.circulation is None:
        return
    exists = db.session.scalar(select(VersionView.id).where(
        VersionView.version_id == version.id, VersionView.membership_id == membership.id))
    if exists is not None:
        return
    values = {"version_id": version.id, "membership_id": membership.id,
              "first_opened_at": utcnow()}
    bookkeeping(lambda session: insert_if_absent(session, VersionView, values,
                                                 unique=("version_id", "membership_id")),
                what=f"version {version.id} opened by membership {membership.id}")


def reassign(draft: Draft, assessment: Assessment, owner: Membership, *, actor) -> None:
    _check_owner(assessment, owner)
    old = draft.owner_id
    draft.owner = owner
    record_event("draft.reassigned", draft, actor=actor, assessment=assessment,
                 changes={"owner": [old, owner.id]})


def end_consultation(version: DraftVersion, assessment: Assessment, *, actor) -> Circulation:
    """End the version's comment period today, before its deadline, so that the board can
    validate it (a validation round and a consultation do not overlap). The deadline becomes
    today (the first-given one is kept, as an extension keeps it), the audit records it, and the
    people the version was circulated to are told. Comments close as the round opens."""
    circulation = version.circulation
    if not in_assessment(version, assessment) or circulation is None:
        raise DomainError(_l("Only a circulated version has a comment period to end."),
                          field="version_id")
    today = assessment.today()
    days_left = consultation_days_left(version, assessment)
    if days_left is None:
        raise DomainError(_l("The comment period on this version has already ended."),
                          field="version_id")
    old = circulation.deadline
    if circulation.original_deadline is None:
        circulation.original_deadline = old
    circulation.deadline = today
    circulation.ended_early_at = utcnow()
    draft = version.draft
    people = recipients(assessment)
    record_event("draft.consultation_ended", version, actor=actor, assessment=assessment,
                 changes={"deadline": [old, today], "draft_id": draft.id,
                          "number": version.number, "days_left": days_left,
                          "recipients": len(people)})
    link = external_url("drafts.version", slug=assessment.slug, draft_id=draft.id,
                        number=version.number)
    for membership in people:
        queue_email(to=membership.user, template="consultation_ended", assessment=assessment,
                    subject=_l("Comments closed, validation open: %(title)s", title=draft.title),
                    draft=draft, version=version, deadline=old, link=link)
    return circulation

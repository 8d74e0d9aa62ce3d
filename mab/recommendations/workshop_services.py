"""Use cases of a validation workshop (issue 19 item 4): the recommendations on its agenda, the
board's position on each, and carrying the positions into a new version of each recommendations
draft. They change rows, audit and flush; the request boundary commits.

A recommendation is a paragraph of a recommendations draft, named by (draft id, paragraph id).
The agenda lists paragraphs of each draft's latest circulated version; the positions are carried
into version n+1 of that draft through mab.drafts.services.save_body (so translations and
details follow as for any new version), an amended paragraph keeping its id.
"""
from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from mab import i18n
from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.drafts import services as draft_services
from mab.drafts.models import Draft, DraftVersion
from mab.drafts.paragraphs import split_blocks
from mab.editions import queries as edition_queries
from mab.editions import rules as edition_rules
from mab.errors import DomainError
from mab.extensions import db
from mab.loaders import in_assessment
from mab.meetings.models import Meeting, MeetingKind, MeetingStatus
from mab.recommendations import queries, workshop
from mab.recommendations import services as recommendation_services
from mab.recommendations.models import Position, Recommendation, WorkshopItem
from mab.types import utcnow

MAX_WORDING = 5000


# --- reads -----------------------------------------------------------------------------------

def circulated_version(draft: Draft) -> DraftVersion | None:
    """The draft's latest circulated version (what a workshop discusses), None before the
    first circulation."""
    return next((v for v in reversed(draft.versions) if v.circulation is not None), None)


def candidates(assessment: Assessment) -> list[queries.Item]:
    """The recommendations an agenda may list: the paragraphs of each recommendations draft's
    latest circulated version, with their details."""
    versions = [v for v in (circulated_version(d) for d in queries.drafts(assessment))
                if v is not None]
    return queries.items(versions)


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda item with the wording it listed and that paragraph's details."""
    item: WorkshopItem
    draft: Draft
    version: DraftVersion
    text: str
    details: Recommendation | None

    @property
    def key(self) -> tuple[int, str]:
        return self.draft.id, self.item.block_id


def agenda_items(meeting: Meeting) -> list[WorkshopItem]:
    return db.session.scalars(
        select(WorkshopItem).where(WorkshopItem.meeting_id == meeting.id)
        .options(joinedload(WorkshopItem.version).joinedload(DraftVersion.draft)
                 .selectinload(Draft.versions).selectinload(DraftVersion.circulation))
        .order_by(WorkshopItem.id)).all()


def agenda(meeting: Meeting) -> list[AgendaEntry]:
    """The meeting's agenda of recommendations, in the order of the drafts (by title) and of
    their paragraphs, each with its wording and details: a fixed number of queries."""
    rows = agenda_items(meeting)
    details = queries.details_of(sorted({row.version_id for row in rows}))
    entries = []
    for row in rows:
        version = row.version
        order = {b["id"]: (n, b["text"]) for n, b in enumerate(version.blocks or [])}
        position, text = order.get(row.block_id, (len(order), ""))
        entries.append((version.draft.title, version.draft_id, position,
                        AgendaEntry(row, version.draft, version, text,
                                    details.get((version.id, row.block_id)))))
    return [entry for *_order, entry in sorted(entries, key=lambda e: e[:3])]


def applied(items: list[WorkshopItem]) -> bool:
    """Whether the positions of these items (a meeting's) have been carried into versions."""
    return any(item.applied_version_id is not None for item in items)


# --- checks ----------------------------------------------------------------------------------

def _check_workshop(meeting: Meeting, assessment: Assessment) -> None:
    if not in_assessment(meeting, assessment):
        raise DomainError(_l("This meeting is not one of this assessment's."))
    if meeting.kind != MeetingKind.VALIDATION_WORKSHOP:
        raise DomainError(_l("Only a validation workshop discusses recommendations: change the "
                             "meeting's kind first."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_l("This meeting was cancelled."))


def _check_not_applied(items: list[WorkshopItem]) -> None:
    if applied(items):
        raise DomainError(_l("The positions of this workshop have been carried into new "
                             "versions; they can no longer change."))


def _check_started(meeting: Meeting, assessment: Assessment) -> None:
    if meeting.starts_at > utcnow():
        raise DomainError(_l("Positions are recorded during the meeting: it starts on "
                             "%(when)s.", when=i18n.in_timezone(meeting.starts_at,
                                                                assessment.timezone, "long")))


# --- the agenda ------------------------------------------------------------------------------

@dataclass
class AgendaChange:
    added: int = 0
    removed: int = 0


def set_agenda(meeting: Meeting, assessment: Assessment, keys, *, actor) -> AgendaChange:
    """List exactly ``keys`` ((draft id, paragraph id) pairs) on the workshop's agenda. A new
    item names a paragraph of its draft's latest circulated version (and lists that version's
    wording); an item already listed stays as it is; one with a recorded position cannot be
    taken off."""
    _check_workshop(meeting, assessment)
    rows = agenda_items(meeting)
    _check_not_applied(rows)
    wanted = {(int(draft_id), str(block_id)) for draft_id, block_id in keys}
    existing = {(row.draft_id, row.block_id): row for row in rows}
    offered = {item.key: item for item in candidates(assessment)}
    unknown = wanted - offered.keys() - existing.keys()
    if unknown:
        raise DomainError(_l("Choose recommendations of the latest circulated version of this "
                             "assessment's recommendations drafts."), field="keys")
    kept = [row for key, row in existing.items() if key not in wanted and row.position]
    if kept:
        raise DomainError(ngettext(
            "A position is recorded on %(num)d recommendation (“%(names)s”): it stays on the "
            "agenda.",
            "Positions are recorded on %(num)d recommendations (“%(names)s”): they stay on "
            "the agenda.", len(kept),
            names="”, “".join(_short(_text(row)) for row in kept)), field="keys")
    change = AgendaChange()
    for key, row in existing.items():
        if key not in wanted:
            db.session.delete(row)
            change.removed += 1
    for key in sorted(wanted - existing.keys()):
        item = offered[key]
        db.session.add(WorkshopItem(meeting_id=meeting.id, draft_id=item.draft.id,
                                    block_id=item.block_id, version_id=item.version.id))
        change.added += 1
    db.session.flush()
    if change.added or change.removed:
        record_event("workshop.agenda_set", meeting, actor=actor, assessment=assessment,
                     changes={"agenda_added": change.added, "agenda_removed": change.removed,
                              "agenda_items": len(wanted)})
    return change


def _text(row: WorkshopItem) -> str:
    """The wording an agenda item listed."""
    return next((b["text"] for b in row.version.blocks or [] if b["id"] == row.block_id), "")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# --- positions -------------------------------------------------------------------------------

def check_recordable(item: WorkshopItem, assessment: Assessment) -> None:
    """Refuse unless a position may be recorded on ``item`` now: its meeting is this
    assessment's validation workshop, not cancelled, has started, and its positions have not
    been carried into versions yet."""
    if not in_assessment(item, assessment):
        raise DomainError(_l("This recommendation is not on this assessment's agenda."))
    _check_workshop(item.meeting, assessment)
    _check_started(item.meeting, assessment)
    _check_not_applied(agenda_items(item.meeting))


def record_position(item: WorkshopItem, assessment: Assessment, position, amended_text: str, *,
                    actor) -> WorkshopItem:
    """Record (or change, until they are carried into a version) the board's position on one
    agenda item; an amendment needs its new wording, one paragraph."""
    check_recordable(item, assessment)
    meeting = item.meeting
    try:
        position = Position(position)
    except ValueError:
        raise DomainError(_l("Choose the board's position."), field="position") from None
    wording = ""
    if position == Position.AMENDED:
        if not (amended_text or "").strip():
            raise DomainError(_l("Give the new wording of the recommendation."),
                              field="amended_text")
        if len(amended_text) > MAX_WORDING:
            raise DomainError(_l("The new wording is too long (at most %(n)d characters).",
                                 n=MAX_WORDING), field="amended_text")
        wording = workshop.one_paragraph(amended_text)
        if wording is None:
            raise DomainError(_l("A recommendation is one paragraph: write the new wording "
                                 "without blank lines."), field="amended_text")
        current = _text(item)
        if " ".join(wording.split()) == " ".join(current.split()):
            raise DomainError(_l("The new wording is the same as the current one: record the "
                                 "recommendation as endorsed."), field="amended_text")
    old = (item.position.value if item.position else None, item.amended_text)
    if old == (position.value, wording):
        return item
    item.position, item.amended_text = position, wording
    item.recorded_by_id, item.recorded_at = actor.id, utcnow()
    db.session.flush()
    changes = {"draft_id": item.draft_id, "block_id": item.block_id,
               "workshop_position": [old[0], position.value]}
    if wording or old[1]:
        changes["amended_text"] = [old[1], wording]
    record_event("workshop.position_recorded", meeting, actor=actor, assessment=assessment,
                 changes=changes)
    return item


# --- carrying the positions into new versions ------------------------------------------------

@dataclass
class Plan:
    """What carrying the positions does to one draft: version ``number`` is started from
    ``version`` with ``outcome``'s paragraphs."""
    draft: Draft
    version: DraftVersion
    items: list[WorkshopItem]
    outcome: workshop.Outcome

    @property
    def number(self) -> int:
        return self.version.number + 1


@dataclass
class Carried:
    plan: Plan
    version: DraftVersion
    summary: str = ""


def plans(meeting: Meeting, assessment: Assessment) -> list[Plan]:
    """What carrying the workshop's positions would do, draft by draft (those with at least one
    position), or the refusal: nothing recorded, already carried, or a draft that has a newer
    version than the one the workshop discussed."""
    _check_workshop(meeting, assessment)
    rows = agenda_items(meeting)
    _check_not_applied(rows)
    if not any(row.position for row in rows):
        raise DomainError(_l("No position is recorded yet: there is nothing to carry into a new "
                             "version."))
    by_draft: dict[int, list[WorkshopItem]] = {}
    for row in rows:
        by_draft.setdefault(row.draft_id, []).append(row)
    result = []
    for draft_rows in by_draft.values():
        if not any(row.position for row in draft_rows):
            continue
        draft = draft_rows[0].version.draft
        latest = draft.versions[-1]
        for row in sorted(draft_rows, key=lambda r: r.version.number):
            if row.version.number < latest.number:
                raise DomainError(_l(
                    "Version %(new)d of “%(title)s” was started after version %(n)d, which the "
                    "workshop discussed: carry the positions into version %(new)d by hand.",
                    new=latest.number, title=draft.title, n=row.version.number))
        version = draft_rows[0].version
        decisions = {row.block_id: workshop.Decision(row.position.value, row.amended_text)
                     for row in draft_rows if row.position}
        result.append(Plan(draft, version, draft_rows,
                           workshop.apply(version.blocks or [], decisions)))
    return sorted(result, key=lambda p: (p.draft.title, p.draft.id))


def counts_text(counts: dict[str, int], *, removed: bool = False,
                unchanged: bool = False) -> str:
    """"3 endorsed, 1 amended, 1 rejected, 1 deferred" in the current language (positions
    without a paragraph left out). ``removed`` says that the rejected are removed and the
    deferred kept; ``unchanged`` adds the paragraphs without a position."""
    parts = []
    if counts.get(workshop.ENDORSED):
        parts.append(ngettext("%(num)d endorsed", "%(num)d endorsed", counts[workshop.ENDORSED]))
    if counts.get(workshop.AMENDED):
        parts.append(ngettext("%(num)d amended", "%(num)d amended", counts[workshop.AMENDED]))
    if counts.get(workshop.REJECTED):
        parts.append(ngettext("%(num)d rejected and removed", "%(num)d rejected and removed",
                              counts[workshop.REJECTED]) if removed else
                     ngettext("%(num)d rejected", "%(num)d rejected", counts[workshop.REJECTED]))
    if counts.get(workshop.DEFERRED):
        parts.append(ngettext("%(num)d deferred and kept unchanged",
                              "%(num)d deferred and kept unchanged",
                              counts[workshop.DEFERRED]) if removed else
                     ngettext("%(num)d deferred", "%(num)d deferred", counts[workshop.DEFERRED]))
    if unchanged and counts.get(workshop.UNCHANGED):
        parts.append(ngettext("%(num)d without a position, kept unchanged",
                              "%(num)d without a position, kept unchanged",
                              counts[workshop.UNCHANGED]))
    if removed:
        return format_list(parts, locale=get_locale())
    return ", ".join(parts)


def change_summary(meeting: Meeting, assessment: Assessment, draft: Draft,
                   counts: dict[str, int]) -> str:
    """The new version's change summary, in the language the draft is written in (the
    assessment's first unless the researcher chose another): "Positions of the validation
    workshop of 28 February 2020: 3 endorsed, 1 amended, 1 rejected, 1 deferred"."""
    with force_locale(edition_queries.source_language(draft, assessment)):
        return _("Positions of the validation workshop of %(date)s: %(counts)s",
                 date=i18n.date_filter(meeting.starts_at, "long", assessment.timezone),
                 counts=counts_text(counts))


def apply_positions(meeting: Meeting, assessment: Assessment, *, actor) -> list[Carried]:
    """Start version n+1 of each draft the positions concern, with its paragraphs after the
    positions; an amended paragraph keeps its id, so its details, comments' anchors and
    follow-up stay with it. The items remember the version they went into."""
    carried = []
    for plan in plans(meeting, assessment):
        texts = [block["text"] for block in plan.outcome.blocks]
        body = workshop.body_of(plan.outcome.blocks)
        if split_blocks(body) != texts:
            raise DomainError(_l("The new wording of a recommendation of “%(title)s” is not one "
                                 "paragraph: correct it and carry the positions again.",
                                 title=plan.draft.title))
        counts = plan.outcome.counts
        summary = change_summary(meeting, assessment, plan.draft, counts)
        version = draft_services.save_body(
            plan.draft, assessment, body=body, change_summary=summary,
            base_revision=plan.version.revision, base_number=plan.version.number, actor=actor)
        _keep_ids(plan.version, version, plan.outcome.blocks)
        for row in plan.items:
            row.applied_version_id = version.id
        db.session.flush()
        record_event("workshop.positions_applied", meeting, actor=actor, assessment=assessment,
                     changes={"draft_id": plan.draft.id, "number": version.number,
                              "endorsed": counts[workshop.ENDORSED],
                              "amended": counts[workshop.AMENDED],
                              "rejected": counts[workshop.REJECTED],
                              "deferred": counts[workshop.DEFERRED],
                              "unchanged": counts[workshop.UNCHANGED]})
        carried.append(Carried(plan, version, summary))
    return carried


def _keep_ids(previous: DraftVersion, version: DraftVersion, blocks: list[dict]) -> None:
    """Give the new version's paragraphs the ids the positions kept (save_body matched them by
    similarity, and a reworded paragraph may have drawn a new id, or a rejected one's), then
    carry its translations and details again by those ids."""
    if [b["id"] for b in version.blocks or []] == [b["id"] for b in blocks]:
        return
    version.blocks = [dict(b) for b in blocks]
    old_editions = {e.language: e for e in previous.editions}
    for edition in version.editions:
        old = old_editions.get(edition.language)
        edition.blocks = edition_rules.carry_over(old.blocks or [] if old else [], version.blocks)
    for row in db.session.scalars(select(Recommendation).where(
            Recommendation.version_id == version.id)).all():
        db.session.delete(row)
    db.session.flush()
    recommendation_services.carry_over(previous, version)
    db.session.flush()


def preview(meeting: Meeting, assessment: Assessment) -> list[str]:
    """The confirmation's sentences, one per draft: "Version 3 of “Policy recommendations”
    will be started: 3 endorsed, 1 amended, 1 rejected and removed, 1 deferred and kept
    unchanged." (refused as apply_positions would be)."""
    return [_("Version %(n)d of “%(title)s” will be started: %(counts)s.", n=plan.number,
              title=plan.draft.title,
              counts=counts_text(plan.outcome.counts, removed=True, unchanged=True))
            for plan in plans(meeting, assessment)]


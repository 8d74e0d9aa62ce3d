"""Reads for the draft pages; bodies are loaded only where they are shown."""
from dataclasses import dataclass, replace
from datetime import date

from flask import abort
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import aliased, defer, joinedload, selectinload

from mab.assessments.models import Assessment, Membership, Role, codes as language_codes
from mab.comments.queries import version_context
from mab.drafts import rules
from mab.drafts.forms import AttachmentForm, CirculateForm, OwnerForm
from mab.drafts.models import Circulation, Draft, DraftVersion, Subject, VersionView
from mab.editions import queries as edition_queries
from mab.editions import reading as edition_reading
from mab.editions import rules as edition_rules
from mab.evidence import citations
from mab.extensions import db
from mab.loaders import get_or_404
from mab.markdown import mark_passage, render_paragraph
from mab.permissions import Action, can
from mab.recommendations import details as recommendation_details
from mab.validation.models import ValidationRound


def _circulated(draft_id_column):
    return exists(select(Circulation.id).join(Circulation.version)
                  .where(DraftVersion.draft_id == draft_id_column))


def drafts(assessment: Assessment, *, circulated_only: bool, subject: str = "",
           owner_id: int | None = None, search: str = "") -> Select:
    query = (select(Draft).where(Draft.assessment_id == assessment.id)
             .options(selectinload(Draft.versions).options(
                 defer(DraftVersion.body), defer(DraftVersion.blocks),
                 selectinload(DraftVersion.circulation)),
                 joinedload(Draft.item), joinedload(Draft.owner).joinedload(Membership.user))
             .order_by(Draft.title))
    if circulated_only:
        query = query.where(_circulated(Draft.id))
    if subject in set(Subject):
        query = query.where(Draft.subject == subject)
    if owner_id:
        query = query.where(Draft.owner_id == owner_id)
    if search:
        query = query.where(func.lower(Draft.title).contains(search.strip().lower(),
                                                             autoescape=True))
    return query


def to_review(membership: Membership, today: date, limit: int = 10):
    """Versions in consultation (circulated, deadline not passed, no validation round, no later
    version circulated: ``rules.version_status`` in SQL), soonest deadline first, with 'opened'
    flags."""
    later, later_circulation = aliased(DraftVersion), aliased(Circulation)
    rows = db.session.execute(
        select(DraftVersion, Circulation, Draft).join(Circulation.version)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.assessment_id == membership.assessment_id, Circulation.deadline >= today,
               ~exists(select(ValidationRound.id)
                       .where(ValidationRound.version_id == DraftVersion.id)),
               ~exists(select(later.id).join(later_circulation,
                                             later_circulation.version_id == later.id)
                       .where(later.draft_id == DraftVersion.draft_id,
                              later.number > DraftVersion.number)))
        .options(defer(DraftVersion.body), defer(DraftVersion.blocks))
        .order_by(Circulation.deadline).limit(limit)).all()
    opened = set(db.session.scalars(select(VersionView.version_id).where(
        VersionView.membership_id == membership.id,
        VersionView.version_id.in_([v.id for v, _c, _d in rows]))))
    return [(draft, version, circulation, version.id in opened)
            for version, circulation, draft in rows]


def views_of(version: DraftVersion) -> list[VersionView]:
    return db.session.scalars(select(VersionView).where(VersionView.version_id == version.id)
                              .options(joinedload(VersionView.membership).options(
                                  joinedload(Membership.user), joinedload(Membership.group)))
                              .order_by(VersionView.first_opened_at)).all()


# The version page: loaders and the page builder ------------------------------------------------

def sees_uncirculated(role) -> bool:
    return can(role, Action.READ_UNCIRCULATED)


def draft_or_404(assessment: Assessment, draft_id: int, role) -> Draft:
    """The assessment's draft with its versions (404 for another's, and for a reader when no
    version of it is circulated yet)."""
    draft = get_or_404(Draft, draft_id, assessment,
                       selectinload(Draft.versions).options(
                           selectinload(DraftVersion.circulation),
                           selectinload(DraftVersion.attachments)),
                       joinedload(Draft.item), joinedload(Draft.owner).joinedload(Membership.user))
    if not sees_uncirculated(role) and not any(v.circulation for v in draft.versions):
        abort(404)
    return draft


def visible_versions(draft: Draft, role) -> list[DraftVersion]:
    if sees_uncirculated(role):
        return list(draft.versions)
    return [v for v in draft.versions if v.circulation is not None]


def version_or_404(draft: Draft, number: int, role) -> DraftVersion:
    version = next((v for v in visible_versions(draft, role) if v.number == number), None)
    if version is None:
        abort(404)   # board members and observers never learn of uncirculated versions
    return version


# One status per version and per draft, from the facts (issue 13) -----------------------------

def _round_states(version_ids) -> dict[int, tuple[bool, bool | None]]:
    """Version id -> (round open, passed) for those versions' rounds (one per version)."""
    if not version_ids:
        return {}
    return {vid: (closed is None, passed) for vid, closed, passed in db.session.execute(
        select(ValidationRound.version_id, ValidationRound.closed_at, ValidationRound.passed)
        .where(ValidationRound.version_id.in_(version_ids)))}


def version_facts(drafts) -> dict[int, rules.VersionFacts]:
    """Version id -> facts for every version of the drafts, loaded with their versions and
    circulations (``selectinload``, as ``drafts`` and ``draft_or_404`` do): one query for the
    rounds. All versions count, whoever looks, so every role reads the same status."""
    versions = [v for d in drafts for v in d.versions]
    rounds = _round_states([v.id for v in versions])
    return rules.facts_by_version([rules.VersionRow(
        v.id, v.draft_id, v.number, v.circulation is not None,
        v.circulation.deadline if v.circulation is not None else None,
        v.id in rounds, *rounds.get(v.id, (False, None))) for v in versions])


def version_statuses(drafts, today: date) -> dict[int, rules.VersionStatus]:
    """Version id -> status for every version of the drafts."""
    return {vid: rules.version_status(facts, today)
            for vid, facts in version_facts(drafts).items()}


def draft_statuses(drafts, today: date) -> dict[int, rules.VersionStatus]:
    """Draft id -> status (that of its newest circulated version), the same for every role."""
    facts = version_facts(drafts)
    return {d.id: rules.draft_status([facts[v.id] for v in d.versions], today) for d in drafts}


def circulated_statuses(assessments) -> dict[int, dict[int, rules.VersionStatus]]:
    """Assessment id -> {version id -> status} of every circulated version of those assessments
    (each on its own 'today'), in one query: what the home pages and the phase are shown from."""
    by_id = {a.id: a for a in assessments}
    if not by_id:
        return {}
    rows = db.session.execute(
        select(Draft.assessment_id, DraftVersion.id, DraftVersion.draft_id, DraftVersion.number,
               Circulation.deadline, ValidationRound.id, ValidationRound.closed_at,
               ValidationRound.passed)
        .join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .join(Circulation, Circulation.version_id == DraftVersion.id)
        .outerjoin(ValidationRound, ValidationRound.version_id == DraftVersion.id)
        .where(Draft.assessment_id.in_(by_id))).all()
    facts = rules.facts_by_version([rules.VersionRow(
        vid, draft_id, number, True, deadline, round_id is not None, closed is None, passed)
        for _a, vid, draft_id, number, deadline, round_id, closed, passed in rows])
    today = {aid: a.today() for aid, a in by_id.items()}
    result: dict[int, dict[int, rules.VersionStatus]] = {aid: {} for aid in by_id}
    for aid, vid, *_rest in rows:
        result[aid][vid] = rules.version_status(facts[vid], today[aid])
    return result


# Editions on the list pages (issue 18) ------------------------------------------------------

def edition_summaries(assessment: Assessment, drafts, shown) -> dict[int, list]:
    """Draft id -> the summaries (source first, then each target language) of the version
    ``shown(draft)`` for each draft, in one query for the page; {} when the assessment has one
    content language (no query then)."""
    if len(assessment.language_list) < 2:
        return {}
    versions = {}
    for draft in drafts:
        version = shown(draft)
        if version is not None:
            versions[version.id] = draft
    by_version = edition_queries.summaries_of_versions(assessment, versions)
    return {draft.id: by_version[version_id] for version_id, draft in versions.items()}


def owner_choices(assessment: Assessment) -> list[tuple[int | None, str]]:
    return [(None, "—")] + [(m.id, m.user.display_name) for m in db.session.scalars(
        select(Membership).where(Membership.assessment_id == assessment.id,
                                 Membership.role.in_([Role.RESEARCHER, Role.COORDINATOR]))
        .options(joinedload(Membership.user)))]


def owner_form(assessment: Assessment, draft: Draft) -> OwnerForm:
    form = OwnerForm(owner_id=draft.owner_id)
    form.owner_id.choices = owner_choices(assessment)[1:]
    return form


@dataclass(frozen=True)
class Shown:
    """A paragraph as an edition shows it: its HTML, the language that text is in (the
    source's when the translation is missing or outdated) and, then, why (its status)."""
    html: str
    language: str
    status: str | None = None


@dataclass
class Reading:
    """The editions of a version a reader is offered (the source first, with each one's summary
    and whether machine translation went into it), the one read, the one beside it, and every
    offered edition's paragraphs: ``text[language][paragraph id]``."""
    source: str
    language: str
    side: str | None
    offered: list
    machine: dict
    text: dict

    @property
    def others(self) -> list[str]:
        """The editions neither read nor beside: each paragraph may be shown in them."""
        return [s.language for s in self.offered if s.language not in (self.language, self.side)]


def reading(assessment: Assessment, draft: Draft, version: DraftVersion, role, *,
            account_language: str | None, edition: str | None = None, side: str | None = None,
            compare: bool = False, source_html: dict) -> Reading | None:
    """The editions of ``version`` this reader may read (``editions.reading``): one query for
    the version's editions; None on a one-language assessment (no query)."""
    if len(assessment.language_list) < 2:
        return None
    editions = {e.language: e for e in version.editions}
    summaries = edition_queries.summaries(version, draft, assessment, editions)
    circulated = set(language_codes(version.circulation.languages if version.circulation else ""))
    offered = edition_reading.offered(summaries, circulated=circulated,
                                      sees_uncirculated=sees_uncirculated(role))
    codes = [s.language for s in offered]
    source = codes[0]
    language = edition_reading.chosen(codes, edition, account_language, source)
    text = {source: {bid: Shown(html, source) for bid, html in source_html.items()}}
    for code in codes[1:]:
        own = {b["id"]: b for b in (editions[code].blocks if code in editions else [])}
        shown = {}
        for block in version.blocks or []:
            words, status = edition_reading.paragraph(block, own.get(block["id"]))
            shown[block["id"]] = (Shown(render_paragraph(words), code)
                                  if status == edition_rules.CURRENT else
                                  Shown(source_html[block["id"]], source, status))
        text[code] = shown
    return Reading(source=source, language=language,
                   side=edition_reading.beside(codes, language, side, compare),
                   offered=offered, text=text,
                   machine={code: e.machine_assisted for code, e in editions.items()})


def version_page(assessment: Assessment, membership: Membership, draft: Draft,
                 number: int | None = None, *, pending=None, edition: str | None = None,
                 side: str | None = None, compare: bool = False) -> dict:
    """What ``drafts/show.html`` shows: a version (the latest visible one without ``number``)
    with its comments; ``pending`` (a ``comments.queries.Pending``) re-opens a form that failed.
    On a version with translations: the edition ``edition`` (else the reader's account
    language, else the source), ``side`` beside it (or, with ``compare``, another one)."""
    role = membership.role
    versions = visible_versions(draft, role)
    version = versions[-1] if number is None else version_or_404(draft, number, role)
    editor = can(role, Action.EDIT_DRAFTS)
    facts, today = version_facts([draft]), assessment.today()
    source_html = {b["id"]: render_paragraph(b["text"]) for b in version.blocks or []}
    read = reading(assessment, draft, version, role, account_language=membership.user.language,
                   edition=edition, side=side, compare=compare, source_html=source_html)
    comments = version_context(assessment, membership, draft, version, pending)
    if read is not None:
        comments["comment_language"] = read.language   # the comment forms post it (issue 18)
    cites = cite_version(assessment, version, read, comments)
    source_html = {bid: cites.html(html) for bid, html in source_html.items()} if cites \
        else source_html
    shown = read.text[read.language] if read is not None else None
    return dict(
        assessment=assessment, draft=draft, version=version, versions=versions,
        blocks=[(bid, shown[bid].html if shown else html) for bid, html in source_html.items()],
        reading=read if read is not None and len(read.offered) > 1 else None,
        editor=editor, status=rules.draft_status([facts[v.id] for v in draft.versions], today),
        version_statuses={v.id: rules.version_status(facts[v.id], today) for v in versions},
        latest=draft.versions[-1],
        attachment_form=AttachmentForm() if editor and not version.frozen else None,
        circulate_form=CirculateForm() if editor and not version.frozen else None,
        owner_form=owner_form(assessment, draft) if can(role, Action.MANAGE_BOARD) else None,
        views=views_of(version) if editor and version.circulation else [],
        # A recommendations draft: each paragraph's details, shown under it (issue 19).
        recommendation_details=recommendation_details.on_version_page(version),
        citations=cites,
        **comments)


def cite_version(assessment: Assessment, version: DraftVersion, read: Reading | None,
                 comments: dict) -> citations.Citations:
    """The version's source references as numbered citations (issue 19), numbered by first
    appearance in the source, then in its translations: the editions read (``read.text``) and
    the opened comment's marked paragraph are changed in place; the caller cites the source's
    paragraphs with the returned object. One query for the sources, none when nothing is cited."""
    texts = [b["text"] for b in version.blocks or []]
    if read is not None:    # the editions are loaded already
        texts += [b["text"] for e in version.editions for b in e.blocks or []]
    cites = citations.of_texts(assessment, texts)
    if not cites:
        return cites
    if read is not None:
        read.text = {code: {bid: replace(s, html=cites.html(s.html)) for bid, s in shown.items()}
                     for code, shown in read.text.items()}
    focus = comments.get("focus")
    if focus is not None and focus.block_id and focus.comment.quote:
        # The passage as the reader selected it, citation numbers included, is marked in the
        # paragraph as shown; a passage quoted as written keeps its mark.
        block = next((b for b in version.blocks or [] if b["id"] == focus.block_id), None)
        marked = mark_passage(cites.html(render_paragraph(block["text"])), focus.comment.quote) \
            if block is not None and not focus.comment.withdrawn else None
        if marked is not None:
            comments["focus"] = replace(focus, html=marked, quote_missing=False)
        elif focus.html:
            comments["focus"] = replace(focus, html=cites.html(focus.html))
    return cites

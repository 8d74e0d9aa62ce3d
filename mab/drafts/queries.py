"""Reads for the draft pages; bodies are loaded only where they are shown."""
from datetime import date

from flask import abort
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import aliased, defer, joinedload, selectinload

from mab.assessments.models import Assessment, Membership, Role
from mab.comments.queries import version_context
from mab.drafts import rules
from mab.drafts.forms import AttachmentForm, CirculateForm, OwnerForm
from mab.drafts.models import Circulation, Draft, DraftVersion, Subject, VersionView
from mab.editions import queries as edition_queries
from mab.editions import rules as edition_rules
from mab.editions.models import Edition
from mab.extensions import db
from mab.loaders import get_or_404
from mab.markdown import render_markdown
from mab.permissions import Action, can
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
    return summaries_of_versions(assessment, versions)


def summaries_of_versions(assessment: Assessment, versions: dict) -> dict[int, list]:
    """{version id: draft} -> {draft id: summaries of that version} in one query: the versions'
    paragraphs with their editions' (the versions' bodies are not read)."""
    if not versions:
        return {}
    blocks: dict[int, list] = {}
    editions: dict[int, dict[str, list]] = {}
    for vid, source_blocks, language, edition_blocks in db.session.execute(
            select(DraftVersion.id, DraftVersion.blocks, Edition.language, Edition.blocks)
            .outerjoin(Edition, Edition.version_id == DraftVersion.id)
            .where(DraftVersion.id.in_(list(versions)))):
        blocks[vid] = source_blocks or []
        if language is not None:
            editions.setdefault(vid, {})[language] = edition_blocks or []
    result = {}
    for vid, draft in versions.items():
        source = blocks.get(vid, [])
        own = editions.get(vid, {})
        result[draft.id] = [
            edition_rules.source_summary(edition_queries.source_language(draft, assessment),
                                         source)] + [
            edition_rules.summary(language, source, own.get(language, []))
            for language in edition_queries.target_languages(draft, assessment)]
    return result


def owner_choices(assessment: Assessment) -> list[tuple[int | None, str]]:
    return [(None, "—")] + [(m.id, m.user.display_name) for m in db.session.scalars(
        select(Membership).where(Membership.assessment_id == assessment.id,
                                 Membership.role.in_([Role.RESEARCHER, Role.COORDINATOR]))
        .options(joinedload(Membership.user)))]


def owner_form(assessment: Assessment, draft: Draft) -> OwnerForm:
    form = OwnerForm(owner_id=draft.owner_id)
    form.owner_id.choices = owner_choices(assessment)[1:]
    return form


def version_page(assessment: Assessment, membership: Membership, draft: Draft,
                 number: int | None = None, *, pending=None) -> dict:
    """What ``drafts/show.html`` shows: a version (the latest visible one without ``number``)
    with its comments; ``pending`` (a ``comments.queries.Pending``) re-opens a form that failed."""
    role = membership.role
    versions = visible_versions(draft, role)
    version = versions[-1] if number is None else version_or_404(draft, number, role)
    editor = can(role, Action.EDIT_DRAFTS)
    facts, today = version_facts([draft]), assessment.today()
    return dict(
        assessment=assessment, draft=draft, version=version, versions=versions,
        blocks=[(b["id"], render_markdown(b["text"])) for b in version.blocks or []],
        editor=editor, status=rules.draft_status([facts[v.id] for v in draft.versions], today),
        version_statuses={v.id: rules.version_status(facts[v.id], today) for v in versions},
        latest=draft.versions[-1],
        attachment_form=AttachmentForm() if editor and not version.frozen else None,
        circulate_form=CirculateForm() if editor and not version.frozen else None,
        owner_form=owner_form(assessment, draft) if can(role, Action.MANAGE_BOARD) else None,
        views=views_of(version) if editor and version.circulation else [],
        **version_context(assessment, membership, draft, version, pending))

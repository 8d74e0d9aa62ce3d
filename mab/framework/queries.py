"""The catalogue tree and its coverage by drafts, in a fixed number of queries."""
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from mab.drafts.models import Circulation, Draft, DraftVersion
from mab.editions import queries as edition_queries
from mab.extensions import db
from mab.framework.models import Framework, FrameworkItem, ItemKind
from mab.validation.models import ValidationRound


@dataclass
class Node:
    item: FrameworkItem
    children: list = field(default_factory=list)
    in_scope: int = 0
    drafted: int = 0
    circulated: int = 0
    validated: int = 0


def catalogue(assessment, *, search: str = "", sees_uncirculated: bool = True):
    """(framework, [category nodes with theme nodes with indicator rows], totals). A row's
    ``editions``: the summaries of its draft's latest version the reader may see, by language
    (one query; none for a one-language assessment)."""
    framework = db.session.get(Framework, assessment.framework_id) if assessment.framework_id \
        else None
    if framework is None:
        return None, [], Node(item=None)
    items = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id)
        .order_by(FrameworkItem.position, FrameworkItem.code)).all()
    drafted, circulated, validated = _draft_flags(assessment)
    editions = item_editions(assessment, circulated_only=not sees_uncirculated)
    by_id = {i.id: i for i in items}
    nodes = {i.id: Node(i) for i in items if i.kind in (ItemKind.CATEGORY, ItemKind.THEME)}
    categories = [nodes[i.id] for i in items if i.kind == ItemKind.CATEGORY]
    for item in items:
        if item.kind == ItemKind.THEME and item.parent_id in nodes:
            nodes[item.parent_id].children.append(nodes[item.id])
    total = Node(item=None)
    needle = search.strip().lower()
    for item in items:
        if item.kind != ItemKind.INDICATOR:
            continue
        question = by_id.get(item.parent_id)
        theme = nodes.get(question.parent_id) if question else None
        if theme is None:
            continue
        category = nodes.get(theme.item.parent_id)
        in_scope = item.core or not assessment.core_only
        row = {"indicator": item, "question": question, "in_scope": in_scope,
               "drafted": item.id in drafted, "circulated": item.id in circulated,
               "validated": item.id in validated, "editions": editions.get(item.id, [])}
        if not needle or needle in item.title.lower() or needle in item.code.lower() \
                or needle in question.title.lower():
            theme.children.append(row)
        if in_scope:
            for node in (theme, category, total):
                if node is None:
                    continue
                node.in_scope += 1
                node.drafted += row["drafted"]
                node.circulated += row["circulated"]
                node.validated += row["validated"]
    return framework, categories, total


def _draft_flags(assessment) -> tuple[set[int], set[int], set[int]]:
    drafted = set(db.session.scalars(select(Draft.item_id).where(
        Draft.assessment_id == assessment.id, Draft.item_id.is_not(None))))
    circulated = set(db.session.scalars(
        select(Draft.item_id).join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .join(Circulation, Circulation.version_id == DraftVersion.id)
        .where(Draft.assessment_id == assessment.id, Draft.item_id.is_not(None))))
    validated = set(db.session.scalars(
        select(Draft.item_id).join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .join(ValidationRound, ValidationRound.version_id == DraftVersion.id)
        .where(Draft.assessment_id == assessment.id, Draft.item_id.is_not(None),
               ValidationRound.passed.is_(True))))
    return drafted, circulated, validated


def item_editions(assessment, *, circulated_only: bool) -> dict[int, list]:
    """Framework item id -> the edition summaries (source first) of the latest version of its
    newest draft (the latest circulated one with ``circulated_only``), in three queries; {} for an
    assessment with one content language."""
    if len(assessment.language_list) < 2:
        return {}
    other = aliased(DraftVersion)
    newest = select(func.max(other.number)).where(other.draft_id == Draft.id)
    if circulated_only:
        newest = newest.where(exists(select(Circulation.id)
                                     .where(Circulation.version_id == other.id)))
    rows = db.session.execute(
        select(Draft.id, Draft.item_id, Draft.source_language, DraftVersion.id)
        .select_from(Draft)
        .join(DraftVersion, and_(DraftVersion.draft_id == Draft.id,
                                 DraftVersion.number == newest.scalar_subquery()))
        .where(Draft.assessment_id == assessment.id, Draft.item_id.is_not(None))
        .order_by(Draft.id)).all()
    shown: dict[int, tuple[int, _DraftLanguage]] = {}   # item id -> its newest draft's version
    for draft_id, item_id, source_language, version_id in rows:
        shown[item_id] = (version_id, _DraftLanguage(draft_id, source_language))
    summaries = edition_queries.summaries_of_versions(
        assessment, {version_id: draft for version_id, draft in shown.values()})
    return {item_id: summaries[version_id] for item_id, (version_id, _draft) in shown.items()}


@dataclass(frozen=True)
class _DraftLanguage:
    """What the editions' queries need of a draft, read without loading the draft."""
    id: int
    source_language: str | None


def frameworks_for(assessment) -> list[Framework]:
    """The frameworks this assessment may choose: the shared ones and its own copies, never
    another assessment's."""
    return db.session.scalars(select(Framework).where(or_(
        Framework.owner_assessment_id.is_(None), Framework.owner_assessment_id == assessment.id))
        .order_by(Framework.name, Framework.version, Framework.id)).all()


def copied_on(framework: Framework, assessment) -> date | None:
    """The day the copy was made, where the assessment takes place."""
    if framework.copied_at is None:
        return None
    return framework.copied_at.astimezone(ZoneInfo(assessment.timezone)).date()


def framework_choices(assessment) -> list[tuple[int, str]]:
    """The scope form's choices, in plain words."""
    choices = []
    for framework in frameworks_for(assessment):
        label = f"{framework.name} {framework.version}"
        if framework.owner_assessment_id is not None:
            made = copied_on(framework, assessment)
            label = _("%(name)s (your assessment's copy, made on %(date)s)", name=label,
                      date=format_date(made, "long")) if made else \
                _("%(name)s (your assessment's copy)", name=label)
        choices.append((framework.id, label))
    return choices


@dataclass
class Provenance:
    own: bool
    source: str = ""          # name and version of the framework it was copied from
    made_on: date | None = None
    made_by: str = ""


def provenance(framework: Framework | None, assessment) -> Provenance | None:
    """Whose catalogue this is and, for a copy, where it came from, when and by whom."""
    if framework is None:
        return None
    if framework.owner_assessment_id is None:
        return Provenance(own=False)
    framework = db.session.scalars(select(Framework).where(Framework.id == framework.id)
                                   .options(joinedload(Framework.copied_from),
                                            joinedload(Framework.copied_by))).one()
    source = framework.copied_from or framework
    person = framework.copied_by
    return Provenance(own=True, source=f"{source.name} {source.version}",
                      made_on=copied_on(framework, assessment),
                      made_by=person.display_name if person is not None else "")

"""The catalogue tree and its coverage by drafts, in a fixed number of queries."""
from dataclasses import dataclass, field

from sqlalchemy import select

from mab.drafts.models import Circulation, Draft, DraftVersion
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


def catalogue(assessment, *, search: str = ""):
    """(framework, [category nodes with theme nodes with indicator rows], totals)."""
    framework = db.session.get(Framework, assessment.framework_id) if assessment.framework_id \
        else None
    if framework is None:
        return None, [], Node(item=None)
    items = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id)
        .order_by(FrameworkItem.position, FrameworkItem.code)).all()
    drafted, circulated, validated = _draft_flags(assessment)
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
               "validated": item.id in validated}
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


def frameworks() -> list[Framework]:
    return db.session.scalars(select(Framework).order_by(Framework.name, Framework.version)).all()

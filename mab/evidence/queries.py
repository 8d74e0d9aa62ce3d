"""Reads of the evidence register's pages, each in a fixed number of queries whatever the number
of sources and indicators."""
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select

from mab.board.queries import casefold
from mab.evidence.models import IndicatorEvidence, Source, source_indicators
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.i18n import display_name

PER_PAGE = 50


def indicator_choices(assessment) -> list[tuple[int, str]]:
    """The indicators of the assessment's framework a source may serve, in catalogue order (those
    outside a core-only scope too: a source may serve them all the same)."""
    if assessment.framework_id is None:
        return []
    items = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR)
        .order_by(FrameworkItem.position, FrameworkItem.code)).all()
    return [(i.id, f"{i.code} · {display_name(i, assessment)[:120]}") for i in items]


@dataclass
class IndicatorPage:
    """What the indicator's evidence page shows."""
    item: FrameworkItem
    question: FrameworkItem | None
    evidence: IndicatorEvidence | None
    sources: list[Source]
    others: list[tuple[int, str]]     # the sources not linked yet: (id, "[@src-N] title")


def indicator_page(assessment, item: FrameworkItem) -> IndicatorPage:
    """The indicator, its question, its data status, its sources and the sources it may be
    linked to: four queries, whatever the number of sources."""
    question = db.session.get(FrameworkItem, item.parent_id) if item.parent_id else None
    evidence = db.session.scalar(select(IndicatorEvidence).where(
        IndicatorEvidence.assessment_id == assessment.id, IndicatorEvidence.item_id == item.id))
    linked = select(source_indicators.c.source_id).where(source_indicators.c.item_id == item.id)
    sources = db.session.scalars(select(Source).where(
        Source.assessment_id == assessment.id, Source.id.in_(linked))
        .order_by(Source.number)).all()
    others = db.session.execute(select(Source.id, Source.number, Source.title).where(
        Source.assessment_id == assessment.id, Source.id.not_in(linked))
        .order_by(Source.number)).all()
    return IndicatorPage(item, question, evidence, sources,
                         [(id_, f"[@src-{number}] {title[:120]}") for id_, number, title in others])


def _search(query: str):
    """Title or publisher holds ``query`` (any case, Cyrillic too; % and _ taken literally)."""
    term = query.strip().lower()
    if not term:
        return None
    return or_(casefold(Source.title).contains(term, autoescape=True),
               casefold(Source.publisher).contains(term, autoescape=True))


def sources(assessment, *, q: str = "", page: int = 1) -> tuple[Pagination, dict[int, int]]:
    """A page of the assessment's sources by number, those whose title or publisher holds ``q``,
    and how many indicators each serves: three queries (the count, the page, the counts)."""
    statement = select(Source).where(Source.assessment_id == assessment.id)
    condition = _search(q)
    if condition is not None:
        statement = statement.where(condition)
    result = db.paginate(statement.order_by(Source.number), page=page, per_page=PER_PAGE,
                         error_out=False)
    ids = [s.id for s in result.items]
    counts = dict(db.session.execute(
        select(source_indicators.c.source_id, func.count())
        .where(source_indicators.c.source_id.in_(ids))
        .group_by(source_indicators.c.source_id)).all()) if ids else {}
    return result, counts

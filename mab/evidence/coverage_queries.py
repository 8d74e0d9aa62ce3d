"""Reads of the coverage dashboard: the scope's indicators with their evidence and finding
status, in a fixed number of queries whatever the number of indicators, sources and drafts."""
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import get_locale
from sqlalchemy import case, func, select

from mab.drafts import rules as draft_rules
from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
from mab.evidence import coverage
from mab.evidence.models import IndicatorEvidence, Source, source_indicators
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.i18n import localized
from mab.validation.models import ValidationRound

PER_PAGE = 100


def rows(assessment) -> list[coverage.Row]:
    """One row per indicator in the assessment's scope (its framework; the core indicators only
    when the scope is core), in catalogue order, titles in the reader's language. Five to seven
    queries: the items, the data statuses, the source counts, the indicator drafts with their
    versions and circulations, and their validation rounds."""
    if assessment.framework_id is None:
        return []
    items = db.session.execute(
        select(FrameworkItem.id, FrameworkItem.kind, FrameworkItem.code, FrameworkItem.parent_id,
               FrameworkItem.title, FrameworkItem.titles, FrameworkItem.core)
        .where(FrameworkItem.framework_id == assessment.framework_id)
        .order_by(FrameworkItem.position, FrameworkItem.code)).all()
    locale, languages = get_locale(), assessment.language_list
    by_id = {i.id: i for i in items}
    order = {i.id: n for n, i in enumerate(items)}

    def title(item) -> str:
        return localized(item.titles, item.title, locale, languages)

    statuses = data_statuses(assessment)
    counts = source_counts(assessment)
    findings = finding_statuses(assessment)
    found = []
    for item in items:
        if item.kind != ItemKind.INDICATOR or (assessment.core_only and not item.core):
            continue
        # As the catalogue reads it: indicator -> question -> theme -> category.
        question = by_id.get(item.parent_id)
        theme = by_id.get(question.parent_id) if question is not None else None
        category = by_id.get(theme.parent_id) if theme is not None else None
        if theme is None or theme.kind != ItemKind.THEME or category is None \
                or category.kind != ItemKind.CATEGORY:
            continue
        sources, gender = counts.get(item.id, (0, 0))
        found.append(((order[category.id], order[theme.id], order[item.id]), coverage.Row(
            id=item.id, code=item.code, title=title(item),
            category_code=category.code, category_title=title(category),
            theme_code=theme.code, theme_title=title(theme),
            data_status=statuses.get(item.id), sources=sources, gender_sources=gender,
            finding=findings.get(item.id, coverage.NO_DRAFT))))
    found.sort(key=lambda pair: pair[0])
    return [row for _key, row in found]


def data_statuses(assessment) -> dict[int, str]:
    """Indicator id -> its data status in the assessment (those not yet assessed are absent)."""
    return {item_id: str(status) for item_id, status in db.session.execute(
        select(IndicatorEvidence.item_id, IndicatorEvidence.data_status)
        .where(IndicatorEvidence.assessment_id == assessment.id,
               IndicatorEvidence.data_status.is_not(None)))}


def source_counts(assessment) -> dict[int, tuple[int, int]]:
    """Indicator id -> (its sources, those disaggregated by gender), in one grouped query."""
    link = source_indicators.c
    return {item_id: (total, gender) for item_id, total, gender in db.session.execute(
        select(link.item_id, func.count(), func.count(case((Source.gender_disaggregated, 1))))
        .join(Source, Source.id == link.source_id)
        .where(Source.assessment_id == assessment.id)
        .group_by(link.item_id))}


def finding_statuses(assessment) -> dict[int, str]:
    """Indicator id -> its finding status, from its indicator drafts: every version of them as
    plain rows with its circulation and round, in one query whatever their number (the status
    rules of mab.drafts.rules, as every page shows them)."""
    rows = db.session.execute(
        select(DraftVersion.id, DraftVersion.draft_id, DraftVersion.number,
               Circulation.id.is_not(None), Circulation.deadline,
               ValidationRound.id.is_not(None), ValidationRound.closed_at.is_(None),
               ValidationRound.passed, Draft.item_id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .outerjoin(Circulation, Circulation.version_id == DraftVersion.id)
        .outerjoin(ValidationRound, ValidationRound.version_id == DraftVersion.id)
        .where(Draft.assessment_id == assessment.id, Draft.subject == Subject.INDICATOR,
               Draft.item_id.is_not(None))
        .order_by(DraftVersion.draft_id, DraftVersion.number)).all()
    versions = [draft_rules.VersionRow(*row[:8]) for row in rows]
    facts = draft_rules.facts_by_version(versions)
    by_draft: dict[int, list] = defaultdict(list)
    item_of: dict[int, int] = {}
    for row in rows:
        by_draft[row[1]].append(facts[row[0]])
        item_of[row[1]] = row[8]
    today = assessment.today()
    by_item: dict[int, list[str]] = defaultdict(list)
    for draft_id, draft_facts in by_draft.items():
        by_item[item_of[draft_id]].append(draft_rules.draft_status(draft_facts, today).code)
    return {item_id: coverage.finding_status(codes) for item_id, codes in by_item.items()}


@dataclass
class Filters:
    category: str = ""
    data: str = ""
    finding: str = ""

    @classmethod
    def read(cls, args, rows: list[coverage.Row]) -> "Filters":
        """The filters of the query string; an unknown value is no filter."""
        categories = {r.category_code for r in rows}
        category, data, finding = (args.get(k, "") for k in ("category", "data", "finding"))
        return cls(category if category in categories else "",
                   data if data in coverage.DATA_KEYS else "",
                   finding if finding in coverage.FINDING_KEYS else "")

    def args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def dashboard(assessment, args) -> dict:
    """What the dashboard shows: the summaries, one page of the filtered indicators and the
    gaps by category."""
    found = rows(assessment)
    filters = Filters.read(args, found)
    page = args.get("page", 1, type=int) or 1
    return {"rows": found, "summary": coverage.summarise(found), "filters": filters,
            "page": coverage.paginate(coverage.filter_rows(found, **vars(filters)), page,
                                      PER_PAGE),
            "gaps": coverage.gaps_by_category(coverage.gaps(found))}

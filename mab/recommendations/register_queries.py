"""Reads of the recommendations register's pages (beside the shared mab.recommendations.queries):
the register with its filters, groups and statuses, one recommendation across its versions,
and the choices of the forms. Each in a fixed number of queries, whatever the number of
recommendations."""
from dataclasses import dataclass, field

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mab.assessments.models import Assessment
from mab.board import queries as board_queries
from mab.drafts import queries as draft_queries
from mab.drafts.models import Circulation, Draft, DraftVersion, Subject
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.recommendations import queries, rules
from mab.recommendations.models import Priority, TimeFrame

PER_PAGE = 50


def indicators(assessment: Assessment) -> list[FrameworkItem]:
    """The indicators a recommendation may rest on: those of the assessment's framework (its
    core ones only when the assessment uses only those)."""
    if assessment.framework_id is None:
        return []
    # Every item of the framework in one query: the indicators' parents (for their category)
    # are then found in the session, not read one by one.
    every = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id)
        .order_by(FrameworkItem.position, FrameworkItem.id)).all()
    return [item for item in every if item.kind == ItemKind.INDICATOR
            and (item.core or not assessment.core_only)]


def findings(assessment: Assessment) -> list[Draft]:
    """The drafts a recommendation may rest on: the assessment's drafts but its
    recommendations drafts."""
    return db.session.scalars(select(Draft).where(
        Draft.assessment_id == assessment.id, Draft.subject != Subject.RECOMMENDATIONS)
        .order_by(Draft.title, Draft.id)).all()


def circulated_ids(draft_ids) -> set[int]:
    """Which of these drafts have a circulated version (a board member may open them)."""
    if not draft_ids:
        return set()
    return set(db.session.scalars(
        select(DraftVersion.draft_id).join(Circulation, Circulation.version_id == DraftVersion.id)
        .where(DraftVersion.draft_id.in_(draft_ids)).distinct()))


def parse_filters(args, group_list, category_list) -> rules.Filters:
    """The register's GET filters, anything unknown dropped."""
    def number(name, known):
        value = args.get(name, "")
        return int(value) if value.isdigit() and int(value) in known else None

    def choice(name, known):
        value = args.get(name, "")
        return value if value in known else None

    return rules.Filters(group=number("group", {g.id for g in group_list}),
                         category=number("category", {c.id for c in category_list}),
                         priority=choice("priority", {p.value for p in Priority}),
                         time_frame=choice("time_frame", {t.value for t in TimeFrame}))


@dataclass
class Register:
    items: list                    # those passing the filters, in order
    total: int                     # every recommendation the reader may see
    drafts: list
    statuses: dict                 # version id -> status
    groups: list
    categories: list
    open_findings: set | None      # finding ids the reader may open (None: every one)
    working: set = field(default_factory=set)   # version ids not yet circulated
    numbers: dict = field(default_factory=dict)  # (version id, block id) -> paragraph number


def register(assessment: Assessment, role, filters: rules.Filters) -> Register:
    """The recommendations the reader may see (each draft's shown version), filtered."""
    drafts = queries.drafts(assessment)
    versions = [v for v in (queries.shown_version(d, role) for d in drafts) if v is not None]
    team = draft_queries.sees_uncirculated(role)
    every = queries.in_language(queries.items(versions, queries.details_of([v.id for v in versions])),
                                assessment, str(get_locale()), team=team)
    statuses = draft_queries.version_statuses(drafts, assessment.today()) if drafts else {}
    open_findings = None
    if not team:
        open_findings = circulated_ids({f.id for item in every if item.details is not None
                                        for f in item.details.findings})
    return Register(items=[item for item in every if rules.matches(item, filters)],
                    total=len(every), drafts=drafts, statuses=statuses,
                    groups=board_queries.groups(assessment),
                    categories=queries.categories(assessment),
                    open_findings=open_findings,
                    working={v.id for v in versions if not v.frozen},
                    numbers={(v.id, b["id"]): n for v in versions
                             for n, b in enumerate(v.blocks or [], start=1)})


def page_of(items: list, page: int, per_page: int = PER_PAGE) -> tuple[list, int, int]:
    """The items of page ``page`` (from 1, kept in range), the page and the number of pages."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    return items[(page - 1) * per_page:page * per_page], page, pages


@dataclass
class Appearance:
    """A recommendation in one version of its draft."""
    version: DraftVersion
    number: int                    # its paragraph's number in that version
    text: str
    details: object                # Recommendation | None


@dataclass
class One:
    draft: Draft
    block_id: str
    appearances: list              # oldest first
    statuses: dict
    open_findings: set | None

    @property
    def latest(self) -> Appearance:
        return self.appearances[-1]


def recommendation(assessment: Assessment, role, draft: Draft, block_id: str) -> One | None:
    """One recommendation (``draft`` as drafts.queries.draft_or_404 loads it) in every version
    the reader may see that has it; None when none has."""
    appearances = []
    for version in draft_queries.visible_versions(draft, role):
        for number, block in enumerate(version.blocks or [], start=1):
            if block["id"] == block_id:
                appearances.append(Appearance(version, number, block["text"], None))
    if not appearances:
        return None
    details = queries.details_of([a.version.id for a in appearances])
    for appearance in appearances:
        appearance.details = details.get((appearance.version.id, block_id))
    open_findings = None
    if not draft_queries.sees_uncirculated(role):
        open_findings = circulated_ids({f.id for d in details.values() for f in d.findings})
    return One(draft, block_id, appearances,
               draft_queries.version_statuses([draft], assessment.today()), open_findings)


def paragraph(version: DraftVersion, block_id: str) -> tuple[int, str] | None:
    """The number and text of the paragraph ``block_id`` in ``version``."""
    for number, block in enumerate(version.blocks or [], start=1):
        if block["id"] == block_id:
            return number, block["text"]
    return None


def editable_drafts(assessment: Assessment) -> list[Draft]:
    """The assessment's recommendations drafts with their versions (to add to)."""
    return db.session.scalars(
        select(Draft).where(Draft.assessment_id == assessment.id,
                            Draft.subject == Subject.RECOMMENDATIONS)
        .options(selectinload(Draft.versions))
        .order_by(Draft.id)).all()

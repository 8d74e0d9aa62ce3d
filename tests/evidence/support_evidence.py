"""Helpers of the evidence register's tests: a team on the built-in framework with the sample
indicators, sources made through the services (as the pages make them), an own small framework
for an assessment that has none (the URL-map sweep's second assessment), and row counts."""
from sqlalchemy import func, select

from mab.audit.models import AuditEvent
from mab.drafts.models import Draft, DraftVersion
from mab.editions.models import Edition
from mab.evidence import services
from mab.evidence.models import IndicatorEvidence, Source, source_indicators
from mab.extensions import db
from mab.framework.models import Framework, FrameworkItem, ItemKind
from tests.drafts.support import A, PDF, import_sample, setup  # noqa: F401


def world():
    """A team on the built-in framework with the sample's six indicators."""
    assessment, people = setup()
    import_sample(assessment, people["coordinator"])
    return assessment, people


def indicator(assessment, code="R.5.1") -> FrameworkItem:
    return db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR, FrameworkItem.code == code))


def add_source(assessment, actor, *, codes=(), commit=True, **values) -> Source:
    """A source made through the service, serving the indicators of ``codes``."""
    values.setdefault("title", "Household survey on ICT use")
    source = services.create_source(
        assessment, actor=actor, indicator_ids=[indicator(assessment, c).id for c in codes],
        **values)
    if commit:
        db.session.commit()
    return source


def own_framework(assessment, code="X.1.1") -> FrameworkItem:
    """An assessment's own small framework (one category, theme, question and indicator), chosen
    for it; its indicator."""
    framework = Framework(key=f"own.{assessment.slug}", name="Own framework", version="1",
                          owner_assessment_id=assessment.id)
    db.session.add(framework)
    db.session.flush()
    parent = None
    for position, (kind, item_code) in enumerate(
            ((ItemKind.CATEGORY, "X"), (ItemKind.THEME, "X.A"), (ItemKind.QUESTION, "X.1"),
             (ItemKind.INDICATOR, code))):
        parent = FrameworkItem(framework_id=framework.id, kind=kind, code=item_code,
                               title=f"Item {item_code}", core=True, position=position,
                               parent_id=parent.id if parent else None)
        db.session.add(parent)
        db.session.flush()
    assessment.framework_id = framework.id
    db.session.flush()
    return parent


def sweep_evidence(assessment, researcher) -> dict:
    """The URL-map sweep's objects: an indicator of the assessment's framework (an own one is
    made when it has none) and a source with a file serving it, made through the services."""
    if assessment.framework_id is None:
        item = own_framework(assessment)
    else:
        item = db.session.scalars(select(FrameworkItem).where(
            FrameworkItem.framework_id == assessment.framework_id,
            FrameworkItem.kind == ItemKind.INDICATOR)
            .order_by(FrameworkItem.position, FrameworkItem.code)).first()
    source = services.create_source(
        assessment, actor=researcher, title="Sweep source", publisher="Statistics office",
        data_year=assessment.today().year - 1, url="https://stat.example.org/ict",
        indicator_ids=[item.id], filename="survey.pdf", data=PDF)
    db.session.flush()
    return {"item_id": item.id, "source_id": source.id}


def counts() -> dict:
    """How many rows the register and the drafts hold (a refusal must leave them as they were)."""
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Source, IndicatorEvidence, Draft, DraftVersion, Edition, AuditEvent)} \
        | {"links": db.session.scalar(select(func.count()).select_from(source_indicators))}

"""Loading the built-in framework, importing indicators, choosing an assessment's scope."""
import csv
import io
from importlib import resources

from sqlalchemy import select

from mab.audit.services import record_event
from mab.extensions import db
from mab.framework.models import Framework, FrameworkItem, ItemKind

BUILTIN_KEY = "roamx-2018"
BUILTIN_ATTRIBUTION = (
    "UNESCO, Internet Universality Indicators: a framework for assessing Internet development "
    "(2019), CC BY-SA 3.0 IGO. Categories and themes of the first edition.")


def ensure_builtin() -> Framework:
    """The ROAM-X 2018 skeleton (categories and themes) from the shipped CSV; idempotent."""
    framework = db.session.scalar(select(Framework).where(Framework.key == BUILTIN_KEY))
    if framework is None:
        framework = Framework(key=BUILTIN_KEY, name="ROAM-X", version="2018", builtin=True,
                              attribution=BUILTIN_ATTRIBUTION)
        db.session.add(framework)
        db.session.flush()
    existing = {(i.kind, i.code): i for i in db.session.scalars(
        select(FrameworkItem).where(FrameworkItem.framework_id == framework.id))}
    text = resources.files("mab.framework").joinpath("data/roamx-2018.csv").read_text("utf-8")
    for position, row in enumerate(csv.DictReader(io.StringIO(text)), start=1):
        kind = ItemKind(row["kind"])
        if (kind, row["code"]) in existing:
            continue
        parent = existing.get((ItemKind.CATEGORY, row["parent"])) if row["parent"] else None
        item = FrameworkItem(framework_id=framework.id, kind=kind, code=row["code"],
                             title=row["name"], parent_id=parent.id if parent else None,
                             position=position)
        db.session.add(item)
        db.session.flush()
        existing[(kind, row["code"])] = item
    return framework


def themes_of(framework: Framework) -> dict[str, FrameworkItem]:
    return {i.code: i for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id, FrameworkItem.kind == ItemKind.THEME))}


def theme_categories(framework: Framework) -> dict[str, str]:
    categories = {i.id: i.code for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id, FrameworkItem.kind == ItemKind.CATEGORY))}
    return {code: categories.get(t.parent_id, "") for code, t in themes_of(framework).items()}


def import_indicators(framework: Framework, rows, *, attribution: str, actor, assessment) -> dict:
    """Add or update questions and indicators by code (rows already validated)."""
    themes = themes_of(framework)
    items = {(i.kind, i.code): i for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id,
        FrameworkItem.kind.in_([ItemKind.QUESTION, ItemKind.INDICATOR])))}
    added = updated = 0
    for position, row in enumerate(rows, start=1):
        question = items.get((ItemKind.QUESTION, row.question_code))
        if question is None:
            question = FrameworkItem(framework_id=framework.id, kind=ItemKind.QUESTION,
                                     code=row.question_code, title=row.question,
                                     parent_id=themes[row.theme_code].id, position=position)
            db.session.add(question)
            db.session.flush()
            items[(ItemKind.QUESTION, row.question_code)] = question
        else:
            question.title = row.question
            question.parent_id = themes[row.theme_code].id
        indicator = items.get((ItemKind.INDICATOR, row.code))
        if indicator is None:
            indicator = FrameworkItem(framework_id=framework.id, kind=ItemKind.INDICATOR,
                                      code=row.code, position=position)
            db.session.add(indicator)
            items[(ItemKind.INDICATOR, row.code)] = indicator
            added += 1
        else:
            updated += 1
        indicator.title, indicator.core, indicator.parent_id = row.title, row.core, question.id
    if attribution.strip():
        framework.attribution = attribution.strip()
    db.session.flush()
    record_event("framework.indicators_imported", framework, actor=actor, assessment=assessment,
                 changes={"added": added, "updated": updated})
    return {"added": added, "updated": updated}


def set_scope(assessment, framework: Framework, core_only: bool, *, actor) -> None:
    changes = {}
    if assessment.framework_id != framework.id:
        changes["framework"] = [assessment.framework_id, framework.id]
        assessment.framework_id = framework.id
    if assessment.core_only != core_only:
        changes["core_only"] = [assessment.core_only, core_only]
        assessment.core_only = core_only
    if changes:
        record_event("framework.scope_set", assessment, actor=actor, assessment=assessment,
                     changes=changes)

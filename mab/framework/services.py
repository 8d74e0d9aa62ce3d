"""Loading the built-in framework, importing indicators, choosing an assessment's scope.

Whose catalogue is whose: a shared framework (no owner: the built-in ROAM-X, or one the site
admin loaded with ``flask mab import-indicators``) is changed by the site admin alone. A
coordinator's import goes to the assessment's own copy, made on its first import
(``import_for_assessment``), so it never changes what another assessment shows.
"""
import csv
import io
from importlib import resources

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update

from mab.audit.services import record_event
from mab.boundary import bookkeeping
from mab.errors import DomainError
from mab.extensions import db
from mab.framework.models import Framework, FrameworkItem, ItemKind
from mab.loaders import PARENTS, belongs_to
from mab.types import utcnow

BUILTIN_KEY = "roamx-2018"
BUILTIN_ATTRIBUTION = (
    "UNESCO, Internet Universality Indicators: a framework for assessing Internet development "
    "(2019), CC BY-SA 3.0 IGO. Categories and themes of the first edition; their Russian and "
    "Kazakh titles translated by the project.")
# The languages a title may be given in beside the main one: ``<column>_en``, ``_ru``, ``_kk``
# (the shipped CSV's ``name`` column is English, mab/framework/data/README.md).
TITLE_LANGUAGES = ("en", "ru", "kk")


def titles_of(row: dict, *, english: str | None = None, prefix: str = "name") -> dict:
    """The titles by language from a CSV row's ``<prefix>_<language>`` columns (and the English
    one when given); empty columns are left out."""
    titles = {"en": english} if english else {}
    for code in TITLE_LANGUAGES:
        value = (row.get(f"{prefix}_{code}") or "").strip()
        if value:
            titles[code] = value
    return titles


def ensure_builtin(session=None) -> Framework:
    """The ROAM-X 2018 skeleton (categories and themes) from the shipped CSV; idempotent.

    In ``session`` (default: the request's)."""
    session = session or db.session
    framework = session.scalar(select(Framework).where(Framework.key == BUILTIN_KEY))
    if framework is None:
        framework = Framework(key=BUILTIN_KEY, name="ROAM-X", version="2018", builtin=True,
                              attribution=BUILTIN_ATTRIBUTION)
        session.add(framework)
        session.flush()
    existing = {(i.kind, i.code): i for i in session.scalars(
        select(FrameworkItem).where(FrameworkItem.framework_id == framework.id))}
    text = resources.files("mab.framework").joinpath("data/roamx-2018.csv").read_text("utf-8")
    for position, row in enumerate(csv.DictReader(io.StringIO(text)), start=1):
        kind = ItemKind(row["kind"])
        if (kind, row["code"]) in existing:
            continue
        parent = existing.get((ItemKind.CATEGORY, row["parent"])) if row["parent"] else None
        item = FrameworkItem(framework_id=framework.id, kind=kind, code=row["code"],
                             title=row["name"], titles=titles_of(row, english=row["name"]),
                             parent_id=parent.id if parent else None, position=position)
        session.add(item)
        session.flush()
        existing[(kind, row["code"])] = item
    return framework


def offer_builtin() -> None:
    """Before a coordinator chooses a framework, make sure the built-in one is there to choose.

    Read from a GET page, so kept out of its transaction: a look first, then the load in its
    own short transaction (``mab.boundary.bookkeeping``); of two coordinators at once, one
    loads it and the other's unique-key refusal is logged, never shown.
    """
    if db.session.scalar(select(Framework.id).where(Framework.key == BUILTIN_KEY)) is None:
        bookkeeping(ensure_builtin, what="the built-in framework", now=True)


def themes_of(framework: Framework) -> dict[str, FrameworkItem]:
    return {i.code: i for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id, FrameworkItem.kind == ItemKind.THEME))}


def theme_categories(framework: Framework) -> dict[str, str]:
    categories = {i.id: i.code for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework.id, FrameworkItem.kind == ItemKind.CATEGORY))}
    return {code: categories.get(t.parent_id, "") for code, t in themes_of(framework).items()}


def import_indicators(framework: Framework, rows, *, attribution: str, actor, assessment) -> dict:
    """Add or update questions and indicators by code (rows already validated).

    Changes ``framework`` itself, whoever uses it: only for the site admin's shared frameworks
    (the CLI, the demo seed) and an assessment's own copy. A coordinator's import goes through
    ``import_for_assessment``.
    """
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
                                     titles=dict(row.question_titles),
                                     parent_id=themes[row.theme_code].id, position=position)
            db.session.add(question)
            db.session.flush()
            items[(ItemKind.QUESTION, row.question_code)] = question
        else:
            question.title = row.question
            question.parent_id = themes[row.theme_code].id
            if row.question_titles:
                question.titles = {**(question.titles or {}), **row.question_titles}
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
        if row.titles or indicator.titles is None:
            indicator.titles = {**(indicator.titles or {}), **row.titles}
    if attribution.strip():
        framework.attribution = attribution.strip()
    db.session.flush()
    record_event("framework.indicators_imported", framework, actor=actor, assessment=assessment,
                 changes={"added": added, "updated": updated})
    return {"added": added, "updated": updated}


def usable_by(framework: Framework, assessment) -> bool:
    """A shared framework, or this assessment's own copy (never another assessment's)."""
    return framework.shared or framework.owner_assessment_id == assessment.id


def copy_key(source: Framework, assessment) -> str:
    """A unique key for the assessment's copy, derived from the source's and the slug."""
    limit = Framework.__table__.c.key.type.length
    base = f"{source.key}.{assessment.slug}"[:limit]
    taken = set(db.session.scalars(select(Framework.key).where(
        Framework.key.like(f"{base[:limit - 4]}%"))))
    key, n = base, 1
    while key in taken:
        n += 1
        suffix = f"-{n}"
        key = base[:limit - len(suffix)] + suffix
    return key


def item_references() -> list:
    """Every column outside the catalogue that points at a framework item, with its table.

    Each such table must carry ``assessment_id``, or be a link table whose other key leads to a
    model that belongs to an assessment (:func:`owner_of`): that is how a copy knows which rows
    are the copying assessment's to move (a test keeps new tables to this rule).
    """
    target = FrameworkItem.__table__.c.id
    return [(table, fk.parent) for table in db.metadata.sorted_tables
            if table is not FrameworkItem.__table__
            for fk in table.foreign_keys if fk.column is target]


def owner_of(table):
    """A link table without ``assessment_id`` (a source's indicators, a recommendation's): its
    other foreign key and the model that key points at, which belongs to an assessment
    (directly or through ``mab.loaders.PARENTS``); None when there is none."""
    models = {m.class_.__table__: m.class_ for m in db.Model.registry.mappers}
    for fk in table.foreign_keys:
        model = models.get(fk.column.table)
        if model is not None and fk.column.table is not FrameworkItem.__table__ and (
                "assessment_id" in model.__table__.c or model.__name__ in PARENTS):
            return fk.parent, model
    return None


def _rows_of(table, assessment):
    """The condition "a row of ``table`` is the assessment's"."""
    if "assessment_id" in table.c:
        return table.c.assessment_id == assessment.id
    owner = owner_of(table)
    if owner is None:
        raise RuntimeError(f"{table.name} points at framework items without an assessment_id: "
                           "teach _remap_items how to find its rows")
    key, model = owner
    return key.in_(select(model.id).where(belongs_to(model, assessment)))


def _remap_items(assessment, mapping: dict[int, int]) -> int:
    """Point the assessment's rows from old items to their copies; how many rows moved."""
    moved, touched = 0, set()
    for table, column in item_references():
        mine = _rows_of(table, assessment)
        used = set(db.session.scalars(select(column).distinct().where(
            mine, column.is_not(None))))
        pairs = {old: mapping[old] for old in used if old in mapping}
        if not pairs:
            continue
        result = db.session.execute(
            update(table)
            .where(mine, column.in_(list(pairs)))
            .values({column.name: case(pairs, value=column)}))
        moved += result.rowcount
        touched.add(table)
        if "assessment_id" not in table.c:   # the owners' collections (a source's indicators)
            touched.add(owner_of(table)[1].__table__)
    # The rows changed under the ORM: reload the ones this session holds.
    for obj in list(db.session.identity_map.values()):
        if getattr(type(obj), "__table__", None) in touched:
            db.session.expire(obj)
    return moved


def copy_for_assessment(source: Framework, assessment, *, actor) -> Framework:
    """Make the assessment's own copy of a shared framework and switch the assessment to it.

    Items keep their codes, titles, order and tree; the assessment's rows that pointed at the
    source's items (drafts) now point at the copies. Other assessments keep the source.
    """
    if not source.shared:
        raise ValueError(f"framework {source.key} is an assessment's own copy already")
    db.session.flush()
    copy = Framework(key=copy_key(source, assessment), name=source.name, version=source.version,
                     attribution=source.attribution, builtin=False,
                     owner_assessment_id=assessment.id, copied_from_id=source.id,
                     copied_at=utcnow(), copied_by_id=actor.id if actor is not None else None)
    db.session.add(copy)
    db.session.flush()
    pending = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == source.id).order_by(FrameworkItem.id)).all()
    source_ids = {i.id for i in pending}
    mapping: dict[int, int] = {}
    while pending:    # parents first, one level at a time
        ready = [i for i in pending if i.parent_id is None or i.parent_id in mapping
                 or i.parent_id not in source_ids]
        if not ready:
            raise RuntimeError(f"framework {source.key}: its items form a cycle")
        copies = [FrameworkItem(framework_id=copy.id, kind=i.kind, code=i.code, title=i.title,
                                titles=dict(i.titles or {}), core=i.core, position=i.position,
                                parent_id=mapping.get(i.parent_id)) for i in ready]
        db.session.add_all(copies)
        db.session.flush()
        mapping.update({old.id: new.id for old, new in zip(ready, copies)})
        pending = [i for i in pending if i.id not in mapping]
    moved = _remap_items(assessment, mapping)
    previous = assessment.framework_id
    assessment.framework_id = copy.id
    db.session.flush()
    record_event("framework.copied", copy, actor=actor, assessment=assessment,
                 changes={"copied_from": source.key, "key": copy.key, "items": len(mapping),
                          "rows_moved": moved, "framework": [previous, copy.id]})
    return copy


def import_for_assessment(assessment, rows, *, attribution: str, actor) -> dict:
    """A coordinator's import: into the assessment's own copy, made first if it has none.

    Returns the counts and ``copied``: the copy made by this import, or None.
    """
    # Two first imports at once must not make two copies: the second waits for the first
    # (a row lock on PostgreSQL; SQLite has one writer anyway), then finds the copy.
    db.session.refresh(assessment, ["framework_id"], with_for_update=True)
    framework = db.session.get(Framework, assessment.framework_id) \
        if assessment.framework_id else None
    if framework is None:
        raise DomainError(_l("Choose a framework first."))
    if not usable_by(framework, assessment):
        raise DomainError(_l("This framework belongs to another assessment."))
    copied = None
    if framework.shared:
        framework = copied = copy_for_assessment(framework, assessment, actor=actor)
    counts = import_indicators(framework, rows, attribution=attribution, actor=actor,
                               assessment=assessment)
    return {**counts, "copied": copied}


def shared_framework(key: str) -> Framework:
    """A shared framework by key, for the site admin's ``flask mab import-indicators``."""
    if key == BUILTIN_KEY:
        ensure_builtin()
    framework = db.session.scalar(select(Framework).where(Framework.key == key))
    if framework is None:
        raise DomainError(_l("There is no framework with the key %(key)s.", key=key))
    if not framework.shared:
        raise DomainError(_l("This framework is an assessment's own copy: its coordinator "
                             "imports into it from the catalogue page."))
    return framework


def set_scope(assessment, framework: Framework, core_only: bool, *, actor) -> None:
    if framework is None or not usable_by(framework, assessment):
        raise DomainError(_l("Choose one of the frameworks offered."), field="framework_id")
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

"""Evidence use cases: sources, the indicators they serve, each indicator's data status. They
change rows and audit; the request boundary commits."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, select

from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.boundary import upsert
from mab.drafts.files import RejectedFile
from mab.drafts.models import Draft, DraftVersion
from mab.editions.models import Edition
from mab.errors import DomainError
from mab.evidence import files, rules
from mab.evidence.citations import check_references  # noqa: F401  (the drafts' check, here too)
from mab.evidence.models import DataStatus, IndicatorEvidence, Source, SourceKind
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.types import utcnow

# What a source's form may change, in the order the audit lists them.
SOURCE_FIELDS = ("title", "publisher", "data_year", "url", "kind", "verification",
                 "gender_disaggregated", "other_dimensions")
# The audit's names of the fields ("kind" there is a meeting's).
AUDIT_NAMES = {"kind": "source_kind", "url": "link"}


# --- checks -------------------------------------------------------------------------------------

def indicator_or_none(assessment: Assessment, item_id) -> FrameworkItem | None:
    """The indicator ``item_id`` of the assessment's framework, else None."""
    if assessment.framework_id is None or item_id is None:
        return None
    return db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.id == item_id, FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.INDICATOR))


def _indicators(assessment: Assessment, item_ids) -> list[FrameworkItem]:
    """The indicators chosen, all of the assessment's framework, in catalogue order."""
    ids = {int(i) for i in item_ids or ()}
    if not ids:
        return []
    items = db.session.scalars(select(FrameworkItem).where(FrameworkItem.id.in_(ids))).all() \
        if assessment.framework_id is not None else []
    if len(items) != len(ids) or any(i.kind != ItemKind.INDICATOR
                                     or i.framework_id != assessment.framework_id
                                     for i in items):
        raise DomainError(_l("Choose indicators of this assessment's framework."),
                          field="indicators")
    return sorted(items, key=lambda i: (i.position, i.code))


def _clean(assessment: Assessment, values: dict) -> dict:
    """The source's fields checked and tidied (the first problem is a field error)."""
    title = (values.get("title") or "").strip()
    if not title:
        raise DomainError(_l("Give the source a title."), field="title")
    year = values.get("data_year")
    this_year = assessment.today().year
    problem = rules.year_problem(year, this_year)
    if problem == "future":
        raise DomainError(_l("The year of the data cannot be in the future (after %(year)d).",
                             year=this_year), field="data_year")
    if problem == "too_early":
        raise DomainError(_l("Give the year of the data in four digits, 1900 or later."),
                          field="data_year")
    url = (values.get("url") or "").strip()
    if rules.link_problem(url):
        raise DomainError(_l("Give a web address that starts with http:// or https://."),
                          field="url")
    try:
        kind = SourceKind(values.get("kind") or SourceKind.OTHER)
    except ValueError:
        raise DomainError(_l("Choose the kind of source."), field="kind") from None
    return {"title": title, "publisher": (values.get("publisher") or "").strip(),
            "data_year": year, "url": url, "kind": kind,
            "verification": (values.get("verification") or "").strip(),
            "gender_disaggregated": bool(values.get("gender_disaggregated")),
            "other_dimensions": (values.get("other_dimensions") or "").strip()}


def _attach(source: Source, filename: str | None, data: bytes | None) -> None:
    """Store an upload on the source; a refused file is a field error naming the reason."""
    try:
        files.attach(source, filename or "", data or b"")
    except RejectedFile as error:
        raise DomainError(_l("“%(name)s” was not attached: %(reason)s", name=filename or "",
                             reason=error.message), field="file") from None


def _codes(items) -> str:
    return ", ".join(i.code for i in items)


def _audit_value(name: str, value):
    return value.value if isinstance(value, SourceKind) else value


# --- sources ------------------------------------------------------------------------------------

def create_source(assessment: Assessment, *, actor, indicator_ids=(), filename: str | None = None,
                  data: bytes | None = None, **values) -> Source:
    """A new source, numbered after the assessment's highest (cited as ``[@src-<number>]``),
    serving the indicators chosen, with its file when one is given."""
    fields = _clean(assessment, values)
    indicators = _indicators(assessment, indicator_ids)
    # One number each when two researchers add a source at once: the second waits here for the
    # first to finish (a row lock on PostgreSQL; SQLite has one writer anyway).
    db.session.execute(select(Assessment.id).where(Assessment.id == assessment.id)
                       .with_for_update())
    number = (db.session.scalar(select(func.max(Source.number)).where(
        Source.assessment_id == assessment.id)) or 0) + 1
    source = Source(assessment_id=assessment.id, number=number, created_by_id=actor.id,
                    updated_at=utcnow(), **fields)
    source.indicators = indicators
    if data:
        _attach(source, filename, data)
    db.session.add(source)
    db.session.flush()
    changes = {AUDIT_NAMES.get(k, k): _audit_value(k, v) for k, v in fields.items()
               if v not in ("", None, False)}
    changes["reference"] = source.reference
    if indicators:
        changes["indicators"] = _codes(indicators)
    if source.has_file:
        changes["filename"] = source.file_name
    record_event("source.created", source, actor=actor, assessment=assessment, changes=changes)
    return source


def update_source(source: Source, assessment: Assessment, *, actor, indicator_ids=(),
                  filename: str | None = None, data: bytes | None = None,
                  remove_file: bool = False, **values) -> Source:
    """Change a source's description, the indicators it serves and its file (a new upload
    replaces the old one; ``remove_file`` drops it). Its number never changes."""
    fields = _clean(assessment, values)
    indicators = _indicators(assessment, indicator_ids)
    changes = {}
    for name, value in fields.items():
        old = getattr(source, name)
        if old != value:
            changes[AUDIT_NAMES.get(name, name)] = [_audit_value(name, old),
                                                    _audit_value(name, value)]
            setattr(source, name, value)
    before, after = _codes(source.indicators), _codes(indicators)
    if before != after:
        changes["indicators"] = [before, after]
        source.indicators = indicators
    old_file = source.file_name
    if data:
        _attach(source, filename, data)
    elif remove_file and source.has_file:
        source.file_name = source.file_type = source.file_size = None
        source.file_sha256 = source.file_key = None
    if source.file_name != old_file or data:
        changes["filename"] = [old_file, source.file_name]
    if not changes:
        return source
    source.updated_at = utcnow()
    db.session.flush()
    changes["reference"] = source.reference
    if "title" not in changes:
        changes["source"] = source.title    # names the record in the audit
    record_event("source.updated", source, actor=actor, assessment=assessment, changes=changes)
    return source


@dataclass(frozen=True)
class Citing:
    """A version or translation that cites a source."""
    title: str
    number: int
    language: str | None = None   # a translation's; None for the version's own text


def citing(source: Source, assessment: Assessment) -> list[Citing]:
    """Every version and translation of the assessment whose text cites ``source`` (two
    queries; the texts are searched by the database, never loaded)."""
    needle = rules.reference(source.number)
    versions = db.session.execute(
        select(Draft.title, DraftVersion.number).join(DraftVersion.draft)
        .where(Draft.assessment_id == assessment.id,
               DraftVersion.body.contains(needle, autoescape=True))
        .order_by(Draft.title, DraftVersion.number)).all()
    editions = db.session.execute(
        select(Draft.title, DraftVersion.number, Edition.language)
        .join(Edition.version).join(DraftVersion.draft)
        .where(Draft.assessment_id == assessment.id,
               cast(Edition.blocks, String).contains(needle, autoescape=True))
        .order_by(Draft.title, DraftVersion.number, Edition.language)).all()
    return [Citing(t, n) for t, n in versions] + [Citing(t, n, lang) for t, n, lang in editions]


def check_deletable(source: Source, assessment: Assessment) -> None:
    """A source cited by any version or translation stays: a version keeps its sources."""
    cited = citing(source, assessment)
    if cited:
        first = cited[0]
        raise DomainError(_l(
            "%(reference)s cannot be deleted: %(count)d versions or translations cite it (the "
            "first: “%(title)s”, version %(n)d). Remove the citations from the working "
            "versions first; circulated versions keep their sources.",
            reference=source.reference, count=len(cited), title=first.title, n=first.number))


def delete_source(source: Source, assessment: Assessment, *, actor) -> None:
    """Delete a source nobody cites (its links to indicators go with it)."""
    check_deletable(source, assessment)
    record_event("source.deleted", source, actor=actor, assessment=assessment,
                 changes={"title": source.title, "reference": source.reference,
                          "indicators": _codes(source.indicators)})
    db.session.delete(source)
    db.session.flush()


def link_indicator(source: Source, assessment: Assessment, item_id, *, actor) -> bool:
    """Say that ``source`` serves the indicator ``item_id``; False when it did already."""
    item = indicator_or_none(assessment, item_id)
    if item is None:
        raise DomainError(_l("Choose indicators of this assessment's framework."),
                          field="indicators")
    if item in source.indicators:
        return False
    source.indicators = sorted([*source.indicators, item], key=lambda i: (i.position, i.code))
    db.session.flush()
    record_event("source.indicator_linked", source, actor=actor, assessment=assessment,
                 changes={"source": source.title, "reference": source.reference,
                          "indicator": item.code})
    return True


def unlink_indicator(source: Source, assessment: Assessment, item: FrameworkItem, *,
                     actor) -> bool:
    """The source no longer serves ``item``; False when it did not."""
    if item not in source.indicators:
        return False
    source.indicators = [i for i in source.indicators if i.id != item.id]
    db.session.flush()
    record_event("source.indicator_unlinked", source, actor=actor, assessment=assessment,
                 changes={"source": source.title, "reference": source.reference,
                          "indicator": item.code})
    return True


# --- an indicator's data status -----------------------------------------------------------------

def evidence_of(assessment: Assessment, item: FrameworkItem) -> IndicatorEvidence | None:
    return db.session.scalar(select(IndicatorEvidence).where(
        IndicatorEvidence.assessment_id == assessment.id, IndicatorEvidence.item_id == item.id))


def set_indicator_evidence(assessment: Assessment, item: FrameworkItem, data_status,
                           quality_note: str, actor) -> IndicatorEvidence:
    """The indicator's data status (None: not yet assessed) and the researcher's note on the
    quality of its data, created or changed in one statement (two researchers saving at once
    leave one row)."""
    if item.kind != ItemKind.INDICATOR or item.framework_id != assessment.framework_id:
        raise DomainError(_l("Choose indicators of this assessment's framework."),
                          field="data_status")
    try:
        status = DataStatus(data_status) if data_status else None
    except ValueError:
        raise DomainError(_l("Choose the status of the data."), field="data_status") from None
    note = (quality_note or "").strip()
    old = evidence_of(assessment, item)
    before = (old.data_status.value if old and old.data_status else None,
              old.quality_note if old else "")
    after = (status.value if status else None, note)
    if old is not None and before == after:
        return old
    upsert(db.session, IndicatorEvidence,
           {"assessment_id": assessment.id, "item_id": item.id, "data_status": status,
            "quality_note": note, "updated_by_id": actor.id, "updated_at": utcnow()},
           unique=("assessment_id", "item_id"))
    row = db.session.scalar(select(IndicatorEvidence).where(
        IndicatorEvidence.assessment_id == assessment.id, IndicatorEvidence.item_id == item.id)
        .execution_options(populate_existing=True))
    changes = {"indicator": item.code}
    if before[0] != after[0]:
        changes["data_status"] = [before[0], after[0]]
    if before[1] != after[1]:
        changes["quality_note"] = [before[1], after[1]]
    record_event("evidence.status_set", row, actor=actor, assessment=assessment,
                 changes=changes)
    return row

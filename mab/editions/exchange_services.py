"""Importing a translated exchange file (XLIFF or CSV, mab.editions.exchange) into an edition:
the use case changes rows and audits; the request boundary commits (all or nothing)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.editions import exchange, queries, rules
from mab.editions.models import Edition
from mab.editions.services import check_language, edition_for, is_frozen
from mab.errors import DomainError
from mab.evidence.citations import check_references
from mab.extensions import db
from mab.i18n import LANGUAGE_NAMES
from mab.types import utcnow


@dataclass(frozen=True)
class Imported:
    """What an import did, for the page that reports it (plain values)."""
    applied: int
    unchanged: int
    untranslated: int
    outdated: list[exchange.Problem]
    unknown: list[exchange.Problem]
    duplicates: list[exchange.Problem]
    revision: int | None


def export_blocks(version, language: str) -> list[dict]:
    edition = edition_for(version, language)
    return (edition.blocks or []) if edition is not None else []


def import_file(version, assessment: Assessment, language: str, data: bytes, filename: str, *,
                actor) -> Imported:
    """Apply the file's translations of the source as it is now to the ``language`` edition of
    ``version``, in one write: a paragraph whose source changed since the export, an unknown
    paragraph id or a paragraph given twice is refused and listed, the rest is applied. A frozen
    edition (a validation round opened on the version) takes nothing."""
    check_language(version, language, assessment)
    edition = edition_for(version, language)
    if is_frozen(version, edition):
        raise DomainError(_l("The %(language)s translation of version %(n)d is frozen: a "
                             "validation round has opened on it, so no file can be imported "
                             "into it.", language=LANGUAGE_NAMES.get(language, language),
                             n=version.number), field="file")
    try:
        segments = exchange.parse(
            data, filename, source_language=queries.source_language(version.draft, assessment),
            target_language=language)
    except exchange.ExchangeError as error:
        raise DomainError(error.message, field="file") from None
    if not segments:
        raise DomainError(_l("The file has no paragraphs to import."), field="file")
    source = version.blocks or []
    plan = exchange.plan(segments, source, edition.blocks if edition is not None else [])
    # An unknown source reference in any paragraph: nothing is imported.
    check_references(assessment, "\n\n".join(text for _id, text in plan.apply), field="file")
    if plan.apply:
        blocks = list(edition.blocks or []) if edition is not None else []
        for block_id, text in plan.apply:
            blocks = rules.translate(blocks, source, block_id, text)
        if edition is None:
            edition = Edition(language=language)
            with db.session.no_autoflush:
                version.editions.append(edition)
        edition.blocks, edition.updated_by_id, edition.updated_at = blocks, actor.id, utcnow()
        try:
            db.session.flush()   # the UPDATE checks and bumps the revision (optimistic lock)
        except (StaleDataError, IntegrityError):
            db.session.rollback()
            raise DomainError(_l("Someone saved this translation while the file was being "
                                 "imported: nothing was imported. Import the file again."),
                              field="file") from None
        record_event("edition.imported", version, actor=actor, assessment=assessment,
                     changes={"language": language, "filename": filename,
                              "paragraphs_imported": len(plan.apply),
                              "paragraphs_refused": len(plan.refused),
                              "revision": edition.revision})
    return Imported(len(plan.apply), plan.unchanged, plan.untranslated, plan.outdated,
                    plan.unknown, plan.duplicates,
                    edition.revision if edition is not None else None)

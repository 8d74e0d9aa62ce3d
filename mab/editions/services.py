"""Edition use cases: translating a version paragraph by paragraph. They change rows and audit;
the request boundary commits."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from mab.assessments.models import Assessment
from mab.audit.services import record_event
from mab.editions import queries, rules
from mab.editions.models import Edition
from mab.errors import DomainError
from mab.evidence.citations import check_references
from mab.extensions import db
from mab.i18n import LANGUAGE_NAMES
from mab.types import utcnow
from mab.validation.models import ValidationRound


class EditionConflict(DomainError):
    """Someone saved the edition since this editor loaded it: the text sent is not saved."""

    def __init__(self, edition: Edition | None):
        super().__init__(_l("Someone else saved this translation while you were editing. Your "
                            "text is still in the box; nothing was overwritten. Check their "
                            "version and save again."), field="text")
        self.edition = edition


def _assessment(version) -> Assessment:
    return db.session.get(Assessment, version.draft.assessment_id)


def check_language(version, language: str, assessment: Assessment | None = None) -> None:
    """``language`` must be one the version's draft is translated into (not its source)."""
    assessment = assessment or _assessment(version)
    if language not in queries.target_languages(version.draft, assessment):
        raise DomainError(_l("This draft is not translated into that language."),
                          field="language")


def edition_for(version, language: str, create: bool = False) -> Edition | None:
    """The version's edition in ``language``; with ``create``, a new empty one when it has none."""
    edition = next((e for e in version.editions if e.language == language), None)
    if edition is None and create:
        edition = Edition(language=language, blocks=[])
        version.editions.append(edition)
    return edition


def is_frozen(version, edition: Edition | None) -> bool:
    """A translation can no longer change once a validation round opened on its version."""
    if edition is not None and edition.frozen:
        return True
    return db.session.scalar(select(ValidationRound.id)
                             .where(ValidationRound.version_id == version.id).limit(1)) is not None


def _check_open(edition: Edition | None, version, language: str) -> None:
    if is_frozen(version, edition):
        raise DomainError(_l("The %(language)s translation of version %(n)d is frozen: a "
                             "validation round has opened on it.",
                             language=LANGUAGE_NAMES.get(language, language), n=version.number))


def _write(version, language: str, edition: Edition | None, actor, **values) -> Edition:
    """Create or update the edition with ``values`` in one INSERT or UPDATE (one revision)."""
    values.update(updated_by_id=actor.id, updated_at=utcnow())
    if edition is None:
        edition = Edition(language=language, **values)
        with db.session.no_autoflush:
            version.editions.append(edition)
    else:
        for name, value in values.items():
            setattr(edition, name, value)
    _flush(edition)   # the UPDATE checks and bumps the revision (optimistic lock)
    return edition


def _flush(edition: Edition | None) -> None:
    """Write the edition; a concurrent save (the revision moved, or the row was created by
    someone else meanwhile) is an :class:`EditionConflict`."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise EditionConflict(None) from None


def save_paragraph(version, language: str, block_id: str, text: str, *, revision: int, actor,
                   assessment: Assessment | None = None) -> Edition:
    """Save the translation of paragraph ``block_id`` (an empty text removes it). ``revision``
    is the edition's revision the translator's page was loaded with (0: no edition yet): when
    someone else saved since, nothing is saved (:class:`EditionConflict`)."""
    assessment = assessment or _assessment(version)
    check_language(version, language, assessment)
    edition = edition_for(version, language)
    _check_open(edition, version, language)
    if block_id not in {b["id"] for b in version.blocks or []}:
        raise DomainError(_l("This paragraph is no longer in version %(n)d.", n=version.number),
                          field="text")
    if revision != (edition.revision if edition is not None else 0):
        raise EditionConflict(edition)
    check_references(assessment, text, field="text")   # an unknown [@src-N]: nothing is saved
    blocks = rules.translate(edition.blocks or [] if edition else [], version.blocks or [],
                             block_id, text)
    edition = _write(version, language, edition, actor, blocks=blocks)   # the UPDATE checks and bumps the revision (optimistic lock)
    record_event("edition.saved", version, actor=actor, assessment=assessment,
                 changes={"language": language, "block_id": block_id,
                          "revision": edition.revision})
    return edition


def set_machine_assisted(version, language: str, value: bool, *, revision: int, actor,
                         assessment: Assessment | None = None) -> Edition:
    """Say whether machine translation was used in the edition (members are shown it)."""
    assessment = assessment or _assessment(version)
    check_language(version, language, assessment)
    edition = edition_for(version, language)
    _check_open(edition, version, language)
    if revision != (edition.revision if edition is not None else 0):
        raise EditionConflict(edition)
    if edition is not None and edition.machine_assisted == bool(value):
        return edition
    edition = _write(version, language, edition, actor, machine_assisted=bool(value))
    record_event("edition.machine_assisted", version, actor=actor, assessment=assessment,
                 changes={"language": language, "machine_assisted": edition.machine_assisted})
    return edition


def carry_over(previous, version) -> list[Edition]:
    """The new ``version``'s editions from those of ``previous``: unchanged paragraphs keep their
    translation (current), changed ones keep it marked outdated (with the source it was made
    from, for the diff), removed ones are dropped and added ones are missing."""
    carried = []
    for old in previous.editions:
        edition = Edition(language=old.language,
                          blocks=rules.carry_over(old.blocks or [], version.blocks or []),
                          machine_assisted=old.machine_assisted, updated_by_id=old.updated_by_id,
                          updated_at=old.updated_at)
        version.editions.append(edition)
        carried.append(edition)
    return carried

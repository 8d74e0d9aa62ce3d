"""Reading editions: a version's editions and their summaries, in few queries."""
from sqlalchemy import select

from mab.editions import rules
from mab.editions.models import Edition
from mab.extensions import db


def source_language(draft, assessment) -> str:
    """The language the researcher writes the draft in."""
    return draft.source_language or assessment.language_list[0]


def target_languages(draft, assessment) -> list[str]:
    """The content languages a draft is translated into: every one but its source."""
    source = source_language(draft, assessment)
    return [code for code in assessment.language_list if code != source]


def editions_by_version(version_ids) -> dict[int, dict[str, Edition]]:
    """``{version id: {language: Edition}}`` in one query (for list pages)."""
    result: dict[int, dict[str, Edition]] = {}
    ids = list(version_ids)
    if not ids:
        return result
    for edition in db.session.scalars(select(Edition).where(Edition.version_id.in_(ids))):
        result.setdefault(edition.version_id, {})[edition.language] = edition
    return result


def summaries(version, draft, assessment,
              editions: dict[str, Edition] | None = None) -> list[rules.Summary]:
    """The source's summary, then one per target language (a missing edition counts every
    paragraph as missing). ``editions`` spares the query when the caller has them."""
    if editions is None:
        editions = {e.language: e for e in version.editions}
    blocks = version.blocks or []
    result = [rules.source_summary(source_language(draft, assessment), blocks)]
    for language in target_languages(draft, assessment):
        edition = editions.get(language)
        result.append(rules.summary(language, blocks, edition.blocks if edition else []))
    return result

"""Reading editions: a version's editions and their summaries, in few queries."""
from sqlalchemy import select

from mab.editions import rules
from mab.drafts.models import DraftVersion
from mab.editions.models import Edition
from mab.extensions import db


def source_language(draft, assessment) -> str:
    """The language the researcher writes the draft in."""
    return draft.source_language or assessment.language_list[0]


def target_languages(draft, assessment) -> list[str]:
    """The content languages a draft is translated into: every one but its source."""
    source = source_language(draft, assessment)
    return [code for code in assessment.language_list if code != source]


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


def summaries_of_versions(assessment, versions: dict) -> dict[int, list[rules.Summary]]:
    """``{version id: draft}`` -> ``{version id: summaries (source first)}`` for a list page, in
    two queries whatever the number of versions: their paragraphs, then their editions' source
    indexes (never the translations' text)."""
    if not versions:
        return {}
    ids = list(versions)
    blocks = dict(db.session.execute(
        select(DraftVersion.id, DraftVersion.blocks).where(DraftVersion.id.in_(ids))).all())
    indexes: dict[int, dict[str, dict]] = {}
    for version_id, language, index in db.session.execute(
            select(Edition.version_id, Edition.language, Edition.source_index)
            .where(Edition.version_id.in_(ids))):
        indexes.setdefault(version_id, {})[language] = index or {}
    result = {}
    for version_id, draft in versions.items():
        source, own = blocks.get(version_id) or [], indexes.get(version_id, {})
        result[version_id] = [rules.source_summary(source_language(draft, assessment), source)] + [
            rules.summary_of_index(language, source, own.get(language, {}))
            for language in target_languages(draft, assessment)]
    return result

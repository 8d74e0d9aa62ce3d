"""Pure rules of reading and circulating editions: which editions a reader is offered, which one
a page shows (and which one beside it), what a paragraph of a translated edition shows, and which
editions go out with a circulation. No app needed."""
from mab.editions.rules import CURRENT, Summary, paragraph_status


def offered(summaries: list[Summary], *, circulated: set[str] | frozenset = frozenset(),
            sees_uncirculated: bool = False) -> list[Summary]:
    """The editions a reader may switch between, the source first: the research team sees every
    translation begun; everyone else those circulated with the version or complete now."""
    result = []
    for s in summaries:
        if s.source:
            result.append(s)
        elif sees_uncirculated and s.translated:
            result.append(s)
        elif s.language in circulated or s.complete:
            result.append(s)
    return result


def chosen(languages: list[str], requested: str | None, account_language: str | None,
           source: str) -> str:
    """The edition a page shows: the one asked for, else the reader's own language, else the
    source (``languages``: those offered)."""
    for code in (requested, account_language):
        if code and code in languages:
            return code
    return source


def beside(languages: list[str], reading: str, requested: str | None,
           compare: bool = False) -> str | None:
    """The edition shown beside ``reading`` (side by side): the one asked for, or with
    ``compare`` the first other one offered (the source when a translation is read)."""
    if requested and requested in languages and requested != reading:
        return requested
    if compare:
        return next((code for code in languages if code != reading), None)
    return None


def paragraph(source_block: dict, edition_block: dict | None) -> tuple[str, str]:
    """(text shown, status) of a paragraph in a translated edition: its translation when it is
    current, else the source paragraph (the status says it is missing or outdated)."""
    status = paragraph_status(source_block, edition_block)
    return (edition_block["text"] if status == CURRENT else source_block["text"]), status


def circulated_with(summaries: list[Summary]) -> tuple[list[Summary], list[Summary]]:
    """(translations that go out with the source: the complete ones, those that do not)."""
    targets = [s for s in summaries if not s.source]
    return [s for s in targets if s.complete], [s for s in targets if not s.complete]

"""Pure rules about assessments."""
import re

RESEARCH_TEAM = frozenset({"coordinator", "researcher"})


def in_research_team(role) -> bool:
    """The coordinator and the researchers form the research team (they write and answer)."""
    return str(role) in RESEARCH_TEAM


def speaks_for(group: str | None, role, *, team_label: str) -> str | None:
    """Whom a person speaks for beside their name (comment threads, the matrix, its CSV): their
    stakeholder group; for the research team, ``team_label``; otherwise None."""
    return group or (team_label if in_research_team(role) else None)


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"admin", "new", "static"})


def slug_problem(slug: str) -> str | None:
    if not slug or len(slug) > 60:
        return "length"
    if not SLUG_RE.match(slug):
        return "format"
    if slug in RESERVED_SLUGS:
        return "reserved"
    return None


def parse_languages(value: str, allowed) -> list[str]:
    """'ru, kk,en' -> ['ru', 'kk', 'en']; unknown codes and repeats are dropped, order kept."""
    seen = []
    for code in re.split(r"[\s,]+", (value or "").lower()):
        if code in allowed and code not in seen:
            seen.append(code)
    return seen

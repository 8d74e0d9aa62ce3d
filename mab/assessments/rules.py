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


# The phases that the drafts' statuses show (issue 13): not stored, derived from the same facts.
WORKFLOW_PHASES = {"in_validation": "validation", "in_consultation": "consultation"}
RESEARCH = "research"


def shown_phase(stored_phase, status_codes) -> str:
    """The assessment's phase as shown: "validation" while any version is in validation, else
    "consultation" while any is in consultation (``drafts.rules.version_status`` codes); else the
    phase the coordinator set (setting up, research, published). A stored consultation or
    validation phase that no version bears out any more (an older record) shows as research, the
    work between and after them."""
    codes = set(status_codes)
    for code, phase in WORKFLOW_PHASES.items():
        if code in codes:
            return phase
    stored = str(stored_phase)
    return RESEARCH if stored in WORKFLOW_PHASES.values() else stored

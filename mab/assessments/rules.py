"""Pure rules about assessments."""
import re
from dataclasses import dataclass

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


# The home page's cards (issue 15): each person's own work first --------------------------------

DECISIONS = "decisions"                   # open rounds awaiting the member's decision
TO_REVIEW = "to_review"                   # the latest circulated version of drafts in consultation
MEETINGS_TO_ANSWER = "meetings_to_answer"  # invitations without an answer
AWAITING_RESPONSE = "awaiting_response"   # comments awaiting the research team's response
MY_DRAFTS = "my_drafts"                   # the drafts the researcher owns, with their status
BALANCE = "balance"                       # the board's balance checks
BLOCKED = "blocked"                       # what holds the work up (coordinator)
NEWS = "news"                             # new since the last visit
MEETINGS = "meetings"                     # upcoming meetings
ROUNDS = "rounds"                         # open validation rounds
TRANSLATIONS = "translations"             # the drafts to translate (the translator)


@dataclass(frozen=True)
class HomeCards:
    """The cards of what needs the person now, then those for their information, in order."""
    needs: tuple[str, ...]
    info: tuple[str, ...]

    def __contains__(self, card: str) -> bool:
        return card in self.needs or card in self.info


def home_cards(role, *, signs_off: bool) -> HomeCards:
    """Which cards a role's home page shows, in order: first what the person can act on.

    A board member sees first the rounds awaiting their decision (``signs_off``: an active
    member), then the drafts to review, then the meetings to answer; the board's balance, which
    they cannot act on, comes last. A researcher sees the comments awaiting a response, then
    their drafts. The coordinator sees the balance and what is blocked. An observer sees the
    drafts to read. A translator sees the drafts to translate, and nothing else.
    """
    role = str(role)
    if role == "translator":
        return HomeCards((TRANSLATIONS,), ())
    if role == "coordinator":
        return HomeCards((BALANCE, BLOCKED, AWAITING_RESPONSE), (NEWS, TO_REVIEW, MEETINGS, ROUNDS))
    if role == "researcher":
        return HomeCards((AWAITING_RESPONSE, MY_DRAFTS, MEETINGS_TO_ANSWER),
                         (NEWS, TO_REVIEW, MEETINGS, ROUNDS, BALANCE))
    if role == "board_member":
        needs = (DECISIONS,) if signs_off else ()
        return HomeCards(needs + (TO_REVIEW, MEETINGS_TO_ANSWER),
                         (NEWS, MEETINGS, ROUNDS, BALANCE))
    return HomeCards((TO_REVIEW,), (NEWS, MEETINGS, ROUNDS))

"""Pure rules of drafts: the status from the facts, the content hash, who may see what."""
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

DRAFTING, IN_CONSULTATION = "drafting", "in_consultation"
IN_VALIDATION, VALIDATED = "in_validation", "validated"


def content_hash(body: str, attachment_hashes: list[str]) -> str:
    """SHA-256 of what a version says: its body and its attachments' own hashes."""
    payload = json.dumps({"body": body, "attachments": sorted(attachment_hashes)},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def deadline_problem(deadline: date | None, today: date) -> str | None:
    if deadline is None:
        return "missing"
    if deadline < today:
        return "past"
    return None


# One status per version, and per draft, the same for every role (issue 13): from facts only.
CONSULTATION_CLOSED, NOT_VALIDATED, SUPERSEDED = ("consultation_closed", "not_validated",
                                                  "superseded")


@dataclass(frozen=True)
class VersionFacts:
    """What decides a version's status: its circulation and deadline (the last day on which
    comments are taken), its validation rounds and whether a later version was circulated."""
    circulated: bool
    deadline: date | None = None
    round_open: bool = False
    validated: bool | None = None     # the outcome of its last closed round, None if none
    superseded: bool = False


@dataclass(frozen=True)
class VersionStatus:
    code: str
    until: date | None = None         # the deadline, while in consultation

    @property
    def open_for_comments(self) -> bool:
        return self.code == IN_CONSULTATION


def version_status(facts: VersionFacts, today: date) -> VersionStatus:
    """Drafting, in consultation until D, consultation closed, in validation, validated, not
    validated or superseded. A round settles the version's status whatever came after it."""
    if facts.round_open:
        return VersionStatus(IN_VALIDATION)
    if facts.validated is True:
        return VersionStatus(VALIDATED)
    if facts.validated is False:
        return VersionStatus(NOT_VALIDATED)
    if facts.superseded:
        return VersionStatus(SUPERSEDED)
    if not facts.circulated:
        return VersionStatus(DRAFTING)
    if facts.deadline is not None and today <= facts.deadline:
        return VersionStatus(IN_CONSULTATION, until=facts.deadline)
    return VersionStatus(CONSULTATION_CLOSED)


def draft_status(versions: list[VersionFacts], today: date) -> VersionStatus:
    """A draft's status for everyone: that of its newest circulated version (an uncirculated
    version in the works changes nothing anybody outside the team can see); drafting if none."""
    circulated = [v for v in versions if v.circulated]
    if not circulated:
        return VersionStatus(DRAFTING)
    return version_status(circulated[-1], today)


class VersionRow(NamedTuple):
    """A version as the facts need it: ``deadline`` is its circulation's (None if uncirculated);
    ``round_open``/``passed`` describe its validation round (one per version), if any."""
    id: int
    draft_id: int
    number: int
    circulated: bool
    deadline: date | None = None
    has_round: bool = False
    round_open: bool = False
    passed: bool | None = None


def facts_by_version(rows) -> dict[int, VersionFacts]:
    """Version id -> its facts, from every version of the drafts concerned (any order; a version
    is superseded when a later version of its draft was circulated). The rows must hold all the
    versions of each draft, not only those a viewer may see."""
    newest_circulated: dict[int, int] = {}
    for row in rows:
        if row.circulated and row.number > newest_circulated.get(row.draft_id, 0):
            newest_circulated[row.draft_id] = row.number
    return {row.id: VersionFacts(
        circulated=row.circulated, deadline=row.deadline if row.circulated else None,
        round_open=row.has_round and row.round_open,
        validated=row.passed if row.has_round and not row.round_open else None,
        superseded=row.number < newest_circulated.get(row.draft_id, 0)) for row in rows}


def consultation_days_left(status: VersionStatus, today: date) -> int | None:
    """Days of the comment period left after today, while the version is in consultation: 0 on
    the deadline day (comments are still taken to its end), None once the period is over or
    when the version is not (or no longer) in consultation."""
    if not status.open_for_comments or status.until is None:
        return None
    return (status.until - today).days

"""Pure rules of drafts: the status from the history, the content hash, who may see what."""
import hashlib
import json
from datetime import date

DRAFTING, IN_CONSULTATION, REVISED = "drafting", "in_consultation", "revised"
IN_VALIDATION, VALIDATED = "in_validation", "validated"


def status(versions, rounds: dict | None = None) -> str:
    """From the versions (oldest first): each has ``id``, ``frozen`` and ``circulation``;
    ``rounds`` maps a version id to its validation round's ``(open, passed)``."""
    if not versions:
        return DRAFTING
    rounds = rounds or {}
    states = [rounds[v.id] for v in versions if v.id in rounds]
    if any(is_open for is_open, _passed in states):
        return IN_VALIDATION
    if versions[-1].id in rounds and rounds[versions[-1].id][1]:
        return VALIDATED
    circulated = [v for v in versions if v.circulation is not None]
    if not circulated:
        return DRAFTING
    if versions[-1].circulation is not None:
        return IN_CONSULTATION
    return REVISED


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

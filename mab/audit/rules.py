"""Pure functions behind the audit hash chain."""
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def event_hash(prev_hash: str, payload: dict) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(payload)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    position: int       # 0-based index in the sequence given
    event_id: int | None
    reason: str


def first_break(events: Iterable[tuple[int | None, str, str, dict]]) -> ChainBreak | None:
    """Walk ``(id, prev_hash, hash, payload)`` in chain order; name the first broken link."""
    expected_prev = GENESIS
    for position, (event_id, prev_hash, stored_hash, payload) in enumerate(events):
        if prev_hash != expected_prev:
            return ChainBreak(position, event_id, "previous hash does not match the event before")
        if event_hash(prev_hash, payload) != stored_hash:
            return ChainBreak(position, event_id, "content does not match its hash")
        expected_prev = stored_hash
    return None


# Values of people's records that only the coordinator reads elsewhere (the board and people
# pages, the board export): for anyone else the event stays in the log, these values do not.
PERSONAL_FIELDS = frozenset({"email", "gender", "language", "notes", "reason"})
PERSONAL_ACTIONS = ("board.", "membership.")


@dataclass(frozen=True)
class ShownChange:
    field: str
    value: object
    hidden: bool = False


def shown_changes(action: str, changes: dict | None, *, personal: bool) -> list[ShownChange]:
    """An event's changed fields as the reader may see them; ``personal``: may read personal
    details of members (the coordinator)."""
    private = not personal and action.startswith(PERSONAL_ACTIONS)
    return [ShownChange(field, None, True) if private and field in PERSONAL_FIELDS
            else ShownChange(field, value) for field, value in (changes or {}).items()]

"""Anchors of the audit chain: its head and length, kept outside the database.

A hash chain shows any change to an event and any removal in the middle, but not the removal of
its newest events: what is left is still a valid chain. An anchor (the head hash, the number of
events and the time, signed with the secret key) printed on a certificate or downloaded by the
coordinator lets anyone check later that the chain still reaches that head. Pure: no database.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

FORMAT = "mab-audit-anchor/1"


class AnchorError(ValueError):
    """An anchor file that is not one, or whose signature does not match."""


@dataclass(frozen=True)
class Anchor:
    head: str          # hash of the newest event when the anchor was made
    count: int         # number of events then
    at: datetime       # when (UTC)


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool
    count_now: int
    missing: int = 0                 # events of the anchor no longer in the chain (truncation)
    position_hash: str | None = None  # what the chain holds at the anchor's position instead


def _message(anchor: Anchor) -> bytes:
    return json.dumps({"format": FORMAT, "head": anchor.head, "count": anchor.count,
                       "at": anchor.at.isoformat()}, sort_keys=True,
                      separators=(",", ":")).encode()


def signature(anchor: Anchor, key: str) -> str:
    return hmac.new(key.encode(), _message(anchor), hashlib.sha256).hexdigest()


def dump_anchor(anchor: Anchor, key: str) -> bytes:
    """The downloadable file: the anchor and its HMAC-SHA256 with the installation's key."""
    return json.dumps({"format": FORMAT, "head": anchor.head, "count": anchor.count,
                       "at": anchor.at.isoformat(), "hmac": signature(anchor, key)},
                      indent=2).encode() + b"\n"


def load_anchor(data: bytes, key: str) -> Anchor:
    """Read an anchor file; raise AnchorError when it is not one or was altered."""
    try:
        raw = json.loads(data.decode("utf-8"))
        if raw.get("format") != FORMAT:
            raise AnchorError("not an audit anchor")
        anchor = Anchor(head=str(raw["head"]), count=int(raw["count"]),
                        at=datetime.fromisoformat(raw["at"]))
        given = str(raw["hmac"])
    except AnchorError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
        raise AnchorError("not an audit anchor") from error
    if anchor.at.tzinfo is None or anchor.count < 0 or len(anchor.head) != 64:
        raise AnchorError("not an audit anchor")
    if not hmac.compare_digest(given, signature(anchor, key)):
        raise AnchorError("signature does not match")
    return anchor


def check_anchor(anchor: Anchor, count_now: int, hash_at_count: str | None) -> AnchorCheck:
    """Compare an anchor with the chain now: ``count_now`` events, and ``hash_at_count`` the hash
    of the chain's ``anchor.count``-th event (None when the chain is shorter). The chain must
    still hold the anchored head at the same position; events after it are fine."""
    if count_now < anchor.count:
        return AnchorCheck(False, count_now, missing=anchor.count - count_now)
    if hash_at_count != anchor.head:
        return AnchorCheck(False, count_now, position_hash=hash_at_count)
    return AnchorCheck(True, count_now)

"""The validation rule (DESIGN section 4), plain functions over plain values.

A round passes when at least ``response_pct`` % of the active members responded, at least
``endorse_num``/``endorse_den`` of the responses endorse (with or without reservations), and every
group with active members responded. Each condition comes with its figures, so the round page,
the certificate and the annex say the same thing.
"""
import math
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from mab.editions import rules as edition_rules

ENDORSE, RESERVATIONS, OBJECT = "endorse", "reservations", "object"
ENDORSING = frozenset({ENDORSE, RESERVATIONS})


@dataclass(frozen=True)
class Rule:
    response_pct: int = 50
    endorse_num: int = 2
    endorse_den: int = 3
    all_groups: bool = True

    @classmethod
    def of(cls, assessment) -> "Rule":
        return cls(assessment.validation_response_pct, assessment.validation_endorse_num,
                   assessment.validation_endorse_den)

    @classmethod
    def from_snapshot(cls, snapshot: dict) -> "Rule":
        return cls(**{k: snapshot[k] for k in ("response_pct", "endorse_num", "endorse_den",
                                               "all_groups") if k in snapshot})

    def snapshot(self) -> dict:
        return {"response_pct": self.response_pct, "endorse_num": self.endorse_num,
                "endorse_den": self.endorse_den, "all_groups": self.all_groups}

    @property
    def endorse_pct(self) -> int:
        """The endorsement share as a whole percentage, rounded up (2/3 -> 67)."""
        return math.ceil(Fraction(self.endorse_num, self.endorse_den) * 100)


@dataclass(frozen=True)
class Voter:
    """An active board member when the outcome is computed."""
    membership_id: int
    group_id: int | None
    gender: str | None = None


@dataclass(frozen=True)
class Decision:
    membership_id: int
    decision: str
    at: datetime | None = None
    row_id: int = 0


@dataclass(frozen=True)
class Condition:
    code: str               # "responded", "endorsed", "groups"
    ok: bool
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    passed: bool
    conditions: tuple[Condition, ...]


def current(decisions) -> dict[int, Decision]:
    """The latest decision of each member: a change supersedes, it never counts twice."""
    latest: dict[int, Decision] = {}
    for d in sorted(decisions, key=lambda d: (d.at is None, d.at, d.row_id)):
        latest[d.membership_id] = d
    return latest


def _pct(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def outcome(rule: Rule, voters, decisions, groups: dict[int, str]) -> Outcome:
    """``voters``: the active members; ``decisions``: every row (superseded ones too);
    ``groups``: id -> name of the groups (a group without active members is not required)."""
    voters = list(voters)
    active = {v.membership_id: v for v in voters}
    counted = {m: d for m, d in current(decisions).items() if m in active}
    responded = len(counted)
    endorsed = sum(1 for d in counted.values() if d.decision in ENDORSING)
    reservations = sum(1 for d in counted.values() if d.decision == RESERVATIONS)
    objected = responded - endorsed

    responded_ok = bool(active) and responded * 100 >= rule.response_pct * len(active)
    endorsed_ok = responded > 0 and endorsed * rule.endorse_den >= rule.endorse_num * responded
    needed_groups = {v.group_id for v in voters if v.group_id is not None}
    answered_groups = {active[m].group_id for m in counted if active[m].group_id is not None}
    missing = sorted((groups.get(g, "?") for g in needed_groups - answered_groups), key=str)
    groups_ok = not rule.all_groups or not missing

    conditions = (
        Condition("responded", responded_ok, {
            "responded": responded, "active": len(active), "pct": _pct(responded, len(active)),
            "needs_pct": rule.response_pct}),
        Condition("endorsed", endorsed_ok, {
            "endorsed": endorsed, "responded": responded, "pct": _pct(endorsed, responded),
            "needs_pct": rule.endorse_pct, "reservations": reservations, "objected": objected}),
        Condition("groups", groups_ok, {
            "responding": len(needed_groups & answered_groups), "groups": len(needed_groups),
            "missing": missing}),
    )
    return Outcome(all(c.ok for c in conditions), conditions)


def as_dict(result: Outcome) -> dict:
    """The stored form of an outcome (the round keeps it as it was at closing)."""
    return {"passed": result.passed,
            "conditions": [{"code": c.code, "ok": c.ok, "figures": c.figures}
                           for c in result.conditions]}


# --- which versions may be validated ---------------------------------------------------------

NOT_CIRCULATED, SUPERSEDED, HAS_ROUND = "not_circulated", "superseded", "has_round"


@dataclass(frozen=True)
class VersionFacts:
    """A draft version, as the choice of what to validate needs it."""
    id: int
    draft_id: int
    number: int
    circulated: bool
    has_round: bool = False


@dataclass(frozen=True)
class Blocker:
    reason: str                      # NOT_CIRCULATED, SUPERSEDED or HAS_ROUND
    later: int | None = None         # SUPERSEDED: the number of the later circulated version


def validation_blocker(version: VersionFacts, versions) -> Blocker | None:
    """Why ``version`` cannot be put to validation, or None: it must have been circulated, no
    later version of its draft (among ``versions``) circulated, and have no round yet."""
    if not version.circulated:
        return Blocker(NOT_CIRCULATED)
    later = min((v.number for v in versions if v.draft_id == version.draft_id
                 and v.number > version.number and v.circulated), default=None)
    if later is not None:
        return Blocker(SUPERSEDED, later)
    if version.has_round:
        return Blocker(HAS_ROUND)
    return None


def validation_candidates(versions) -> list[VersionFacts]:
    """The versions that may be validated: of each draft, the latest circulated, if it has no
    round yet (in the order given)."""
    versions = list(versions)
    by_draft: dict[int, list[VersionFacts]] = {}
    for v in versions:
        by_draft.setdefault(v.draft_id, []).append(v)
    return [v for v in versions if validation_blocker(v, by_draft[v.draft_id]) is None]


# --- closing a round ---------------------------------------------------------------------------

UNLINK_WORKSHOP, WORKSHOP_NOT_HELD = "unlink", "not_held"


def closes_early(deadline, today) -> bool:
    """Closing before the deadline day (closing on it is on time) needs a reason."""
    return today < deadline


@dataclass(frozen=True)
class WorkshopAtClose:
    held: bool | None        # what the round keeps: True held, False not held, None no workshop
    unlink: bool = False     # the coordinator removed the link to the workshop


def workshop_at_close(has_workshop: bool, held: bool, choice: str | None) -> WorkshopAtClose | None:
    """What closing records about the round's workshop, or None when the coordinator must choose
    first: a workshop that was not held (yet) needs either its link removed (``UNLINK_WORKSHOP``)
    or the confirmation that it was not held (``WORKSHOP_NOT_HELD``)."""
    if not has_workshop:
        return WorkshopAtClose(None)
    if held:
        return WorkshopAtClose(True)
    if choice == UNLINK_WORKSHOP:
        return WorkshopAtClose(None, unlink=True)
    if choice == WORKSHOP_NOT_HELD:
        return WorkshopAtClose(False)
    return None


# --- editions (issue 18): what a round on a translated version signs --------------------------

def manifest(source_language: str, source_sha256: str, source_blocks: list[dict],
             editions) -> list[dict]:
    """The manifest a round freezes: the source first, then each translated edition by language
    with its hash, its paragraph figures against the source and whether machine translation
    went into it. ``editions``: ``(language, sha256, blocks, machine_assisted)`` tuples."""
    n = len(source_blocks)
    rows = [{"language": source_language, "sha256": source_sha256, "source": True, "total": n,
             "current": n, "outdated": 0, "missing": 0, "machine_assisted": False}]
    for language, sha256, blocks, machine_assisted in sorted(editions, key=lambda e: e[0]):
        figures = edition_rules.summary(language, source_blocks, blocks or [])
        rows.append({"language": language, "sha256": sha256, "source": False,
                     "total": figures.total, "current": figures.current,
                     "outdated": figures.outdated, "missing": figures.missing,
                     "machine_assisted": bool(machine_assisted)})
    return rows


def manifest_sha256(rows: list[dict]) -> str:
    """The hash members sign: over the source's and every edition's hash (the source's own hash
    when the manifest lists no translation)."""
    source = rows[0]
    return edition_rules.manifest_hash(source["language"], source["sha256"],
                                       [(r["language"], r["sha256"]) for r in rows[1:]])


def incomplete_required(summaries, required) -> list:
    """The translated editions (``edition_rules.Summary``) of a required language that are not
    complete: with the policy on, a round cannot open while there is one."""
    required = set(required)
    return [s for s in summaries if not s.source and s.language in required and not s.complete]


def manifest_summaries(rows: list[dict] | None) -> list[tuple[dict, "edition_rules.Summary"]]:
    """Each manifest row with its figures as an ``edition_rules.Summary`` (for the status words
    of mab.editions.labels); empty for a one-language round."""
    return [(row, edition_rules.Summary(row["language"], row["total"], row["current"],
                                        row["outdated"], row["missing"], source=row["source"]))
            for row in rows or []]

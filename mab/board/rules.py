"""Balance rules (DESIGN section 4): plain functions over plain values, no app needed.

Each check explains itself: its figures, whether it passes, and the smallest concrete remedy,
so the dashboard, exports and later the annex all say the same thing.
"""
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

WOMAN, MAN, ANOTHER, UNDISCLOSED = "woman", "man", "another", "undisclosed"
NOMINEE, ACTIVE, STEPPED_DOWN = "nominee", "active", "stepped_down"
SUPPRESS_BELOW = 3


@dataclass(frozen=True)
class Policy:
    gender_min_pct: int = 40
    gender_max_pct: int = 60
    undisclosed_max_pct: int = 20
    group_max_pct: int = 30

    @classmethod
    def of(cls, assessment) -> "Policy":
        return cls(assessment.gender_min_pct, assessment.gender_max_pct,
                   assessment.undisclosed_max_pct, assessment.group_max_pct)


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    min_members: int = 1


@dataclass(frozen=True)
class Seat:
    """One board membership, as the rules need it."""
    group_id: int | None
    gender: str | None          # None: not recorded (counted with the undisclosed)
    status: str
    appointed_on: date | None = None
    stepped_down_on: date | None = None
    term_start: date | None = None
    term_end: date | None = None

    @property
    def gender_key(self) -> str:
        return self.gender if self.gender in (WOMAN, MAN, ANOTHER) else UNDISCLOSED


@dataclass(frozen=True)
class Check:
    code: str            # gender_women_low, gender_men_high, undisclosed_high, group_missing, ...
    ok: bool
    figures: dict = field(default_factory=dict)


def serving_on(seat: Seat, on: date) -> bool:
    """Whether the seat was held on that day, from its status dates and term."""
    if seat.status == NOMINEE:
        return False
    if seat.appointed_on is not None and seat.appointed_on > on:
        return False
    if seat.status == STEPPED_DOWN and (seat.appointed_on is None  # a nominee who withdrew
                                        or seat.stepped_down_on is None
                                        or seat.stepped_down_on <= on):
        return False
    if seat.term_start is not None and seat.term_start > on:
        return False
    if seat.term_end is not None and seat.term_end < on:
        return False
    return True


def gender_editable(gender: str | None, recorded_by_coordinator: bool) -> bool:
    """The coordinator may record a member's gender only while the person has not described it
    themselves: when none is recorded, or when the coordinator recorded it."""
    return gender is None or bool(recorded_by_coordinator)


def composition(seats, on: date, *, with_nominees: bool = False) -> list[Seat]:
    """The board on a date; with nominees, the board if every current nominee were appointed."""
    board = [s for s in seats if serving_on(s, on)]
    if with_nominees:
        board += [s for s in seats if s.status == NOMINEE]
    return board


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def _needed_to_reach(part: int, whole: int, min_pct: int) -> int:
    """Smallest n with (part + n) / (whole + n) >= min_pct %."""
    target = Fraction(min_pct, 100)
    if target >= 1:
        return 0 if part == whole else math.inf
    if whole and Fraction(part, whole) >= target:
        return 0
    return max(0, math.ceil((target * whole - part) / (1 - target)))


def _others_needed_to_dilute(part: int, whole: int, max_pct: int) -> int:
    """Smallest n with part / (whole + n) <= max_pct %."""
    target = Fraction(max_pct, 100)
    if target <= 0:
        return math.inf if part else 0
    return max(0, math.ceil(part / target - whole))


def gender_checks(seats, policy: Policy) -> list[Check]:
    counts = Counter(s.gender_key for s in seats)
    women, men = counts[WOMAN], counts[MAN]
    disclosed = women + men + counts[ANOTHER]
    checks = []
    # A share below the band is reported first; with two genders the other one is then above it,
    # and saying so again would only repeat the same remedy.
    for code, part in (("gender_women_low", women), ("gender_men_low", men)):
        share = _pct(part, disclosed)
        if disclosed and share < policy.gender_min_pct:
            checks.append(Check(code, False, {
                "count": part, "disclosed": disclosed, "pct": share,
                "min_pct": policy.gender_min_pct,
                "add": _needed_to_reach(part, disclosed, policy.gender_min_pct)}))
    if not checks:
        for code, part in (("gender_women_high", women), ("gender_men_high", men)):
            share = _pct(part, disclosed)
            if disclosed and share > policy.gender_max_pct:
                checks.append(Check(code, False, {
                    "count": part, "disclosed": disclosed, "pct": share,
                    "max_pct": policy.gender_max_pct,
                    "add": _others_needed_to_dilute(part, disclosed, policy.gender_max_pct)}))
    if not disclosed:
        checks.append(Check("gender_unknown", False, {"total": len(seats)}))
    elif not any(c.code.startswith("gender_") for c in checks):
        checks.append(Check("gender_ok", True, {
            "women": women, "men": men, "disclosed": disclosed,
            "women_pct": _pct(women, disclosed), "men_pct": _pct(men, disclosed),
            "min_pct": policy.gender_min_pct, "max_pct": policy.gender_max_pct}))
    undisclosed = counts[UNDISCLOSED]
    share = _pct(undisclosed, len(seats))
    checks.append(Check("undisclosed_high" if share > policy.undisclosed_max_pct else "undisclosed_ok",
                        share <= policy.undisclosed_max_pct,
                        {"count": undisclosed, "total": len(seats), "pct": share,
                         "max_pct": policy.undisclosed_max_pct}))
    return checks


def group_checks(seats, groups, policy: Policy) -> list[Check]:
    counts = Counter(s.group_id for s in seats)
    total = len(seats)
    checks = []
    for group in groups:
        n = counts[group.id]
        if n < group.min_members:
            checks.append(Check("group_missing" if n == 0 else "group_low", False, {
                "group": group.name, "count": n, "min": group.min_members,
                "add": group.min_members - n}))
        share = _pct(n, total)
        if total and share > policy.group_max_pct:
            checks.append(Check("group_over", False, {
                "group": group.name, "count": n, "total": total, "pct": share,
                "max_pct": policy.group_max_pct,
                "add": _others_needed_to_dilute(n, total, policy.group_max_pct)}))
    if counts[None]:
        checks.append(Check("group_unassigned", False, {"count": counts[None]}))
    if not any(not c.ok for c in checks):
        checks.append(Check("groups_ok", True, {"groups": len(groups), "total": total,
                                                "max_pct": policy.group_max_pct}))
    return checks


def balance_checks(seats, groups, policy: Policy) -> list[Check]:
    if not seats:
        return [Check("board_empty", False, {})]
    return gender_checks(seats, policy) + group_checks(seats, groups, policy)


def merged_names(stored: dict | None, submitted: dict, *, old_name: str | None,
                 new_name: str) -> dict:
    """A group's names by language after an edit: each submitted language set (stripped), or
    removed when empty; the others kept. A name still equal to the old main name follows the
    main name when it is renamed (the default groups carry their English name in ``names``)."""
    names = dict(stored or {})
    for code, value in submitted.items():
        value = (value or "").strip()
        if value:
            names[code] = value
        else:
            names.pop(code, None)
    if old_name is not None and old_name != new_name:
        names = {code: new_name if value == old_name else value for code, value in names.items()}
    return names


def names_changes(before: dict | None, after: dict) -> dict:
    """The audit's change lines for the names: {"name_ru": [before, after], ...}."""
    before = before or {}
    return {f"name_{code}": [before.get(code), after.get(code)]
            for code in sorted(set(before) | set(after)) if before.get(code) != after.get(code)}


@dataclass
class Table:
    """Group × gender counts with totals; ``suppressed`` cells (< 3 people) hide their number."""
    rows: list[tuple[str, dict[str, int], int]]   # (group name, {gender: n}, row total)
    totals: dict[str, int]
    total: int
    genders: tuple[str, ...] = (WOMAN, MAN, ANOTHER, UNDISCLOSED)


def group_gender_table(seats, groups, weights=None) -> Table:
    """``weights``: how many each seat counts for (1 each by default), e.g. a member's comments,
    so a count per person needs one seat per person rather than one per thing counted."""
    seats = list(seats)
    weights = [1] * len(seats) if weights is None else list(weights)
    by_group: dict = {g.id: Counter() for g in groups}
    for seat, weight in zip(seats, weights, strict=True):
        if weight:
            by_group.setdefault(seat.group_id, Counter())[seat.gender_key] += weight
    names = {g.id: g.name for g in groups}
    rows = []
    for group_id, counter in by_group.items():
        if group_id is None and not counter:
            continue
        rows.append((names.get(group_id, None), {k: counter[k] for k in Table.genders},
                     sum(counter.values())))
    totals = Counter()
    for _name, cells, _total in rows:
        totals.update(cells)
    return Table(rows=rows, totals={k: totals[k] for k in Table.genders}, total=sum(weights))


def suppress(n: int, *, full: bool) -> int | None:
    """The number to show: ``None`` (shown as "<3") for small non-zero cells unless ``full``."""
    if full or n == 0 or n >= SUPPRESS_BELOW:
        return n
    return None


def hidden_row(cells: dict[str, int], *, full: bool) -> bool:
    """Whether a row's gender cells must all be hidden beyond the coordinator.

    Hiding only the small cell is not enough: zeros beside it, with a group size everyone can
    see, would still tell a person's gender. So a row with any cell of 1 or 2 hides them all.
    """
    return not full and any(0 < n < SUPPRESS_BELOW for n in cells.values())

"""The follow-up of validated recommendations (issue 19 item 5): pure decisions over plain values.

An update is anything with ``state``, ``status``, ``reported_on`` (a date), ``created_at`` and
``id`` (a FollowUpUpdate row, or a stand-in in the tests); a recommendation is named by its key
``(draft_id, block_id)``. Only confirmed updates count: a proposed one waits for the
coordinator, a declined one is kept for the record and counts for nothing.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

NOT_STARTED, IN_PROGRESS, PARTLY, IMPLEMENTED, ABANDONED = (
    "not_started", "in_progress", "partly_implemented", "implemented", "abandoned")
# The statuses in the order a table shows them; None ("no update yet") comes last.
STATUSES: tuple[str, ...] = (NOT_STARTED, IN_PROGRESS, PARTLY, IMPLEMENTED, ABANDONED)
COLUMNS: tuple[str | None, ...] = (*STATUSES, None)
PROPOSED, CONFIRMED, DECLINED = "proposed", "confirmed", "declined"

MAX_NOTE = 5000
MAX_URL = 1000


# --- the standing status ---------------------------------------------------------------------

def order(update) -> tuple:
    """Oldest first: by the day it reports on, then by when it was written (then by id, for
    two written in the same instant). A later report on the same day supersedes an earlier one."""
    created = update.created_at.timestamp() if update.created_at is not None else 0.0
    return update.reported_on, created, update.id or 0


def confirmed(updates: Iterable) -> list:
    """The confirmed updates, oldest first."""
    return sorted((u for u in updates if u.state == CONFIRMED), key=order)


def standing_update(updates: Iterable, *, on: date | None = None):
    """The update that gives a recommendation its status (on the day ``on``, or now): the newest
    confirmed one reported on or before that day; None when there is none yet."""
    found = [u for u in confirmed(updates) if on is None or u.reported_on <= on]
    return found[-1] if found else None


def latest(updates: Iterable) -> str | None:
    """The standing status of a recommendation: its newest confirmed update's status (by the day
    reported on, then by when it was written); None means "no update yet"."""
    update = standing_update(updates)
    return None if update is None else str(update.status)


# --- the dashboard -----------------------------------------------------------------------------

@dataclass
class Row:
    """One line of a dashboard table: how many of its recommendations stand at each status."""
    subject: object                  # a group, a category; None for the line of the rest
    counts: dict = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def implemented(self) -> int:
        return self.counts[IMPLEMENTED]

    @property
    def share(self) -> float | None:
        """Implemented in percent of the line's validated recommendations; None without any."""
        return None if not self.total else 100 * self.implemented / self.total

    def cells(self) -> list[tuple[str | None, int]]:
        return [(status, self.counts[status]) for status in COLUMNS]

    def add(self, status: str | None) -> None:
        self.counts[status if status in self.counts else None] += 1


@dataclass
class Dashboard:
    by_group: list[Row]      # every group given, then any other an item names, then None
    by_category: list[Row]   # every category given, then any other, then None
    total: Row               # each recommendation once

    @property
    def empty(self) -> bool:
        return self.total.total == 0


def _key(subject):
    return getattr(subject, "id", subject)


def _rows(subjects, items, subjects_of, status_of) -> list[Row]:
    rows = {_key(s): Row(s) for s in subjects}
    rest = Row(None)
    for item in items:
        status = status_of(item)
        named = {}
        for subject in subjects_of(item) or ():
            named.setdefault(_key(subject), subject)
        if not named:
            rest.add(status)
        for key, subject in named.items():
            rows.setdefault(key, Row(subject)).add(status)
    return list(rows.values()) + ([rest] if rest.total else [])


def groups_of(item) -> list:
    """The groups a recommendation is addressed to (none before a researcher gives details)."""
    return list(item.details.groups) if item.details is not None else []


def dashboard(items, latest_by_key: dict, groups, category_of: Callable,
              categories=()) -> Dashboard:
    """The validated recommendations ``items`` by addressee group and by ROAM-X category, each
    line counting them per standing status (``latest_by_key``: key -> status or None) with the
    share implemented. A recommendation addressed to two groups, or resting on indicators of two
    categories, counts in each of their lines, and once in the total; the line of the rest
    (subject None: not addressed yet, no indicator) shows only when it has any. ``groups`` and
    ``categories`` give the lines to show even when empty, in order; ``category_of(item)`` the
    categories an item rests on."""
    items = list(items)

    def status_of(item):
        return latest_by_key.get(item.key)

    total = Row(None)
    for item in items:
        total.add(status_of(item))
    return Dashboard(_rows(groups, items, groups_of, status_of),
                     _rows(categories, items, category_of, status_of), total)


def category_of(item) -> list:
    """The ROAM-X categories a recommendation rests on: each indicator's category, walked up
    through its parents (the queries load three), in the order of the indicators."""
    found = {}
    for indicator in (item.details.indicators if item.details is not None else ()):
        node = indicator
        while node is not None and str(node.kind) != "category":
            node = node.parent
        if node is not None:
            found.setdefault(node.id, node)
    return list(found.values())


# --- the annual report ---------------------------------------------------------------------------

@dataclass
class AnnualRow:
    key: tuple
    standing: object          # the update giving the status at the year's end, or None
    updates: list             # the confirmed updates reported on during the year, oldest first

    @property
    def status(self) -> str | None:
        return None if self.standing is None else str(self.standing.status)


def annual(updates: Iterable, year: int, keys: Iterable | None = None) -> list[AnnualRow]:
    """Per recommendation: its status at the end of ``year`` (the newest confirmed update
    reported on or before 31 December) and the confirmed updates of that year. ``keys`` gives
    the recommendations and their order (those without any update included); without it, every
    recommendation an update names, in key order."""
    by_key: dict = {}
    for update in updates:
        by_key.setdefault((update.draft_id, update.block_id), []).append(update)
    end = date(year, 12, 31)
    rows = []
    for key in (sorted(by_key) if keys is None else keys):
        mine = by_key.get(key, [])
        rows.append(AnnualRow(key, standing_update(mine, on=end),
                              [u for u in confirmed(mine) if u.reported_on.year == year]))
    return rows


# --- what a report must satisfy ----------------------------------------------------------------

def date_problem(reported_on: date | None, *, today: date, validated_on: date | None) -> str | None:
    """Why a report's date cannot be taken: "missing", "future" (after the assessment's today),
    "before_validation"; None when it is fine."""
    if reported_on is None:
        return "missing"
    if reported_on > today:
        return "future"
    if validated_on is not None and reported_on < validated_on:
        return "before_validation"
    return None


def is_web_link(url: str) -> bool:
    """An evidence link must be an http(s) address with a host (no javascript:, mailto:, file:)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
            and not any(c.isspace() for c in url) and len(url) <= MAX_URL)


def years(first: date | None, today: date) -> list[int]:
    """The years an annual report can be asked for, newest first: from the first validation's
    year to this year (this year alone before any validation)."""
    start = first.year if first is not None and first.year <= today.year else today.year
    return list(range(today.year, start - 1, -1))

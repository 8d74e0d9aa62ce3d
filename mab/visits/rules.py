"""When a page view starts a new visit, and from when "new since your last visit" counts.

Pure: plain datetimes in, plain values out.

A *visit* is a run of page views of one place (the home page, a draft) less than
``SAME_VISIT`` apart. What is new is counted from the end of the visit before the current one
(``since``): reloading the page, or coming back to it within the same visit, keeps the counts,
so the member is not told "nothing new" before they have read what was new. Only a view after a
pause of ``SAME_VISIT`` or more starts a new visit and moves ``since`` up to the last view.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

SAME_VISIT = timedelta(minutes=30)
# Views of the same visit rewrite ``last_at`` at most this often (a reload writes nothing).
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class VisitState:
    """What to keep after a view (``last_at``, ``previous_at``), whether that is a write, and
    ``since``: from when the page counts what is new (None: a first visit, nothing to compare)."""
    last_at: datetime
    previous_at: datetime | None
    write: bool

    @property
    def since(self) -> datetime | None:
        return self.previous_at


def after_view(last_at: datetime | None, previous_at: datetime | None,
               now: datetime) -> VisitState:
    """The visit's state after a view at ``now``, given the stored one (None, None: never
    visited)."""
    if last_at is None:
        return VisitState(now, None, write=True)
    if now - last_at >= SAME_VISIT:
        return VisitState(now, last_at, write=True)          # a new visit
    if now - last_at >= TOUCH_EVERY:
        return VisitState(now, previous_at, write=True)      # the same visit goes on
    return VisitState(last_at, previous_at, write=False)      # a reload: nothing to write


HOME = "home"


def draft_place(draft_id: int) -> str:
    """The place name of a draft's pages (all its versions count as one place)."""
    return f"draft:{draft_id}"


@dataclass(frozen=True)
class NewSince:
    """What others did since the member's last visit, on the drafts they can see."""
    comments: int = 0
    replies: int = 0
    responses: int = 0
    versions: int = 0

    @property
    def total(self) -> int:
        return self.comments + self.replies + self.responses + self.versions

    def __add__(self, other: "NewSince") -> "NewSince":
        return NewSince(self.comments + other.comments, self.replies + other.replies,
                        self.responses + other.responses, self.versions + other.versions)
